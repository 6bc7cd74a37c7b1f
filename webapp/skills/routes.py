"""Skill autocomplete from the ESCO taxonomy (an htmx partial that fills a <datalist>)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..access import signed_in
from ..taxonomy.services import taxonomy

bp = Blueprint("skills", __name__, url_prefix="/skills")


@bp.route("/suggest")
@signed_in
def suggest():
    query = (request.args.get("q") or next(iter(request.args.values()), "")).strip()[:100]
    suggestions = taxonomy().search(query, limit=12) if len(query) >= 2 else []
    return render_template("skills/_suggestions.html", suggestions=suggestions)
