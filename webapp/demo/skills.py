"""Real ESCO skills, curated per domain (data/skills.yaml), plain-words AI-transformation skills,
and their lookup in the imported taxonomy.

The curated labels are ESCO preferred labels, each with its URI in esco_uris.py. A label the
taxonomy doesn't know (an AI-transformation skill before Tandem's extension is imported, or any
label before the taxonomy is) is kept as free text (skill_id None), which the app accepts everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import AiStance, Skill
from .catalogue import load
from .content import FEATURED_FREELANCER
from .esco_uris import URIS
from .needs_catalogue import PROBLEMS

_SKILLS = load("skills")
DOMAIN_SKILLS: dict[str, tuple[str, ...]] = {key: tuple(labels) for key, labels in _SKILLS["domain_skills"].items()}
# Skills that go with a way of working rather than a domain.
AUGMENT_SKILLS = tuple(_SKILLS["augment_skills"])
AUTOMATE_SKILLS = tuple(_SKILLS["automate_skills"])
AI_SKILLS = tuple(_SKILLS["ai_skills"])
# What AI transformation itself asks for, in plain words rather than ESCO labels: kept as free
# text unless the taxonomy knows them (Tandem's AI-skills extension does).
AI_TRANSFORMATION_SKILLS = tuple(_SKILLS["ai_transformation_skills"])
AI_TRANSFORMATION_BY_STANCE = {
    AiStance(stance): tuple(labels) for stance, labels in _SKILLS["ai_transformation_by_stance"].items()
}


@dataclass(frozen=True)
class SkillRef:
    label: str
    skill_id: int | None


class SkillBook:
    """Curated labels resolved to taxonomy rows: by ESCO URI, else by preferred, else alternative label.

    A row found by URI keeps the curated ESCO preferred label when the imported label differs
    (the run-together ESCO file is split by heuristics, which sometimes glue words on)."""

    def __init__(self, by_label: dict[str, SkillRef]):
        self._by_label = by_label

    @classmethod
    def load(cls, labels: set[str]) -> SkillBook:
        wanted = {label.lower(): label for label in labels}
        by_label = _by_uri(wanted)
        missing = [key for key in wanted if key not in by_label]
        rows = db.session.execute(select(Skill.id, Skill.label).where(func.lower(Skill.label).in_(missing)))
        for skill_id, label in rows:
            by_label.setdefault(label.lower(), SkillRef(label, skill_id))
        unmatched = {key for key in wanted if key not in by_label}
        if unmatched:
            by_label.update(_by_alternative_label(unmatched))
        return cls(by_label)

    def ref(self, label: str) -> SkillRef:
        return self._by_label.get(label.lower(), SkillRef(label, None))


def _by_uri(wanted: dict[str, str]) -> dict[str, SkillRef]:
    uris = {URIS[label]: label for label in wanted.values() if label in URIS}
    rows = db.session.execute(select(Skill.id, Skill.uri, Skill.label).where(Skill.uri.in_(list(uris))))
    found = {}
    for skill_id, uri, label in rows:
        curated = uris[uri]
        found[curated.lower()] = SkillRef(label if label.lower() == curated.lower() else curated, skill_id)
    return found


def _by_alternative_label(missing: set[str]) -> dict[str, SkillRef]:
    found: dict[str, SkillRef] = {}
    if not db.session.scalar(select(Skill.id).limit(1)):
        return found
    for skill_id, label, alt_labels in db.session.execute(select(Skill.id, Skill.label, Skill.alt_labels)):
        for alt in alt_labels or ():
            key = alt.lower()
            if key in missing and key not in found:
                found[key] = SkillRef(label, skill_id)
    return found


def all_labels() -> set[str]:
    """Every skill label the demo uses: profiles' domains and ways of working, needs, the featured freelancer."""
    labels = {label for domain in DOMAIN_SKILLS.values() for label in domain}
    labels |= set(AUGMENT_SKILLS) | set(AUTOMATE_SKILLS) | set(AI_SKILLS) | set(AI_TRANSFORMATION_SKILLS)
    labels |= {label for problems in PROBLEMS.values() for problem in problems for label, _ in problem.skills}
    return labels | {label for label, _ in FEATURED_FREELANCER["skills"]}


def all_curated_labels() -> set[str]:
    """The demo's ESCO labels: all of them but the plain-words AI-transformation skills."""
    return all_labels() - set(AI_TRANSFORMATION_SKILLS)
