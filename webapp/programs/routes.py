"""The outcomes dashboard and its CSV export. Program managers and admins see the organisation,
leaders their own teams; nobody changes an engagement from here."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user

from ..access import roles
from ..home.news import whats_new
from ..htmx import is_fragment_request
from ..matches.exposure import exposure_report
from ..models import Role
from . import exports, services
from .forms import ProgramFilterForm

bp = Blueprint("programs", __name__, url_prefix="/program")
REVIEWERS = (Role.PROGRAM_MANAGER, Role.ADMIN, Role.LEADER)


def requested_program() -> tuple[ProgramFilterForm, services.Program]:
    """The filter form read from the query string, and the viewer's program as it asks."""
    teams, goals = services.filter_choices(viewer=current_user)
    form = ProgramFilterForm(request.args, teams=teams, goals=goals)
    return form, services.program_for(form.query(), viewer=current_user)


def engagement_url(engagement_id: int) -> str:
    return url_for("engagements.show", engagement_id=engagement_id, _external=True)


@bp.route("")
@roles(*REVIEWERS)
def dashboard():
    """The outcomes dashboard: transferred, kept, connection health and delivery across engagements."""
    form, program = requested_program()
    context = dict(form=form, view=services.dashboard(program))
    if is_fragment_request():
        return render_template("programs/_results.html", **context)
    # The home of program managers and admins; leaders have theirs on the needs page.
    news = whats_new(current_user) if current_user.role is not Role.LEADER else None
    return render_template("programs/dashboard.html", **context, news=news)


@bp.route("/exposure")
@roles(Role.PROGRAM_MANAGER, Role.ADMIN)
def exposure():
    """How ranking exposure is spread over freelancers by record and by region (aggregates only)."""
    return render_template(
        "programs/exposure.html",
        report=exposure_report(current_user.organisation_id),
        floor=current_app.config.get("TANDEM_NEWCOMER_FLOOR", 0),
    )


@bp.route("/engagements.csv")
@roles(*REVIEWERS)
def export_csv():
    """The dashboard's engagements as CSV, with its filters."""
    _, program = requested_program()
    text = exports.csv_text(exports.records(program.outcomes, engagement_url))
    filename = f"tandem-engagements-{program.today.isoformat()}.csv"
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
