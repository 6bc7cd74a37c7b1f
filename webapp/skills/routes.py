"""Skill autocomplete from the ESCO taxonomy (an htmx partial that fills a <datalist>)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..access import signed_in
from ..security import limiter, per_user
from ..taxonomy.services import taxonomy

bp = Blueprint("skills", __name__, url_prefix="/skills")
SUGGEST_LIMIT = "60 per minute;1000 per hour"  # autocomplete, debounced at 250 ms


@bp.route("/suggest")
@limiter.limit(SUGGEST_LIMIT, key_func=per_user)
@signed_in
def suggest():
    query = (request.args.get("q") or next(iter(request.args.values()), "")).strip()[:100]
    suggestions = taxonomy().search(query, limit=12) if len(query) >= 2 else []
    return render_template("skills/_suggestions.html", suggestions=suggestions)
