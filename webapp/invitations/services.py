"""Shortlists and invitations: every change of an invitation's state is recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit import record
from ..extensions import db
from ..models import (
    Engagement,
    FreelancerProfile,
    Invitation,
    InvitationStatus,
    Need,
    NeedStatus,
    ShortlistEntry,
    User,
    Visibility,
    utcnow,
)
from ..scope import sees_team, visible_profiles
from ..transactions import commit_once
from .mail import invitation_accepted, invitation_sent

INVITATION_LIFETIME = timedelta(days=14)


class InvitationError(Exception):
    """Refused by the invitation's state; the message is for people."""


def invitations_for(viewer: User) -> list[Invitation]:
    """The invitations a freelancer received, newest first, with each need's organisation and
    the sender loaded."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Invitation.profile)
            .where(FreelancerProfile.user_id == viewer.id)
            .options(selectinload(Invitation.need).selectinload(Need.organisation), selectinload(Invitation.sent_by))
            .order_by(Invitation.created_at.desc())
        )
    )


def shortlisted_ids(need: Need) -> set[int]:
    return set(db.session.scalars(select(ShortlistEntry.profile_id).where(ShortlistEntry.need_id == need.id)))


def shortlist(need: Need, profile: FreelancerProfile, *, actor: User) -> None:
    if profile.id in shortlisted_ids(need):
        return  # shortlisting twice is the same as once
    db.session.add(ShortlistEntry(need=need, profile=profile, added_by_id=actor.id))
    record(actor, "need", need.id, "shortlisted", profile_id=profile.id)
    commit_once()  # lost to a simultaneous click: shortlisted all the same


def unshortlist(need: Need, profile_id: int, *, actor: User) -> None:
    entry = db.session.scalar(
        select(ShortlistEntry).where(ShortlistEntry.need_id == need.id, ShortlistEntry.profile_id == profile_id)
    )
    if entry is not None:
        db.session.delete(entry)
        record(actor, "need", need.id, "unshortlisted", profile_id=profile_id)
        db.session.commit()


def shortlisted_profiles(need: Need, *, viewer: User) -> list[FreelancerProfile]:
    """In the order they were shortlisted, leaving out any hidden since."""
    profiles = list(
        db.session.scalars(
            select(FreelancerProfile)
            .join(ShortlistEntry, ShortlistEntry.profile_id == FreelancerProfile.id)
            .where(ShortlistEntry.need_id == need.id)
            .order_by(ShortlistEntry.created_at)
        )
    )
    visible = visible_profiles(viewer, {profile.id: profile for profile in profiles})
    return [profile for profile in profiles if profile.id in visible]


def expire_overdue(invitations: list[Invitation]) -> None:
    """Sent invitations past their date become expired (recorded) when next read."""
    now = utcnow()
    overdue = [
        invitation
        for invitation in invitations
        if invitation.status is InvitationStatus.SENT
        and invitation.expires_at is not None
        and invitation.expires_at < now
    ]
    for invitation in overdue:
        moved = db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.status == InvitationStatus.SENT)
            .values(status=InvitationStatus.EXPIRED, responded_at=now),
            execution_options={"synchronize_session": False},
        ).rowcount  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
        if moved:
            record(
                None,
                "invitation",
                invitation.id,
                InvitationStatus.EXPIRED.value,
                from_state=InvitationStatus.SENT.value,
                to_state=InvitationStatus.EXPIRED.value,
            )
    if overdue:
        db.session.commit()
        for invitation in overdue:
            db.session.refresh(invitation)


def withdraw_open_invitations(need: Need, *, actor: User) -> None:
    """A need that closes takes back its waiting invitations (the caller commits). A freelancer
    accepting at that moment meets the same rows: one of the two updates wins."""
    withdrawn = db.session.scalars(
        update(Invitation)
        .where(Invitation.need_id == need.id, Invitation.status == InvitationStatus.SENT)
        .values(status=InvitationStatus.WITHDRAWN, responded_at=utcnow())
        .returning(Invitation.id),
        execution_options={"synchronize_session": False},
    ).all()
    for invitation_id in withdrawn:
        record(
            actor,
            "invitation",
            invitation_id,
            InvitationStatus.WITHDRAWN.value,
            from_state=InvitationStatus.SENT.value,
            to_state=InvitationStatus.WITHDRAWN.value,
            reason="The need was closed.",
        )


def invitations_of_need(need: Need) -> list[Invitation]:
    rows = list(
        db.session.scalars(
            select(Invitation).where(Invitation.need_id == need.id).order_by(Invitation.created_at.desc())
        )
    )
    expire_overdue(rows)
    return rows


def invite(need: Need, profile: FreelancerProfile, message: str, *, actor: User) -> Invitation:
    if need.status is not NeedStatus.OPEN:
        raise InvitationError("Only open needs can invite freelancers. Reopen the need first.")
    if profile.visibility is Visibility.HIDDEN:
        raise InvitationError("This freelancer isn't available for invitations.")
    pending = [
        i
        for i in invitations_of_need(need)
        if i.profile_id == profile.id and i.status in (InvitationStatus.SENT, InvitationStatus.ACCEPTED)
    ]
    if pending:
        raise InvitationError(f"{profile.user.name} already has a {pending[0].status.value} invitation for this need.")
    invitation = Invitation(
        need=need, profile=profile, sent_by=actor, message=message, expires_at=utcnow() + INVITATION_LIFETIME
    )
    db.session.add(invitation)
    try:
        db.session.flush()  # the database allows one open invitation per need and freelancer
    except IntegrityError:
        db.session.rollback()
        raise InvitationError(f"{profile.user.name} already has an open invitation for this need.") from None
    record(actor, "invitation", invitation.id, "sent", to_state=InvitationStatus.SENT.value)
    db.session.commit()
    invitation_sent(invitation)
    return invitation


def _move(invitation: Invitation, new: InvitationStatus, *, actor: User | None, **detail) -> None:
    """Moves a sent invitation on with a conditional UPDATE: of two answers at once (accept and
    withdraw, say), the database lets exactly one through."""
    conditions = [Invitation.id == invitation.id, Invitation.status == InvitationStatus.SENT]
    if new is InvitationStatus.ACCEPTED:  # and only while the need is open and the invitation current
        conditions += [
            Invitation.need_id.in_(select(Need.id).where(Need.status == NeedStatus.OPEN)),
            (Invitation.expires_at.is_(None)) | (Invitation.expires_at > utcnow()),
        ]
    moved = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult (rowcount)
        update(Invitation).where(*conditions).values(status=new, responded_at=utcnow()),
        execution_options={"synchronize_session": False},
    ).rowcount
    if moved != 1:
        db.session.rollback()
        db.session.refresh(invitation)
        state = invitation.status.value if invitation.status is not InvitationStatus.SENT else "closed with its need"
        raise InvitationError(f"This invitation was {state}: it can't be answered any more.")
    db.session.refresh(invitation, ["status", "responded_at"])
    record(
        actor,
        "invitation",
        invitation.id,
        new.value,
        from_state=InvitationStatus.SENT.value,
        to_state=new.value,
        **detail,
    )


def _require_sent(invitation: Invitation) -> None:
    expire_overdue([invitation])
    if invitation.status is not InvitationStatus.SENT:
        raise InvitationError(f"This invitation was {invitation.status.value}: it can't be answered any more.")


def withdraw(invitation: Invitation, *, actor: User) -> None:
    _require_sent(invitation)
    _move(invitation, InvitationStatus.WITHDRAWN, actor=actor)
    db.session.commit()


def accept(invitation: Invitation, *, actor: User) -> Engagement:
    """Accepting creates the proposed engagement, in the same commit."""
    _require_sent(invitation)
    _move(invitation, InvitationStatus.ACCEPTED, actor=actor)
    engagement = Engagement(
        need_id=invitation.need_id,
        profile_id=invitation.profile_id,
        invitation_id=invitation.id,
        agreed_hours=invitation.need.hours_per_week,
    )
    db.session.add(engagement)
    db.session.flush()
    record(actor, "engagement", engagement.id, "proposed", to_state="proposed", invitation_id=invitation.id)
    db.session.commit()
    invitation_accepted(engagement)
    return engagement


def decline(invitation: Invitation, reason: str, *, actor: User) -> None:
    _require_sent(invitation)
    invitation.decline_reason = reason
    _move(invitation, InvitationStatus.DECLINED, actor=actor)
    db.session.commit()


def engagements_of(invitations: list[Invitation]) -> dict[int, int]:
    """invitation id -> the engagement its acceptance set up."""
    ids = [invitation.id for invitation in invitations]
    rows = db.session.execute(select(Engagement.invitation_id, Engagement.id).where(Engagement.invitation_id.in_(ids)))
    return {invitation_id: engagement_id for invitation_id, engagement_id in rows if invitation_id is not None}


def invitation_for_freelancer(viewer: User, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        select(Invitation)
        .join(Invitation.profile)
        .where(Invitation.id == invitation_id, FreelancerProfile.user_id == viewer.id)
    )


def invitation_for_leader(viewer: User, invitation_id: int) -> Invitation | None:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not sees_team(viewer, invitation.need.organisation_id, invitation.need.team_id):
        return None
    return invitation
