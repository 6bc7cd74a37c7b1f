"""`GET /api/v1/program/engagements`: the dashboard's engagement table as JSON for other tools,
with the dashboard's filters and sort as query arguments. Signed-in session, same rules as the
dashboard; the path carries the version, and version 1 only ever gains fields."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..access import roles
from ..models import utcnow
from . import exports
from .routes import REVIEWERS, engagement_url, requested_program

bp = Blueprint("program_api", __name__, url_prefix=f"/api/v{exports.API_VERSION}/program")


@bp.route("/engagements")
@roles(*REVIEWERS)
def engagements():
    """The outcomes of the organisation's engagements as JSON, with the dashboard's filters."""
    form, program = requested_program()
    if form.errors:
        return jsonify(version=exports.API_VERSION, errors=form.errors), 400
    rows = exports.records(program.outcomes, engagement_url)
    return jsonify(
        version=exports.API_VERSION,
        generated_at=utcnow().isoformat(timespec="seconds"),
        filters=program.query.filter_params(),
        sort={"by": program.query.sort, "descending": program.query.descending},
        count=len(rows),
        engagements=rows,
    )
