"""Turning the skill rows of a form into taxonomy-normalised entries.

Free text is allowed: a label the taxonomy knows (exactly, by an alternative label, or by a close
spelling) is stored with its ESCO skill and canonical label; anything else is kept as written and
reported, so the person sees what was not recognised."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Skill
from ..taxonomy.services import taxonomy


@dataclass(frozen=True)
class SkillEntry:
    label: str
    weight: int  # importance 1-3 for needs, level 1-5 for profiles
    skill: Skill | None


def normalise_entries(rows: list[tuple[str, int]]) -> tuple[list[SkillEntry], list[str]]:
    """Entries in the given order without duplicates, and the labels kept as free text."""
    known = taxonomy()
    entries: dict[str, SkillEntry] = {}
    free_text: list[str] = []
    for raw_label, weight in rows:
        label = " ".join(raw_label.split())
        if not label:
            continue
        match = known.normalise(label)
        skill = _skill_row(match.uri) if match else None
        canonical = match.label if match else label
        if skill is None:
            free_text.append(label)
        entries.setdefault(canonical.lower(), SkillEntry(canonical, weight, skill))
    return list(entries.values()), free_text


def _skill_row(uri: str) -> Skill | None:
    return db.session.scalar(select(Skill).where(Skill.uri == uri))


def replace_skills(owner, rows: list) -> None:
    """Gives a need or a profile these skill rows in place of the ones it had."""
    owner.skills.clear()
    db.session.flush()  # old rows go before new ones with the same label arrive
    owner.skills = rows
    db.session.flush()
