"""Helping a person fill a form's skill rows: "did you mean" for text the taxonomy does not know,
and skills read from the form's prose, offered as chips to add or dismiss.

Every help is a submit button of the form itself, so it works without JavaScript: the route
sees the button (`SkillAction`), changes the rows, and shows the form again unsaved. With htmx
the same buttons post the form and swap it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching import SkillReader, Suggestion

from .entries import did_you_mean
from .taxonomy import skill_normaliser

ACTIONS = ("add_skill", "use_skill", "dismiss_skill", "suggest_skills")
SUGGESTED = 10


@dataclass(frozen=True)
class SkillAction:
    name: str  # one of ACTIONS
    value: str


@dataclass
class SkillHelp:
    hints: dict[int, tuple[str, ...]] = field(default_factory=dict)  # row index -> "did you mean" labels
    suggestions: list[Suggestion] = field(default_factory=list)  # read from the form's prose
    dismissed: list[str] = field(default_factory=list)  # URIs the person does not want offered again
    read: bool = False  # whether the prose was read (an empty list then means "nothing found")


def requested_action(formdata) -> SkillAction | None:
    """The skill button pressed, if the form was sent by one."""
    for name in ACTIONS:
        if name in formdata:
            return SkillAction(name, (formdata.get(name) or "").strip()[:300])
    return None


def dismissed_in(formdata) -> list[str]:
    return [uri for uri in (formdata.get("dismissed_skills") or "").split() if len(uri) <= 255][:200]


def apply_action(rows, action: SkillAction, dismissed: list[str]) -> None:
    """Changes the form's skill rows as the button asks: add a label to the first empty row, put
    a suggestion into the row it was offered for ("3|SQL Server"), or dismiss a suggestion."""
    if action.name == "add_skill" and action.value:
        _add(rows, action.value)
    elif action.name == "use_skill":
        index, _, label = action.value.partition("|")
        if index.isdigit() and int(index) < len(rows) and label:
            rows[int(index)].skill.data = label
    elif action.name == "dismiss_skill" and action.value and action.value not in dismissed:
        dismissed.append(action.value)


def _add(rows, label: str) -> None:
    if any((row.skill.data or "").strip().casefold() == label.casefold() for row in rows):
        return
    empty = next((row for row in rows if not (row.skill.data or "").strip()), None)
    if empty is None and len(rows) < rows.max_entries:
        empty = rows.append_entry()
    if empty is not None:
        empty.skill.data = label


def skill_help(rows, prose: str, dismissed: list[str], *, read_prose: bool) -> SkillHelp:
    """Hints for the rows whose text is not recognised, and, with `read_prose`, skills the prose
    speaks of that the rows don't hold yet."""
    filled = [
        (index, (row.skill.data or "").strip()) for index, row in enumerate(rows) if (row.skill.data or "").strip()
    ]
    hints = did_you_mean([label for _, label in filled]) if filled else {}
    help_ = SkillHelp({index: hints[label] for index, label in filled if hints.get(label)}, [], dismissed, read_prose)
    if read_prose:
        help_.suggestions = read_skills(prose, [label for _, label in filled], dismissed)
    return help_


def read_skills(prose: str, chosen: list[str], dismissed: list[str]) -> list[Suggestion]:
    """Up to SUGGESTED skills the prose speaks of, without those already chosen or dismissed."""
    normaliser = skill_normaliser()
    chosen_uris = {r.skill.uri for r in normaliser.normalise_many(chosen) if r.skill is not None}
    return SkillReader(normaliser).read(prose, limit=SUGGESTED, exclude=chosen_uris | set(dismissed))


def form_prose(form, names: tuple[str, ...]) -> str:
    """The form's free-text fields that skills are read from, as one text."""
    return "\n".join((getattr(form, name).data or "") for name in names)
