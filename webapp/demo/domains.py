"""What freelancers of each domain do, have done and use AI for (data/domains.yaml): the raw
words of their profiles."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import AiStance
from .catalogue import load


@dataclass(frozen=True)
class Domain:
    key: str
    roles: tuple[str, ...]
    people: str  # who does the work in client teams
    backgrounds: tuple[str, ...]  # follows "with N years ..."
    achievements: tuple[str, ...]  # {pct} a percentage, {n} a count, {weeks} a number of weeks
    tasks: tuple[str, ...]  # concrete work AI can help with
    headlines: dict[AiStance, tuple[str, ...]]  # {role} {task} {task2} {people}
    former: tuple[str, ...]  # life before freelancing, in a sentence


def _domain(entry: dict) -> Domain:
    return Domain(
        key=entry["key"],
        roles=tuple(entry["roles"]),
        people=entry["people"],
        backgrounds=tuple(entry["backgrounds"]),
        achievements=tuple(entry["achievements"]),
        tasks=tuple(entry["tasks"]),
        former=tuple(entry["former"]),
        headlines={AiStance(stance): tuple(lines) for stance, lines in entry["headlines"].items()},
    )


DOMAINS: tuple[Domain, ...] = tuple(_domain(entry) for entry in load("domains")["domains"])
DOMAIN_BY_KEY = {domain.key: domain for domain in DOMAINS}
