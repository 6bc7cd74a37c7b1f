"""The knowledge-transfer plan: skills × team members, with baseline, target and final levels.

The leader and the freelancer set it up together; the skills default to the need's, and free
text is kept when the taxonomy doesn't know a skill. Team members are the named people of the
need's team, and can be added from the engagement page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import select

from ...audit import record
from ...extensions import db
from ...models import Engagement, EngagementStatus, TeamMember, TransferPlanItem, User
from ...skills.entries import normalise_entries
from ..services import Capacity, EngagementError, require_editor

LOWEST, HIGHEST = 1, 5
DEFAULT_BASELINE, DEFAULT_TARGET = 1, 3


@dataclass(frozen=True)
class NewPlanItems:
    skill: str
    team_member_ids: tuple[int, ...]
    baseline: int
    target: int


@dataclass(frozen=True)
class Levels:
    baseline: int
    target: int
    final: int | None


def team_members(engagement: Engagement) -> list[TeamMember]:
    return list(
        db.session.scalars(
            select(TeamMember).where(TeamMember.team_id == engagement.need.team_id).order_by(TeamMember.name)
        )
    )


def check_levels(levels: Levels, status: EngagementStatus) -> None:
    """Refuses levels off the 1-5 scale, a target below the baseline, or a final level too early."""
    for name, value in (("baseline", levels.baseline), ("target", levels.target), ("final", levels.final)):
        if value is not None and not LOWEST <= value <= HIGHEST:
            raise EngagementError(f"The {name} level must be between {LOWEST} and {HIGHEST}; {value} is off the scale.")
    if levels.target < levels.baseline:
        raise EngagementError("The target level can't be below the baseline.")
    if levels.final is not None and status is not EngagementStatus.ACTIVE:
        raise EngagementError("Final levels are recorded while the engagement is active.")


def add_items(engagement: Engagement, data: NewPlanItems, *, actor: User) -> tuple[list[TransferPlanItem], list[str]]:
    """One plan item per chosen team member; returns them and the names that already had the skill."""
    require_editor(engagement, actor)
    check_levels(Levels(data.baseline, data.target, None), engagement.status)
    entries, _ = normalise_entries([(data.skill, 0)])
    if not entries:
        raise EngagementError("Name the skill to transfer.")
    members = _members(engagement, data.team_member_ids)
    skill = entries[0]
    taken = {item.team_member_id for item in engagement.plan_items if item.skill_label.lower() == skill.label.lower()}
    added = [
        TransferPlanItem(
            engagement=engagement,
            skill=skill.skill,
            skill_label=skill.label,
            team_member=member,
            baseline_level=data.baseline,
            target_level=data.target,
        )
        for member in members
        if member.id not in taken
    ]
    db.session.add_all(added)
    db.session.flush()
    for item in added:
        record(
            actor,
            "engagement",
            engagement.id,
            "plan_item_added",
            skill=item.skill_label,
            member=item.team_member.name,
            baseline=item.baseline_level,
            target=item.target_level,
        )
    db.session.commit()
    return added, [member.name for member in members if member.id in taken]


def _members(engagement: Engagement, member_ids: tuple[int, ...]) -> list[TeamMember]:
    team = {member.id: member for member in team_members(engagement)}
    if not member_ids:
        raise EngagementError("Choose at least one team member who should learn this skill.")
    if any(member_id not in team for member_id in member_ids):
        raise EngagementError("Choose people of the need's team.")
    return [team[member_id] for member_id in dict.fromkeys(member_ids)]


def fill_from_need(engagement: Engagement, *, actor: User) -> int:
    """Every skill of the need × every team member, at the default levels; returns how many were added."""
    require_editor(engagement, actor)
    members = team_members(engagement)
    if not members:
        raise EngagementError("Add the team's members first: the plan says who learns what.")
    existing = {(item.skill_label.lower(), item.team_member_id) for item in engagement.plan_items}
    added = 0
    for need_skill in engagement.need.skills:
        for member in members:
            if (need_skill.label.lower(), member.id) in existing:
                continue
            db.session.add(
                TransferPlanItem(
                    engagement=engagement,
                    skill_id=need_skill.skill_id,
                    skill_label=need_skill.label,
                    team_member=member,
                    baseline_level=DEFAULT_BASELINE,
                    target_level=DEFAULT_TARGET,
                )
            )
            added += 1
    if added:
        record(actor, "engagement", engagement.id, "plan_filled_from_need", items=added)
        db.session.commit()
    return added


def plan_item(engagement: Engagement, item_id: int) -> TransferPlanItem:
    item = next((item for item in engagement.plan_items if item.id == item_id), None)
    if item is None:
        abort(404)
    return item


def update_levels(engagement: Engagement, item: TransferPlanItem, levels: Levels, *, actor: User) -> bool:
    """Both parties shape the plan. Only the leader records final levels, which drive the
    freelancer's own transfer metrics: a final level from the freelancer is kept as their proposal
    for the leader to confirm. True when it was taken as a proposal."""
    capacity = require_editor(engagement, actor)
    check_levels(levels, engagement.status)
    proposed = capacity is not Capacity.LEADER and levels.final != item.final_level
    if proposed:
        changed = _propose(engagement, item, levels.final, actor=actor)
        levels = Levels(levels.baseline, levels.target, item.final_level)
        changed = _apply_levels(engagement, item, levels, actor=actor) or changed
    else:
        answers_proposal = capacity is Capacity.LEADER and levels.final != item.final_level
        changed = _apply_levels(engagement, item, levels, actor=actor) | (answers_proposal and _settle(item))
    if changed:
        db.session.commit()
    return proposed


def set_final_levels(engagement: Engagement, finals: dict[int, int | None], *, actor: User) -> int:
    """Final levels for many plan items in one commit (item id -> level, None for not assessed);
    every level is checked before any is changed. Returns how many items changed. The leader
    records them; the freelancer's are kept as proposals for the leader to confirm."""
    capacity = require_editor(engagement, actor)
    items = {item.id: item for item in engagement.plan_items}
    if any(item_id not in items for item_id in finals):
        abort(404)
    wanted = {
        items[item_id]: Levels(items[item_id].baseline_level, items[item_id].target_level, final)
        for item_id, final in finals.items()
    }
    for levels in wanted.values():
        check_levels(levels, engagement.status)
    if capacity is Capacity.LEADER:
        changed = sum(
            _apply_levels(engagement, item, levels, actor=actor) | _settle(item) for item, levels in wanted.items()
        )
    else:
        changed = sum(_propose(engagement, item, levels.final, actor=actor) for item, levels in wanted.items())
    if changed:
        db.session.commit()
    return changed


def _settle(item: TransferPlanItem) -> bool:
    """The leader has answered the item's proposal, whatever level they kept."""
    settled, item.proposed_final_level = item.proposed_final_level is not None, None
    return settled


def _propose(engagement: Engagement, item: TransferPlanItem, level: int | None, *, actor: User) -> bool:
    """Keeps the freelancer's proposed final level, without committing; False when it is the same."""
    if level == item.proposed_final_level or (level is not None and level == item.final_level):
        return False
    record(
        actor,
        "engagement",
        engagement.id,
        "plan_item_proposed",
        skill=item.skill_label,
        member=item.team_member.name,
        proposed=[item.proposed_final_level, level],
    )
    item.proposed_final_level = level
    return True


def _apply_levels(engagement: Engagement, item: TransferPlanItem, levels: Levels, *, actor: User) -> bool:
    """Sets the item's levels and records what changed, without committing; False when nothing did."""
    before = Levels(item.baseline_level, item.target_level, item.final_level)
    changes: dict[str, Any] = {  # the audit row's detail: [before, after] by level
        name: [getattr(before, name), getattr(levels, name)]
        for name in ("baseline", "target", "final")
        if getattr(before, name) != getattr(levels, name)
    }
    if not changes:
        return False
    item.baseline_level, item.target_level, item.final_level = levels.baseline, levels.target, levels.final
    record(
        actor,
        "engagement",
        engagement.id,
        "plan_item_changed",
        skill=item.skill_label,
        member=item.team_member.name,
        **changes,
    )
    return True


@dataclass(frozen=True)
class PlanGrid:
    """The plan as a table: a row per team member, a column per skill, a plan item (or none) per cell."""

    members: list[TeamMember]
    skills: list[str]
    cells: dict[tuple[int, str], TransferPlanItem]

    def item(self, member: TeamMember, skill: str) -> TransferPlanItem | None:
        return self.cells.get((member.id, skill))


def plan_grid(engagement: Engagement) -> PlanGrid:
    items = engagement.plan_items
    members = sorted({item.team_member_id: item.team_member for item in items}.values(), key=lambda m: m.name.lower())
    skills = list(dict.fromkeys(item.skill_label for item in items))
    return PlanGrid(members, skills, {(item.team_member_id, item.skill_label): item for item in items})


def remove_item(engagement: Engagement, item: TransferPlanItem, *, actor: User) -> None:
    require_editor(engagement, actor)
    if any(item in session.plan_items for session in engagement.sessions):
        raise EngagementError("Sessions served this plan item, so it stays part of the record.")
    engagement.plan_items.remove(item)
    record(
        actor, "engagement", engagement.id, "plan_item_removed", skill=item.skill_label, member=item.team_member.name
    )
    db.session.commit()


@dataclass(frozen=True)
class NewTeamMember:
    name: str
    role_title: str = ""
    email: str | None = None


def add_team_member(engagement: Engagement, data: NewTeamMember, *, actor: User) -> TeamMember:
    """A named person of the need's team; they need no account. The leader keeps the roster: it
    decides who gets check-in links."""
    if require_editor(engagement, actor) is not Capacity.LEADER:
        raise EngagementError("The team's leader keeps the roster: ask them to add this person.")
    if any(member.name.lower() == data.name.lower() for member in team_members(engagement)):
        raise EngagementError(f"{data.name} is already a member of {engagement.need.team.name}.")
    member = TeamMember(team_id=engagement.need.team_id, name=data.name, role_title=data.role_title, email=data.email)
    db.session.add(member)
    db.session.flush()
    record(actor, "engagement", engagement.id, "team_member_added", member=member.name)
    db.session.commit()
    return member
