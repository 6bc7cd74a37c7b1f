"""The demo's organisations: teams, their named members, company goals and the people who sign in
(data/organisations.yaml).

Larkspur Logistics is the main demo organisation; Ferncliff Community Health is a second, small
one, there to show that one organisation never sees another's needs or engagements."""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import load, pairs


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    description: str
    people: str  # how need texts refer to the team's people
    intros: tuple[str, ...]  # first sentence of a need: what the team does
    members: tuple[tuple[str, str], ...]  # (name, role title)
    goal: str  # the goal its needs serve unless a need names another


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    email_domain: str
    timezone: str
    leader: str
    program_manager: str | None
    goals: dict[str, tuple[str, str]]  # key -> (title, description)
    teams: tuple[TeamSpec, ...]


def _organisation(spec: dict) -> OrganisationSpec:
    teams = tuple(
        TeamSpec(
            team["key"],
            team["name"],
            team["description"],
            team["people"],
            tuple(team["intros"]),
            tuple((member["name"], member["role"]) for member in team["members"]),
            team["goal"],
        )
        for team in spec["teams"]
    )
    goals = {key: (goal["title"], goal["description"]) for key, goal in spec["goals"].items()}
    return OrganisationSpec(
        spec["name"], spec["email_domain"], spec["timezone"], spec["leader"], spec.get("program_manager"), goals, teams
    )


ORGANISATIONS = tuple(_organisation(spec) for spec in load("organisations")["organisations"])
LARKSPUR, FERNCLIFF = ORGANISATIONS

# The freelancer who signs in for the demo: written out, not generated, as people will read it.
FEATURED_FREELANCER = load("organisations")["featured_freelancer"] | {
    "skills": pairs(load("organisations")["featured_freelancer"]["skills"])
}
