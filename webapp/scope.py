"""Scope inside an organisation, as one rule: leaders act on the teams they lead (a team has
leaders), program managers and admins see everything of their organisation. Needs, engagements,
check-ins, the dashboard, its CSV and its JSON all ask here. Across organisations, a profile's
visibility says who may see it: every ranking, shortlist and invitation list asks here too."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from .extensions import db
from .models import FreelancerProfile, Invitation, Need, Role, User, Visibility
from .models.organisations import team_leaders


def led_team_ids(viewer: User) -> frozenset[int] | None:
    """The teams a leader leads; None for a viewer who sees every team of the organisation."""
    if viewer.role is not Role.LEADER:
        return None
    return frozenset(db.session.scalars(select(team_leaders.c.team_id).where(team_leaders.c.user_id == viewer.id)))


def sees_team(viewer: User, organisation_id: int, team_id: int) -> bool:
    """Whether the viewer's scope covers this team of this organisation."""
    if viewer.organisation_id is None or viewer.organisation_id != organisation_id:
        return False
    teams = led_team_ids(viewer)
    return teams is None or team_id in teams


def team_condition(viewer: User, team_column) -> ColumnElement[bool]:
    """A WHERE condition keeping rows of the teams within the viewer's scope."""
    teams = led_team_ids(viewer)
    return true() if teams is None else team_column.in_(teams)


def visible_ids(viewer: User, visibility_of: dict[int, Visibility]) -> set[int]:
    """Of these profiles, the ones the viewer may see: public ones, and 'organisations that
    invited me' ones where the viewer's organisation did. Hidden ones never."""
    limited = [pid for pid, visibility in visibility_of.items() if visibility is Visibility.INVITING_ORGANISATIONS]
    invited_by_viewer = set()
    if limited and viewer.organisation_id is not None:
        invited_by_viewer = set(
            db.session.scalars(
                select(Invitation.profile_id)
                .join(Invitation.need)
                .where(Invitation.profile_id.in_(limited), Need.organisation_id == viewer.organisation_id)
            )
        )
    return {
        pid for pid, visibility in visibility_of.items() if visibility is Visibility.PUBLIC or pid in invited_by_viewer
    }


def visible_profiles(viewer: User, rows: dict[int, FreelancerProfile]) -> dict[int, FreelancerProfile]:
    """The rows the viewer may see; closed accounts never show."""
    active = {pid: p.visibility for pid, p in rows.items() if p.user.is_active_account}
    allowed = visible_ids(viewer, active)
    return {pid: p for pid, p in rows.items() if pid in allowed}
