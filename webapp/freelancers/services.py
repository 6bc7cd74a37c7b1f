"""Reading a freelancer's profile for an organisation: only as far as the profile's visibility
allows, with the engagements they had with that organisation and its open needs to act on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Engagement, FreelancerProfile, Need, NeedStatus, User
from ..needs.services import need_in_organisation
from ..scope import team_condition
from ..search.ranking import visible_profile

AI_STANCE_WORDS = {
    "augment": "Mostly to augment people: pairing, coaching, tools that keep people in the loop",
    "balanced": "Both augmenting people and automating tasks",
    "automate": "Mostly to automate tasks end to end",
}
LEVEL_WORDS = {1: "aware", 2: "working knowledge", 3: "practitioner", 4: "advanced", 5: "expert"}


def profile_for(viewer: User, profile_id: int) -> FreelancerProfile:
    """The profile if the viewer's organisation may see it; 404 otherwise (no hint it exists)."""
    return visible_profile(viewer, profile_id)


def engagements_with_organisation(profile: FreelancerProfile, viewer: User) -> list[Engagement]:
    """The freelancer's engagements with the viewer's organisation, newest first."""
    return list(
        db.session.scalars(
            select(Engagement)
            .join(Engagement.need)
            .where(
                Engagement.profile_id == profile.id,
                Need.organisation_id == viewer.organisation_id,
                team_condition(viewer, Need.team_id),
            )
            .options(selectinload(Engagement.need).selectinload(Need.team))
            .order_by(Engagement.created_at.desc(), Engagement.id.desc())
        )
    )


def open_needs(viewer: User) -> list[Need]:
    """The open needs the viewer acts on (their teams'), newest first: the ones a freelancer can be
    shortlisted or invited for."""
    return list(
        db.session.scalars(
            select(Need)
            .where(
                Need.organisation_id == viewer.organisation_id,
                Need.status == NeedStatus.OPEN,
                team_condition(viewer, Need.team_id),
            )
            .order_by(Need.created_at.desc(), Need.id.desc())
        )
    )


def chosen_need(viewer: User, need_id: int | None) -> Need | None:
    """The open need named in the address, if it is the organisation's; None when none is named."""
    if not need_id:
        return None
    need = need_in_organisation(viewer, need_id)
    return need if need.status is NeedStatus.OPEN else None
