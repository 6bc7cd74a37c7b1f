"""The public check-in page a team member opens from their personal link.

It shows the questionnaire and what it is about (the team, the freelancer, the engagement's
purpose), and nothing about the person holding the link. A forged, used or expired link gets the same
neutral page (404 or 410) and changes nothing."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..access import public, validates_csrf_in_form
from ..security import limiter
from . import checkins
from .questionnaire import QUESTIONS, CheckinForm

bp = Blueprint("checkins", __name__, url_prefix="/checkin")
LINK_LIMIT = "30 per minute;300 per hour"


def _neutral(state: checkins.LinkState):
    return _private(render_template("checkins/unavailable.html"), state.value)


def _private(body: str, status: int):
    # The token is in the URL: keep it out of Referer headers sent to any other page.
    return body, status, {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
@public
@validates_csrf_in_form
def answer(token: str):
    state = checkins.link_state(token)
    if state is not checkins.LinkState.USABLE:
        return _neutral(state)
    form = CheckinForm()
    if form.validate_on_submit():
        try:
            checkins.answer(token, form.answer(), form.comment.data or "")
        except checkins.LinkUnusable as refused:
            return _neutral(refused.state)
        return _private(render_template("checkins/thanks.html"), 200)
    status = 422 if form.errors else 200
    return _private(render_template("checkins/form.html", form=form, questions=QUESTIONS,
                                    about=checkins.link_context(token)), status)
