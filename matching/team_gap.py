"""Team-gap matching: a need's skills weighted by what its team does not hold yet.

The team's level in a skill is the highest last known level of any current member (from earlier
plans' final levels and follow-ups, 1-5): one colleague who holds it can pass it on. A wanted
skill keeps its importance times the gap factor (5 - level) / 4, at least MIN_FACTOR: a skill
unknown to the team, or held at 1, counts fully; held at 3, half; held at 4, a quarter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from matching.taxonomy import label_key
from matching.types import SkillRef

TOP_LEVEL = 5
MIN_FACTOR = 0.1  # a skill the whole team masters still counts a little: the leader asked for it
HELD_LEVEL = 4  # "your team already has X" from this level


@dataclass(frozen=True)
class TeamGap:
    skills: tuple[SkillRef, ...]  # the need's skills with gap-weighted importance
    held: tuple[str, ...]  # wanted skills the team already holds (level >= HELD_LEVEL)
    gaps: tuple[str, ...]  # wanted skills the team lacks (unknown, or below HELD_LEVEL)


def gap_factor(level: int | None) -> float:
    if level is None:
        return 1.0
    level = min(TOP_LEVEL, max(1, int(level)))
    return max(MIN_FACTOR, (TOP_LEVEL - level) / (TOP_LEVEL - 1))


def team_gap(skills: tuple[SkillRef, ...], team_levels: Mapping[str, int]) -> TeamGap:
    """The need's skills weighted by the team's gap; `team_levels` maps a skill label (any case)
    to the team's best level."""
    levels = {label_key(label): level for label, level in team_levels.items()}
    weighted: list[SkillRef] = []
    held: list[str] = []
    gaps: list[str] = []
    for skill in skills:
        level = levels.get(label_key(skill.label))
        weighted.append(replace(skill, weight=skill.weight * gap_factor(level)))
        (held if level is not None and level >= HELD_LEVEL else gaps).append(skill.label)
    return TeamGap(tuple(weighted), tuple(held), tuple(gaps))


def describe(gap: TeamGap) -> str | None:
    """ "your team already has SQL; the gap is LLM evaluation", or None when the team holds none."""
    if not gap.held:
        return None
    sentence = f"your team already has {_listed(gap.held)}"
    return sentence + (f"; the gap is {_listed(gap.gaps)}" if gap.gaps else "")


def _listed(labels: tuple[str, ...]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
