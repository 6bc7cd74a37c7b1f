"""Loading the ESCO skills taxonomy into the database, and the in-memory taxonomy the
matching engine uses to normalise free-text skills."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from matching.taxonomy import RowError, SkillTaxonomy, TaxonomySkill, read_esco_skills

from ..extensions import db
from ..models import Skill

BATCH = 1000


@dataclass(frozen=True)
class ImportReport:
    read: int
    added: int
    already_present: int
    errors: list[RowError]


def import_skills(path: Path) -> ImportReport:
    """Adds skills not yet present (by URI). Running it twice adds nothing the second time."""
    skills, errors = read_esco_skills(path)
    known = set(db.session.scalars(select(Skill.uri)))
    new = [skill for skill in skills if skill.uri not in known]
    for start in range(0, len(new), BATCH):
        db.session.add_all(_row(skill) for skill in new[start:start + BATCH])
        db.session.flush()
    db.session.commit()
    return ImportReport(len(skills), len(new), len(skills) - len(new), errors)


LABEL_LENGTH = Skill.__table__.c.label.type.length


def _row(skill: TaxonomySkill) -> Skill:
    # A few labels of the extractor's file run into their alternatives (8 of 13,939, up to 388
    # characters): PostgreSQL would refuse the whole import, so they are cut to the column.
    return Skill(
        uri=skill.uri, label=skill.label[:LABEL_LENGTH], alt_labels=list(skill.alt_labels),
        description=skill.description, skill_type=skill.skill_type,
    )


_taxonomy_cache: dict[tuple, SkillTaxonomy] = {}


def taxonomy() -> SkillTaxonomy:
    """The whole taxonomy in memory (~14k skills), reloaded only when the skills table changed:
    an import in another process, or another database, is seen on the next call."""
    fingerprint = db.session.execute(
        select(func.count(Skill.id), func.max(Skill.id), func.max(Skill.updated_at))
    ).one()
    key = (str(db.engine.url), *fingerprint)
    if key not in _taxonomy_cache:
        rows = db.session.execute(
            select(Skill.uri, Skill.label, Skill.alt_labels, Skill.description, Skill.skill_type)
        )
        _taxonomy_cache.clear()
        _taxonomy_cache[key] = SkillTaxonomy([
            TaxonomySkill(uri, label, tuple(alt or ()), description or "", skill_type or "")
            for uri, label, alt, description, skill_type in rows
        ])
    return _taxonomy_cache[key]
