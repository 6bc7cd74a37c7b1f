"""A freelancer's profile page for leaders, linked from match cards, the shortlist, compare,
search, interest and invitations; shortlisting and inviting are available from it."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..access import roles
from ..invitations import services as invitations
from ..models import Role
from . import records, services

bp = Blueprint("freelancers", __name__, url_prefix="/freelancers")


@bp.route("/<int:profile_id>")
@roles(Role.LEADER, Role.PROGRAM_MANAGER, Role.ADMIN)
def show(profile_id: int):
    """A freelancer's profile as a leader sees it, beside the need they came from."""
    profile = services.profile_for(current_user, profile_id)
    need = services.chosen_need(current_user, request.args.get("need", type=int))
    return render_template(
        "freelancers/show.html",
        profile=profile,
        need=need,
        needs=services.open_needs(current_user) if current_user.role is Role.LEADER else [],
        shortlisted=invitations.shortlisted_ids(need) if need else set(),
        engagements=services.engagements_with_organisation(profile, current_user),
        stance_words=services.AI_STANCE_WORDS,
        level_words=services.LEVEL_WORDS,
        record=records.record_of(profile),
    )
