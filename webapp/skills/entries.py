"""Turning the skill rows of a form into taxonomy-normalised entries.

Free text is allowed. A label the normaliser maps with confidence is stored with its taxonomy
skill and preferred label; anything else is kept as written (still matched by its words) and
reported with "did you mean" suggestions, so the person sees what was not recognised."""

from __future__ import annotations

from dataclasses import dataclass

from matching import Normalised

from ..extensions import db
from ..models import Skill
from .taxonomy import skill_normaliser, skills_by_uri

MAX_LABEL = 255


@dataclass(frozen=True)
class SkillEntry:
    label: str
    weight: int  # importance 1-3 for needs, level 1-5 for profiles
    skill: Skill | None


@dataclass(frozen=True)
class Unrecognised:
    text: str  # as typed
    suggestions: tuple[str, ...]  # preferred labels it may mean, best first


def normalise_entries(rows: list[tuple[str, int]]) -> tuple[list[SkillEntry], list[Unrecognised]]:
    """Entries in the given order without duplicates, and the texts kept as free text."""
    typed = [(" ".join(label.split())[:MAX_LABEL], weight) for label, weight in rows]
    typed = [(label, weight) for label, weight in typed if label]
    results = skill_normaliser().normalise_many([label for label, _ in typed])
    rows_by_uri = skills_by_uri([r.skill.uri for r in results if r.skill is not None])
    entries: dict[str, SkillEntry] = {}
    unrecognised: list[Unrecognised] = []
    for (label, weight), result in zip(typed, results):
        skill = rows_by_uri.get(result.skill.uri) if result.skill is not None else None
        if skill is None:
            unrecognised.append(_unrecognised(label, result))
        canonical = skill.label if skill is not None else label
        entries.setdefault(canonical.casefold(), SkillEntry(canonical, weight, skill))
    return list(entries.values()), unrecognised


DID_YOU_MEAN_SIMILARITY = 0.5  # a suggestion less near than this is noise, not a reading of the text


def _unrecognised(label: str, result: Normalised) -> Unrecognised:
    near = (
        c.skill.label for c in result.candidates if c.similarity >= DID_YOU_MEAN_SIMILARITY and c.skill.label != label
    )
    return Unrecognised(label, tuple(dict.fromkeys(near))[:3])


def unrecognised_message(unrecognised: list[Unrecognised]) -> str:
    """One line for a flash message: what was kept as typed, and what it may mean."""
    parts = []
    for item in unrecognised:
        hint = f" (did you mean {_either(item.suggestions)}?)" if item.suggestions else ""
        parts.append(f"“{item.text}”{hint}")
    return "Kept as you wrote them, not found in the taxonomy: " + "; ".join(parts) + "."


def _either(labels: tuple[str, ...]) -> str:
    quoted = [f"“{label}”" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def did_you_mean(labels: list[str]) -> dict[str, tuple[str, ...]]:
    """For the labels the taxonomy would keep as free text, what they may mean, keyed by label."""
    results = skill_normaliser().normalise_many(labels)
    return {
        label: _unrecognised(label, result).suggestions
        for label, result in zip(labels, results)
        if result.skill is None
    }


def replace_skills(owner, rows: list) -> None:
    """Gives a need or a profile these skill rows in place of the ones it had."""
    owner.skills.clear()
    db.session.flush()  # old rows go before new ones with the same label arrive
    owner.skills = rows
    db.session.flush()
