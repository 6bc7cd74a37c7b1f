"""Sign-in links by e-mail: the way back in for someone whose account is locked out (or who forgot
their password). The link carries a signed, 15-minute token that works once: it names the account
and a fingerprint of its last sign-in, which signing in changes. No token is stored anywhere."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..mail import Letter, absolute_url, compose, post
from ..models import User
from .services import find_user_by_email

MAX_AGE_S = 15 * 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tandem sign-in link")


def _fingerprint(user: User) -> str:
    moment = user.last_login_at.isoformat() if user.last_login_at else "never"
    return hashlib.sha256(f"{user.session_token}:{moment}".encode()).hexdigest()[:32]


def send_sign_in_link(email: str) -> None:
    """E-mails a sign-in link if an active account has this address; says nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = _serializer().dumps({"user": user.id, "state": _fingerprint(user)})
    message = compose(
        Letter("sign_in_link", user.email, "Your Tandem sign-in link", user.organisation_id),
        user=user,
        link=absolute_url("auth.use_sign_in_link", token=token),
    )
    db.session.rollback()
    post([message])


def user_of_link(token: str) -> User | None:
    """The account a valid, unused, unexpired link signs in; None otherwise."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("state") != _fingerprint(user):
        return None
    return user
