from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..access import public, signed_in, validates_csrf_in_form
from ..security import ACCOUNT_LIMIT, AUTH_LIMIT, account_key, limiter, refused
from ..models import Role
from . import services
from .forms import SignInForm, SignUpForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a crafted ?next= must not send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
@validates_csrf_in_form
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        account = services.NewAccount(
            name=form.name.data, email=form.email.data, password=form.password.data,
            role=Role(form.role.data), organisation=form.organisation.data or "",
        )
        try:
            user = services.sign_up(account)
        except services.SignUpError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            session.clear()
            login_user(user)
            flash(f"Welcome to Tandem, {user.name}.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/signup.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key, deduct_when=refused)
@public
@validates_csrf_in_form
def signin():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("That e-mail and password don't match an account.")
        else:
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            services.start_session(user)
            return redirect(next_url)
    status = 200 if request.method == "GET" else 422
    return render_template("auth/signin.html", form=form), status


@bp.route("/signout", methods=["POST"])
@signed_in
def signout():
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.signin"))
