"""A freelancer deleting their account.

Organisations keep the record of the engagements they ran (sessions, plan levels, artifacts,
check-in results, reviews), so those rows stay; what identifies the freelancer goes. The account
is renamed and deactivated rather than removed because that record and the audit trail point at it.
The profile row likewise stays as an empty, hidden shell that engagements and invitations refer
to: its text, skills, embedding, interests and shortlist places are deleted. The profile change
is recorded in the index change sequence in the same commit, so every process drops it from its
index before its next query, and the saved index files are written again without its vector.
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select

from ..audit import record
from ..auth.passwords import verify_password
from ..engagements.checkins.services import close_open_rounds
from ..extensions import db
from ..models import (
    Embedding,
    Engagement,
    EngagementStatus,
    FreelancerProfile,
    Interest,
    Invitation,
    InvitationStatus,
    ItemKind,
    ShortlistEntry,
    User,
    Visibility,
    utcnow,
)
from ..search.indexes import apply_changes_now, rewrite_saved

FORMER_FREELANCER = "Former freelancer"
REASON = "The freelancer deleted their account."
OPEN = (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE)


class WrongPassword(Exception):
    pass


def _profile(user: User) -> FreelancerProfile | None:
    return db.session.scalar(select(FreelancerProfile).where(FreelancerProfile.user_id == user.id))


def engagements_to_cancel(user: User) -> list[Engagement]:
    """The proposed and active engagements that deleting the account would cancel."""
    return list(
        db.session.scalars(
            select(Engagement)
            .join(Engagement.profile)
            .where(FreelancerProfile.user_id == user.id, Engagement.status.in_(OPEN))
            .order_by(Engagement.id)
        )
    )


def delete_account(user: User, password: str) -> None:
    """Checks the password, then anonymises the account in one commit."""
    if not verify_password(user.password_hash, password):
        raise WrongPassword("That is not your password.")
    if (profile := _profile(user)) is not None:
        _end_engagements_and_invitations(user, profile)
        _empty_profile(profile)
    _anonymise(user)
    record(user, "user", user.id, "deleted", from_state="active", to_state="anonymised")
    db.session.commit()
    apply_changes_now(ItemKind.PROFILE)
    rewrite_saved(ItemKind.PROFILE)  # the profile's vector leaves the saved files now, not at the next rebuild


def _end_engagements_and_invitations(user: User, profile: FreelancerProfile) -> None:
    for engagement in engagements_to_cancel(user):
        old, engagement.status = engagement.status, EngagementStatus.CANCELLED
        close_open_rounds(engagement, utcnow())
        record(
            user,
            "engagement",
            engagement.id,
            "status_changed",
            from_state=old.value,
            to_state=EngagementStatus.CANCELLED.value,
            reason=REASON,
        )
    for invitation in db.session.scalars(select(Invitation).where(Invitation.profile_id == profile.id)):
        invitation.decline_reason = ""  # the freelancer's words
        if invitation.status is InvitationStatus.SENT:
            invitation.status, invitation.responded_at = InvitationStatus.DECLINED, utcnow()
            record(
                user,
                "invitation",
                invitation.id,
                InvitationStatus.DECLINED.value,
                from_state=InvitationStatus.SENT.value,
                to_state=InvitationStatus.DECLINED.value,
                reason=REASON,
            )


def _empty_profile(profile: FreelancerProfile) -> None:
    db.session.execute(delete(Interest).where(Interest.profile_id == profile.id))
    db.session.execute(delete(ShortlistEntry).where(ShortlistEntry.profile_id == profile.id))
    db.session.execute(delete(Embedding).where(Embedding.kind == ItemKind.PROFILE, Embedding.item_id == profile.id))
    profile.skills.clear()
    profile.headline = profile.bio = profile.ai_usage = ""
    profile.hourly_rate = profile.weekly_hours = profile.timezone = profile.augmentation_focus = None
    profile.augmentation_evidence = []
    profile.visibility = Visibility.HIDDEN


def _anonymise(user: User) -> None:
    user.name = FORMER_FREELANCER
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.password_hash = "!deleted"  # matches no password
    user.session_token = secrets.token_hex(16)  # every cookie of the account stops working
    user.is_active_account = False
    user.last_login_at = None
