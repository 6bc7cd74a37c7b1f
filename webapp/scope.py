"""Scope inside an organisation, as one rule: leaders act on the teams they lead (a team has
leaders), program managers and admins see everything of their organisation. Needs, engagements,
check-ins, the dashboard, its CSV and its JSON all ask here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from .extensions import db
from .models import Role, User
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
