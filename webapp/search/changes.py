"""Every change to what is embedded for a need or a profile appends an IndexChange row in the
same transaction, so each process can tell it is behind and apply exactly what it missed.

What embedding derives from the text (a profile's augmentation focus, a need's lean) records
nothing: every process that applies the text's own change embeds it first (or finds it stored),
so a second change for the same text would only make every process apply it twice."""

from __future__ import annotations

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from ..models import CompanyGoal, FreelancerProfile, IndexChange, ItemKind, Need, NeedSkill, ProfileSkill, User

DERIVED: dict[type, set[str]] = {
    Need: {"augment_lean", "lean_evidence", "updated_at"},
    FreelancerProfile: {"augmentation_focus", "augmentation_evidence", "updated_at"},
}


def _only_derived_changed(session: Session, obj: object) -> bool:
    if obj not in session.dirty or type(obj) not in DERIVED:
        return False
    changed = {attr.key for attr in inspect(obj).attrs if attr.history.has_changes()}
    return changed <= DERIVED[type(obj)]


def _touched_items(session: Session) -> set[tuple[ItemKind, int]]:
    touched: set[tuple[ItemKind, int]] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if _only_derived_changed(session, obj):
            continue
        if isinstance(obj, Need):
            touched.add((ItemKind.NEED, obj.id))
        elif isinstance(obj, NeedSkill) and obj.need_id:
            touched.add((ItemKind.NEED, obj.need_id))
        elif isinstance(obj, FreelancerProfile):
            touched.add((ItemKind.PROFILE, obj.id))
        elif isinstance(obj, ProfileSkill) and obj.profile_id:
            touched.add((ItemKind.PROFILE, obj.profile_id))
        elif isinstance(obj, CompanyGoal) and obj in session.dirty:
            touched.update((ItemKind.NEED, need_id) for need_id in _needs_of_goal(session, obj.id))
        elif isinstance(obj, User) and obj in session.dirty:
            touched.update((ItemKind.PROFILE, pid) for pid in _profiles_of_user(session, obj.id))
    return {(kind, item_id) for kind, item_id in touched if item_id is not None}


def _needs_of_goal(session: Session, goal_id: int) -> list[int]:
    return list(session.scalars(select(Need.id).where(Need.goal_id == goal_id)))


def _profiles_of_user(session: Session, user_id: int) -> list[int]:
    return list(session.scalars(select(FreelancerProfile.id).where(FreelancerProfile.user_id == user_id)))


def record_changes(session: Session, flush_context) -> None:
    touched = _touched_items(session)
    if touched:
        session.connection().execute(
            insert(IndexChange), [{"kind": kind, "item_id": item_id} for kind, item_id in sorted(touched, key=str)]
        )


def install() -> None:
    if not event.contains(Session, "after_flush", record_changes):
        event.listen(Session, "after_flush", record_changes)
