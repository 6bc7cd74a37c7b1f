"""Skill autocomplete from the taxonomy (an htmx partial that fills a <datalist>)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..access import signed_in
from ..security import limiter, per_user
from .entries import DID_YOU_MEAN_SIMILARITY
from .taxonomy import skill_normaliser, taxonomy

bp = Blueprint("skills", __name__, url_prefix="/skills")
OFFERED = 12
BY_MEANING_FROM = 3  # characters typed before the nearest skills by meaning fill the list
SUGGEST_LIMIT = "60 per minute;1000 per hour"  # autocomplete, debounced at 250 ms


@bp.route("/suggest")
@limiter.limit(SUGGEST_LIMIT, key_func=per_user)
@signed_in
def suggest():
    """Skills whose names start with what was typed, then the nearest by meaning."""
    query = (request.args.get("q") or next(iter(request.args.values()), "")).strip()[:100]
    suggestions = taxonomy().search(query, limit=OFFERED) if len(query) >= 2 else []
    if len(query) >= BY_MEANING_FROM and len(suggestions) < OFFERED:
        ranked = skill_normaliser().rank([query], OFFERED)[0]
        known = {skill.uri for skill in suggestions}
        near = [c.skill for c in ranked if c.skill.uri not in known and c.similarity >= DID_YOU_MEAN_SIMILARITY]
        suggestions += near[: OFFERED - len(suggestions)]
    return render_template("skills/_suggestions.html", suggestions=suggestions)
