"""How complete a freelancer's profile is, what is missing and why it matters for matching."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import FreelancerProfile

SKILLS_WANTED = 3


@dataclass(frozen=True)
class Part:
    name: str
    done: bool
    why: str


@dataclass(frozen=True)
class Completeness:
    parts: tuple[Part, ...]
    enough_to_rank: bool  # a headline and a skill: less than that and every need scores alike

    @property
    def share(self) -> float:
        return sum(part.done for part in self.parts) / len(self.parts)

    @property
    def missing(self) -> list[Part]:
        return [part for part in self.parts if not part.done]


def completeness(profile: FreelancerProfile) -> Completeness:
    skills = len(profile.skills)
    parts = (
        Part(
            "A headline", bool(profile.headline.strip()), "Matching reads it first, and leaders see it on every card."
        ),
        Part(
            f"At least {SKILLS_WANTED} skills",
            skills >= SKILLS_WANTED,
            "Each need's skills are matched against yours; with few skills, needs can't be told apart.",
        ),
        Part(
            "How you use AI, with examples",
            bool(profile.ai_usage.strip()),
            "Your augmentation focus comes from these words, and needs that want to augment their team weigh it.",
        ),
        Part(
            "About you",
            bool(profile.bio.strip()),
            "It helps matching tell similar people apart, and leaders read it on your profile.",
        ),
        Part(
            "Hours available per week",
            profile.weekly_hours is not None,
            "Leaders filter candidates by the hours a week they need.",
        ),
        Part("Hourly rate", profile.hourly_rate is not None, "Leaders filter candidates by their budget."),
        Part("Time zone", bool(profile.timezone), "Leaders filter candidates by time-zone gap."),
    )
    return Completeness(parts, enough_to_rank=bool(profile.headline.strip()) and skills >= 1)
