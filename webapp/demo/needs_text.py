"""Composes a need from a team and one of its problems: description, learning goals, notes, terms
(the words are in data/needs.yaml)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ..models import Intent
from .catalogue import load
from .content import OrganisationSpec, TeamSpec
from .needs_catalogue import PROBLEMS, Problem

_NEEDS = load("needs")
ANGLES = {Intent(intent): tuple(angles) for intent, angles in _NEEDS["angles"].items()}
CONSTRAINTS = tuple(_NEEDS["constraints"])
LEARNING_TAILS = {Intent(intent): tail for intent, tail in _NEEDS["learning_tails"].items()}
NOTES = tuple(_NEEDS["notes"])


@dataclass(frozen=True)
class NeedDraft:
    team_key: str
    goal_key: str | None
    title: str
    description: str
    intent: Intent
    duration_weeks: int
    hours_per_week: int
    budget_min: Decimal
    budget_max: Decimal
    timezone: str
    remote: bool
    learning_goals: str
    internal_notes: str
    skills: tuple[tuple[str, int], ...]  # (label, importance 1-3)


def need_slots(
    organisations: tuple[OrganisationSpec, ...], count: int
) -> list[tuple[OrganisationSpec, TeamSpec, Problem, int]]:
    """`count` (organisation, team, problem, phase) picks, teams taking turns; phase > 0 on reuse."""
    queues = [(org, team, PROBLEMS[team.key]) for org in organisations for team in org.teams]
    width = max(len(problems) for *_, problems in queues)
    ordered = [(org, team, problems[i]) for i in range(width) for org, team, problems in queues if i < len(problems)]
    return [(*ordered[i % len(ordered)], i // len(ordered)) for i in range(count)]


def compose_need(rng: random.Random, org: OrganisationSpec, team: TeamSpec, problem: Problem, phase: int) -> NeedDraft:
    angle = rng.choice(ANGLES[problem.intent]).format(people=team.people, work=problem.work)
    intro = rng.choice(team.intros)
    # Some needs start with the team, others with the problem, as people write them.
    sentences = [intro, problem.problem, angle] if rng.random() < 0.6 else [problem.problem, intro, angle]
    if rng.random() < 0.5:
        sentences.append(rng.choice(CONSTRAINTS))
    title = problem.title
    if phase:
        title = f"{title} (phase {phase + 1})"
        sentences.insert(0, f"Phase {phase + 1}, building on what the team learnt in the first round.")
        sentences = sentences[:4]
    a, b = rng.sample([name for name, _ in team.members], 2)
    budget_min = rng.randrange(60, 135, 5)
    return NeedDraft(
        team_key=team.key,
        goal_key=problem.goal or team.goal,
        title=title,
        description=" ".join(sentences),
        intent=problem.intent,
        duration_weeks=rng.choice((6, 8, 10, 12, 16)),
        hours_per_week=rng.choice((8, 10, 12, 16, 20)),
        budget_min=Decimal(budget_min),
        budget_max=Decimal(budget_min + rng.randrange(20, 75, 5)),
        timezone=org.timezone,
        remote=team.key != "field" or rng.random() < 0.5,
        learning_goals=f"By the end the team can {problem.learning}. {LEARNING_TAILS[problem.intent]}",
        internal_notes=rng.choice(NOTES).format(a=a, b=b),
        skills=problem.skills,
    )
