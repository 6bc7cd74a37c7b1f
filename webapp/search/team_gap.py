"""A need's team and what it already holds: each member's last known level per skill, from the
final levels and follow-up assessments of the team's completed engagements (the newer
engagement wins; a follow-up level over the final one), and the need's skills weighted by the
gap (matching.team_gap) unless the leader switched it off for the need."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from matching import NeedDoc, TeamGap, describe_team_gap, weigh_by_team_gap

from ..extensions import db
from ..models import Engagement, EngagementStatus, Need, TransferPlanItem
from .docs import need_doc


def team_levels(team_id: int) -> dict[str, int]:
    """Skill label -> the highest last known level of any member of the team."""
    rows = db.session.execute(
        select(
            TransferPlanItem.team_member_id,
            TransferPlanItem.skill_label,
            TransferPlanItem.final_level,
            TransferPlanItem.followup_level,
        )
        .join(Engagement, TransferPlanItem.engagement_id == Engagement.id)
        .join(Need, Engagement.need_id == Need.id)
        .where(Need.team_id == team_id, Engagement.status == EngagementStatus.COMPLETED)
        .order_by(Engagement.completed_at, Engagement.id)
    )
    last: dict[tuple[int, str], int] = {}
    for member_id, skill, final, followup in rows:
        level = followup if followup is not None else final
        if level is not None:
            last[(member_id, skill.casefold())] = level
    best: dict[str, int] = {}
    for (_, skill), level in last.items():
        best[skill] = max(level, best.get(skill, 0))
    return best


def gap_of(need: Need) -> TeamGap | None:
    """The need's team gap, or None when the leader switched it off or the team holds nothing known."""
    if not need.team_gap or not need.skills:
        return None
    levels = team_levels(need.team_id)
    return weigh_by_team_gap(tuple(_skill_refs(need)), levels) if levels else None


def _skill_refs(need: Need):

    return need_doc(need).skills


def with_team_gap(doc: NeedDoc, gap: TeamGap | None) -> NeedDoc:
    return doc if gap is None else replace(doc, skills=gap.skills)


def gap_sentence(gap: TeamGap | None) -> str | None:
    """ "Your team already has SQL; the gap is LLM evaluation." or None."""
    words = describe_team_gap(gap) if gap is not None else None
    return words[:1].upper() + words[1:] + "." if words else None
