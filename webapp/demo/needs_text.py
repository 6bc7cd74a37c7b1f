"""Composes a need from a team and one of its problems: description, learning goals, notes, terms."""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ..models import Intent
from .content import OrganisationSpec, TeamSpec
from .needs_catalogue import PROBLEMS, Problem

ANGLES = {
    Intent.AUGMENT: (
        "We want someone to pair with {people} on {work}, so the team builds and tunes the tools alongside you and keeps them going after you leave.",
        "The people doing the work should stay in charge: AI suggests, {people} decide, and we would rather have hands-on workshops than a finished tool handed over.",
        "We are looking for a coach more than a builder: help {people} try AI on {work} safely, with a human in the loop for every decision that matters.",
        "Success for us means {people} use AI for {work} confidently on their own, not that an outside system does it for them.",
    ),
    Intent.BALANCED: (
        "Routine parts of {work} can be automated, but {people} need to understand and adjust what is built, so expect to pair with them as well.",
        "We expect a mix: automate the repetitive steps of {work} and coach {people} on the judgement calls that stay with them.",
        "Parts of {work} should run on their own; for the rest we want {people} working with AI, not around it.",
    ),
    Intent.AUTOMATE: (
        "We would like {work} automated end to end, with straight-through processing for routine cases and only exceptions reaching a person.",
        "The aim is to remove the manual steps in {work} entirely and free {people} for work that needs them.",
        "We want a reliable automated pipeline for {work} that replaces today's copy-and-paste routine, with monitoring and clear error handling.",
    ),
}
CONSTRAINTS = (
    "Sessions should avoid Monday mornings, our busiest hours.",
    "Two of the team joined this year, so some patience with the basics will be needed.",
    "We already have licences for a mainstream AI assistant; we need help using it well.",
    "Data has to stay in our EU cloud tenant; anything else needs approval from security.",
    "The works council has been informed and wants to see how roles will change.",
    "A pilot last year stalled when the consultant left, so hand-over matters to us.",
    "Everyone on the team works in English; a few prefer Dutch or German in workshops.",
)
LEARNING_TAILS = {
    Intent.AUGMENT: "They should also be able to show a new colleague how it works.",
    Intent.BALANCED: "They should also know which steps run on their own and how to change them.",
    Intent.AUTOMATE: "They should also be able to monitor the automated flow and handle what it cannot.",
}
NOTES = (
    "Budget confirmed with finance for two quarters. {a} is keen; {b} is sceptical after the last pilot, so involve them early.",
    "{a} is on leave for three weeks mid-way; plan the hand-over with {b}.",
    "No headcount reduction is planned and we should say so clearly in the first session. {a} asked about it twice.",
    "Prefer someone who has done this in logistics before. Shortlist three at most, then let {a} meet them.",
    "The security review takes about two weeks; start the paperwork as soon as we pick someone.",
    "A rate above the range is fine for a principal who can commit the hours. {a} will be the day-to-day contact.",
    "Don't mention the depot reorganisation yet; it is not announced. {b} knows and will keep it out of scope.",
    "{a} and {b} will attend every session; the others join the workshops only.",
)


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
    organisations: tuple[OrganisationSpec, ...], count: int,
) -> list[tuple[OrganisationSpec, TeamSpec, Problem, int]]:
    """`count` (organisation, team, problem, phase) picks, teams taking turns; phase > 0 on reuse."""
    queues = [(org, team, PROBLEMS[team.key]) for org in organisations for team in org.teams]
    width = max(len(problems) for *_, problems in queues)
    ordered = [(org, team, problems[i]) for i in range(width) for org, team, problems in queues if i < len(problems)]
    return [(*ordered[i % len(ordered)], i // len(ordered)) for i in range(count)]


def compose_need(rng: random.Random, org: OrganisationSpec, team: TeamSpec, problem: Problem, phase: int) -> NeedDraft:
    angle = rng.choice(ANGLES[problem.intent]).format(people=team.people, work=problem.work)
    sentences = [rng.choice(team.intros), problem.problem, angle]
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
        team_key=team.key, goal_key=problem.goal or team.goal, title=title,
        description=" ".join(sentences), intent=problem.intent,
        duration_weeks=rng.choice((6, 8, 10, 12, 16)), hours_per_week=rng.choice((8, 10, 12, 16, 20)),
        budget_min=Decimal(budget_min), budget_max=Decimal(budget_min + rng.randrange(20, 75, 5)),
        timezone=org.timezone, remote=team.key != "field" or rng.random() < 0.5,
        learning_goals=f"By the end the team can {problem.learning}. {LEARNING_TAILS[problem.intent]}",
        internal_notes=rng.choice(NOTES).format(a=a, b=b), skills=problem.skills,
    )
