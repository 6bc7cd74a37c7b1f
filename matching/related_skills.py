"""Which skills are related, and how much one counts for the other in skill coverage.

Two kinds of relation:
- by meaning: the skills whose names lie close to this one's (`SkillVectors.related`); credit
  rises from 0 at RELATED_MIN cosine to RELATED_CREDIT at RELATED_FULL;
- by the taxonomy: an extension skill and the ESCO skills it names as broader, both ways,
  count BROADER_CREDIT.
A related skill is never a match: coverage gives it part of a match's credit, and the
explanation says "partly covered by ... (related)".
"""

from __future__ import annotations

from collections import defaultdict

from matching.skill_vectors import RELATED_MIN, SkillVectors
from matching.taxonomy import SkillTaxonomy

RELATED_FULL = 0.85
RELATED_CREDIT = 0.6  # the most a related skill earns, as a share of an exact match
BROADER_CREDIT = 0.5


def credit_for_similarity(similarity: float) -> float:
    """A related skill's share of a match's credit, from the cosine of their names."""
    ramp = (similarity - RELATED_MIN) / (RELATED_FULL - RELATED_MIN)
    return round(RELATED_CREDIT * min(1.0, max(0.0, ramp)), 4)


class RelatedSkills:
    """Related skills by URI, with the credit each earns for the other."""

    def __init__(self, taxonomy: SkillTaxonomy, vectors: SkillVectors | None = None) -> None:
        self.taxonomy = taxonomy
        self.vectors = vectors
        self._broader: dict[str, dict[str, float]] = defaultdict(dict)
        for skill in taxonomy.skills:
            for link in skill.broader:
                if taxonomy.get(link) is not None:
                    self._broader[skill.uri][link] = BROADER_CREDIT
                    self._broader[link][skill.uri] = BROADER_CREDIT

    def of(self, uri: str | None) -> dict[str, float]:
        """URI -> credit, for every skill related to this one (none for unknown URIs)."""
        if not uri:
            return {}
        related = dict(self._broader.get(uri, {}))
        position = self.taxonomy.position(uri)
        if self.vectors is not None and position is not None:
            for other, similarity in self.vectors.related(position):
                credit = credit_for_similarity(similarity)
                other_uri = self.taxonomy.skills[other].uri
                if credit > related.get(other_uri, 0.0):
                    related[other_uri] = credit
        return related
