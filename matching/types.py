"""Plain data that crosses the boundary between the web app and the matching engine.

The web app turns its ORM rows into these; the engine never sees a session or a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.track_record import TrackRecord

SKILL_LEVELS = (1, 2, 3, 4, 5)  # 1 = aware, 3 = practitioner, 5 = expert
SKILL_IMPORTANCE = (1, 2, 3)  # 1 = nice to have, 2 = important, 3 = essential


@dataclass(frozen=True)
class SkillRef:
    """A skill as written by a person, with its taxonomy URI once normalised (None if unknown)."""

    label: str
    uri: str | None = None
    weight: float = 2  # a need's importance (1-3, scaled down by a team's gap) or a profile's level (1-5)


@dataclass(frozen=True)
class NeedDoc:
    """What the engine knows of a leader's need."""

    id: int
    title: str
    description: str = ""
    skills: tuple[SkillRef, ...] = ()
    augment_intent: float = 0.5  # 1.0 = amplify the team's people, 0.0 = automate tasks away
    goal: str = ""  # the company goal the need serves
    learning_goals: str = ""  # what the team must learn by the end
    budget_min: float | None = None  # hourly, in the organisation's currency
    budget_max: float | None = None
    budget_firm: bool = False  # candidates above budget_max are not ranked at all
    hours_per_week: float | None = None
    timezone: str | None = None  # IANA name, None = anywhere
    remote: bool = True


@dataclass(frozen=True)
class ProfileDoc:
    """What the engine knows of a freelancer's profile."""

    id: int
    headline: str
    bio: str = ""
    skills: tuple[SkillRef, ...] = ()
    ai_usage: str = ""  # how they use AI, in their words
    hourly_rate: float | None = None
    weekly_hours: float | None = None
    timezone: str | None = None
    record: TrackRecord | None = None  # the transfer record (matching.track_record); None: not known
    focus: AugmentationFocus | None = None  # as stored once read from its words; None: read when ranked


@dataclass(frozen=True)
class Evidence:
    """One reason behind an augmentation-focus score: the words and which way they pull."""

    source: str  # "skill", "ai_usage", "bio", "headline", ...
    text: str
    weight: float  # > 0 pulls towards augmentation, < 0 towards automation


@dataclass(frozen=True)
class AugmentationFocus:
    score: float  # in [0, 1]; 0.5 = no evidence either way
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Match:
    """One ranked result with everything needed to explain its score."""

    id: int
    score: float
    parts: dict[str, float] = field(default_factory=dict)  # relevance, and the factors applied to it
    raw: dict[str, float] = field(default_factory=dict)  # the evidence: semantic lift, coverage, lean, fit
    matched_skills: tuple[str, ...] = ()
    related_skills: tuple[
        tuple[str, str, str], ...
    ] = ()  # (wanted, the skill partly covering it, "related" | "similar name")
    missing_skills: tuple[str, ...] = ()
    augmentation: AugmentationFocus | None = None
    notes: tuple[str, ...] = ()  # fit remarks: "rate above budget", "3 h apart", ...
    label: str = ""  # strong, good, partial or weak (matching.calibration)
    flags: tuple[str, ...] = ()  # what a card marks: "over budget", "fewer hours"
    record: TrackRecord | None = None  # the freelancer's transfer record, when the ranking knew it
