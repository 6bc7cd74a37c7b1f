"""The e-mails of an invitation's life: to the freelancer when invited, to the team's leaders when
accepted. Each names the organisation, the team and the engagement, and links to it."""

from __future__ import annotations

from ..extensions import db
from ..mail import Letter, absolute_url, compose, post
from ..models import Engagement, Invitation


def invitation_sent(invitation: Invitation) -> None:
    need = invitation.need
    subject = f"{need.organisation.name} invites you: {need.title}"
    message = compose(
        Letter("invitation_sent", invitation.profile.user.email, subject, need.organisation_id),
        invitation=invitation,
        need=need,
        link=absolute_url("profiles.my_invitations"),
    )
    db.session.rollback()
    post([message])


def invitation_accepted(engagement: Engagement) -> None:
    need = engagement.need
    leaders = {user.email: user for user in [*need.team.leaders, need.created_by] if user.is_active}
    subject = f"{engagement.profile.user.name} accepted: {need.title}"
    link = absolute_url("engagements.show", engagement_id=engagement.id)
    messages = [
        compose(
            Letter("invitation_accepted", email, subject, need.organisation_id),
            leader=leader,
            engagement=engagement,
            need=need,
            link=link,
        )
        for email, leader in leaders.items()
    ]
    db.session.rollback()
    post(messages)
