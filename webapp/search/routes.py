"""Free-text search through the same engine as the rankings, within the viewer's rights."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..access import signed_in
from ..models import Role
from . import ranking

bp = Blueprint("search", __name__)


@bp.route("/search")
@signed_in
def index():
    text = (request.args.get("q") or "").strip()[:500]
    page_number = ranking.page_number(request.args.get("page", 1, type=int))
    if not text:
        return render_template("search/index.html", text="", page=None, kind=None)
    if current_user.role is Role.FREELANCER:
        page, kind = ranking.search_needs(text, page_number), "needs"
    else:
        page, kind = ranking.search_profiles(text, page_number, viewer=current_user), "profiles"
    return render_template("search/index.html", text=text, page=page, kind=kind)
