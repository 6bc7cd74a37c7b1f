"""Access rules, declared on each view where it is routed.

Every view carries exactly one rule: `public`, `signed_in`, or `roles(...)`. The app refuses a
request to a view without a rule, and the authorization matrix test walks the URL map to make
sure no route ships without one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request
from flask_login import current_user

from .errors import is_api_request
from .extensions import csrf, login_manager
from .models import Role

ANYONE = "public"
SIGNED_IN = "signed_in"


def _rule(view: Callable, allowed: str | frozenset[Role]) -> Callable:
    @wraps(view)
    def guarded(*args, **kwargs):
        if allowed != ANYONE and not current_user.is_authenticated:
            if is_api_request():
                abort(401)  # tools get a status to act on, not a sign-in page
            return login_manager.unauthorized()
        if isinstance(allowed, frozenset) and current_user.role not in allowed:
            abort(403)
        return view(*args, **kwargs)

    guarded.access_rule = allowed  # type: ignore[attr-defined]  # the rule travels on the view, for init_app and the matrix test
    return guarded


def public(view: Callable) -> Callable:
    return _rule(view, ANYONE)


def signed_in(view: Callable) -> Callable:
    return _rule(view, SIGNED_IN)


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    return lambda view: _rule(view, frozenset(allowed))


def validates_csrf_in_form(view: Callable) -> Callable:
    """Mark a view whose FlaskForm checks the CSRF token itself, so a stale token becomes a
    form error next to the typed values instead of a bare 400."""
    view.csrf_in_form = True  # type: ignore[attr-defined]  # read by check_csrf, as access_rule is
    return view


def init_app(app: Flask) -> None:
    @app.before_request
    def check_rule_and_csrf():
        view = app.view_functions.get(request.endpoint or "")
        if view is None or request.endpoint == "static":
            return
        if not hasattr(view, "access_rule"):
            abort(403)
        if (
            app.config.get("WTF_CSRF_ENABLED", True)
            and request.method not in {"GET", "HEAD", "OPTIONS"}
            and not getattr(view, "csrf_in_form", False)
        ):
            csrf.protect()
