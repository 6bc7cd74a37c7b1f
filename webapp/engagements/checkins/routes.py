"""The public check-in page a team member opens from the personal link they got by e-mail.

It shows the questionnaire and what it is about (the team, the freelancer, the engagement's
purpose), nothing about the person holding the link, and looks the same before and after the link
was used: only a submit says that it was. A forged link, or one whose round has closed, gets a
neutral page."""

from __future__ import annotations

from flask import Blueprint, render_template

from ...access import public, validates_csrf_in_form
from ...security import limiter
from ..links import LINK_LIMIT, private
from . import services as checkins
from .forms import QUESTIONS, CheckinForm

bp = Blueprint("checkins", __name__, url_prefix="/checkin")


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
@public
@validates_csrf_in_form
def answer(token: str):
    """A team member's check-in questionnaire: the same page before and after use until they submit."""
    if not checkins.link_open(token):
        return private(render_template("checkins/unavailable.html"), 404)
    form = CheckinForm()
    if form.validate_on_submit():
        try:
            checkins.answer(token, form.answer(), form.comment.data or "")
        except checkins.LinkUnusable:
            return private(render_template("checkins/used.html"), 410)
        return private(render_template("checkins/thanks.html"), 200)
    status = 422 if form.errors else 200
    return private(
        render_template("checkins/form.html", form=form, questions=QUESTIONS, about=checkins.link_context(token)),
        status,
    )
