from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..access import public, signed_in, validates_csrf_in_form
from ..models import Role
from ..security import ACCOUNT_LIMIT, AUTH_LIMIT, account_key, limiter, password_refused
from . import links, services, sign_ups
from .forms import ConfirmSignUpForm, SignInForm, SignInLinkForm, SignUpForm

bp = Blueprint("auth", __name__)
LINK_LIMIT = "3 per 15 minutes"  # per address mailed: enough to get in, too few to flood a mailbox


def plain_local_path(target: str | None) -> str | None:
    """The target if it is plainly a path on this site, else None. Browsers read a backslash as a
    slash and drop tabs and newlines, so `/\\evil.example` is refused here rather than trusting
    whatever a library does when it writes the header."""
    if not target or not target.startswith("/"):
        return None
    for form in (target, unquote(target)):
        if form.startswith("//") or "\\" in form or any(ord(c) < 33 or ord(c) == 127 for c in form):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a crafted ?next= must not send people elsewhere."""
    return plain_local_path(target) or url_for("home.index")


def mail_sent(response) -> bool:
    """Only accepted sign-ups count towards the per-address limit: mistyping a password doesn't."""
    return response.status_code == 200


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"], key_func=account_key, deduct_when=mail_sent)
@public
@validates_csrf_in_form
def signup():
    """The same "check your e-mail" page for every accepted sign-up; the mailbox hears the rest."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm()
    if form.validate_on_submit():
        sign_ups.sign_up(
            sign_ups.NewAccount(
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                role=Role(form.role.data),
                organisation=form.organisation.data or "",
            )
        )
        return render_template(
            "auth/sign_up_sent.html", email=services.normalise_email(form.email.data), hours=sign_ups.CONFIRM_HOURS
        )
    return render_template("auth/signup.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
@validates_csrf_in_form
def confirm_sign_up(token: str):
    """GET shows a button (mail scanners follow links); the POST creates the account and signs in."""
    pending = sign_ups.pending_sign_up(token)
    if pending is None:
        return render_template("auth/sign_up_link_gone.html"), 400
    form = ConfirmSignUpForm(organisation=pending.organisation_name)
    if form.validate_for(pending.role):
        try:
            user = sign_ups.confirm(token, organisation=form.organisation.data or "")
        except sign_ups.LinkGone:
            return render_template("auth/sign_up_link_gone.html"), 400
        except sign_ups.AlreadyAnAccount:
            flash("This address already has an account: sign in.", "info")
            return redirect(url_for("auth.signin"))
        except sign_ups.OrganisationTaken as taken:
            form.organisation.errors.append(taken.message)
        else:
            _sign_in(user, f"Welcome to Tandem, {user.name}.")
            return redirect(url_for("home.index"))
    status = 200 if request.method == "GET" else 422
    return render_template("auth/confirm_sign_up.html", form=form, pending=pending), status


def _sign_in(user, greeting: str) -> None:
    session.clear()  # a fresh session on sign-in: no fixation
    login_user(user)
    services.start_session(user)
    flash(greeting, "success")


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key, deduct_when=password_refused)
@public
@validates_csrf_in_form
def signin():
    """Sign in with e-mail and password (home for someone already signed in)."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            g.password_refused = True
            form.password.errors.append("That e-mail and password don't match an account.")
        else:
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            services.start_session(user)
            return redirect(next_url)
    status = 200 if request.method == "GET" else 422
    return render_template("auth/signin.html", form=form), status


@bp.route("/signin/link", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"], key_func=account_key)
@public
@validates_csrf_in_form
def ask_for_sign_in_link():
    """The form asking for a one-time sign-in link by e-mail; says it was sent either way."""
    form = SignInLinkForm()
    if form.validate_on_submit():
        links.send_sign_in_link(form.email.data)
        return render_template("auth/link_sent.html")
    return render_template("auth/sign_in_link.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/signin/link/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def use_sign_in_link(token: str):
    """GET shows a button (mail scanners follow links); the POST signs in and uses the link up."""
    user = links.user_of_link(token)
    if user is None:
        abort(400)
    if request.method == "GET":
        return render_template("auth/use_link.html", user=user)
    _sign_in(user, f"Signed in as {user.email}.")
    return redirect(url_for("home.index"))


@bp.route("/signout", methods=["POST"])
@signed_in
def signout():
    """Signs out everywhere: every session of the account ends."""
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.signin"))
