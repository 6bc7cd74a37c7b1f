"""The problems demo teams post needs about (data/needs.yaml), each with the skills it takes and
what to learn.

`learning` completes "By the end the team can ..."; skills are ESCO labels with an importance
(1 nice to have, 2 important, 3 essential)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Intent
from .catalogue import load, pairs


@dataclass(frozen=True)
class Problem:
    title: str
    problem: str
    work: str  # the work AI would touch, as a noun phrase
    intent: Intent
    skills: tuple[tuple[str, int], ...]
    learning: str
    goal: str | None = None  # a goal key when not the team's own


def _problem(entry: dict) -> Problem:
    return Problem(
        entry["title"],
        entry["problem"],
        entry["work"],
        Intent(entry["intent"]),
        pairs(entry["skills"]),
        entry["learning"],
        entry.get("goal"),
    )


PROBLEMS: dict[str, tuple[Problem, ...]] = {
    team: tuple(_problem(entry) for entry in entries) for team, entries in load("needs")["problems"].items()
}
