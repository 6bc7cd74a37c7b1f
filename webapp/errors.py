"""Error pages (403, 404, 500 and friends) that keep the layout and say what to do next."""

from __future__ import annotations

import logging

from flask import Flask, g, has_request_context, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db, login_manager

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    401: "Sign in first: this needs a signed-in session.",
    403: "You don't have access to this page.",
    404: "There is nothing here. The link may be old, or the item was removed.",
    405: "That action isn't allowed here.",
    413: "That upload is too large.",
    429: "Too many attempts. Please wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you typed was saved half-way; please try again.",
    503: "Tandem can't reach its database right now. Please try again in a moment.",
}


# What a refused person can do next, where a page has a better next step than waiting.
NEXT_STEPS = {
    (429, "auth.signin"): ("auth.ask_for_sign_in_link", "Get a sign-in link by e-mail instead"),
    (400, "auth.use_sign_in_link"): ("auth.ask_for_sign_in_link", "Ask for a new sign-in link"),
}
LINK_MESSAGE = "This sign-in link has expired or has been used already: each link works once, for 15 minutes."


def render_error(status: int, message: str | None = None):
    """The error page, or for the JSON API an {"error": ...} object with the same status."""
    endpoint = request.endpoint if has_request_context() else None
    if status == 400 and endpoint == "auth.use_sign_in_link" and message is None:
        message = LINK_MESSAGE
    text = message or MESSAGES.get(status, "Something went wrong.")
    if is_api_request():
        return jsonify(error=text, status=status), status
    return render_template(
        "error.html", status=status, message=text, next_step=NEXT_STEPS.get((status, endpoint or ""))
    ), status


def is_api_request() -> bool:
    return has_request_context() and request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "This form expired or was sent from elsewhere. Go back, reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        return render_error(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: DBAPIError):
        log.error("database unavailable: %s", str(error.orig).splitlines()[0] if error.orig else error)
        db.session.rollback()
        # Drawn as for a visitor: asking the database who is signed in would fail the same way.
        g._login_user = login_manager.anonymous_user()
        return render_error(503)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        log.exception("unhandled error", exc_info=error.original_exception)
        db.session.rollback()
        return render_error(500)
