"""Free-text search through the same engine as the rankings, within the viewer's rights.
Leaders get the match page's cards, with shortlist and invite for the need they choose."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..access import signed_in
from ..freelancers.services import chosen_need, open_needs
from ..invitations.services import shortlisted_ids
from ..models import Role
from ..needs.services import interested_profile_ids
from . import ranking

bp = Blueprint("search", __name__)


@bp.route("/search")
@signed_in
def index():
    """Free-text search over profiles (leaders) or needs (freelancers), one page at a time."""
    text = (request.args.get("q") or "").strip()[:500]
    page_number = ranking.page_number(request.args.get("page", 1, type=int))
    context = _acting_for(request.args.get("need", type=int)) | {"text": text, "page": None, "kind": None}
    if not text:
        return render_template("search/index.html", **context)
    if current_user.role is Role.FREELANCER:
        page, kind = ranking.search_needs(text, page_number), "needs"
    else:
        page, kind = ranking.search_profiles(text, page_number, viewer=current_user), "profiles"
    return render_template("search/index.html", **context | {"page": page, "kind": kind})


def _acting_for(need_id: int | None) -> dict:
    """For a leader: their open needs and the one results act on (the newest unless one is chosen)."""
    if current_user.role is not Role.LEADER:
        return {"needs": [], "need": None, "shortlisted": set(), "interested": set()}
    needs = open_needs(current_user)
    need = chosen_need(current_user, need_id) if need_id is not None else (needs[0] if needs else None)
    return {
        "needs": needs,
        "need": need,
        "shortlisted": shortlisted_ids(need) if need else set(),
        "interested": interested_profile_ids(need) if need else set(),
    }
