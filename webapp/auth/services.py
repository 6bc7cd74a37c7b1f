"""Sign-in and sessions as use cases: checks, one commit. Sign-up lives in sign_ups.py."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import User, utcnow
from .passwords import hash_password, needs_rehash, unknown_account_hash, verify_password


def normalise_email(email: str) -> str:
    """The one form of an address used for lookups and lock-out keys alike."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The account if the password is its own; a hash made with other settings than today's is
    made again (the caller's commit keeps it)."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(unknown_account_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(user: User) -> None:
    """Record the sign-in. The session itself is made fresh by the route (no fixation)."""
    user.previous_login_at = user.last_login_at
    user.last_login_at = utcnow()
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """A new token invalidates every cookie that carried the old one."""
    user.session_token = secrets.token_hex(16)
    db.session.commit()


def load_user(user_id: str) -> User | None:
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not token or not secrets.compare_digest(user.session_token, token):
        return None
    return user if user.is_active else None
