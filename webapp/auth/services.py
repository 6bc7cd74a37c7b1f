"""Sign-up and sign-in as use cases: checks, one commit, domain errors for the route."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit import record
from ..extensions import db
from ..models import FreelancerProfile, Organisation, Role, Team, User, utcnow
from .passwords import hash_password, verify_password

# Checked against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


class SignUpError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NewAccount:
    name: str
    email: str
    password: str
    role: Role
    organisation: str = ""


def normalise_email(email: str) -> str:
    """The one form of an address used for lookups and lock-out keys alike."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def sign_up(account: NewAccount) -> User:
    email = normalise_email(account.email)
    if find_user_by_email(email):
        raise SignUpError("email", "An account with this e-mail already exists. Sign in instead.")
    user = User(
        email=email, name=account.name.strip(), password_hash=hash_password(account.password),
        role=account.role, session_token=secrets.token_hex(16),
    )
    if account.role is Role.LEADER:
        user.organisation = _new_organisation(account.organisation.strip())
        user.organisation.teams[0].leaders.append(user)
    db.session.add(user)
    if account.role is Role.FREELANCER:
        db.session.add(FreelancerProfile(user=user, headline=""))
    try:
        db.session.flush()  # a sign-up at the same moment with the same address or organisation loses here
    except IntegrityError:
        db.session.rollback()
        raise SignUpError("email", "This e-mail or organisation was just taken: sign in, or choose another.") from None
    record(user, "user", user.id, "signed_up", to_state=user.role.value)
    db.session.commit()
    return user


def _organisation_taken(name: str) -> bool:
    return db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())) is not None


def _new_organisation(name: str) -> Organisation:
    if _organisation_taken(name):
        raise SignUpError(
            "organisation", "This organisation is already on Tandem: ask one of its leaders to add you."
        )
    organisation = Organisation(name=name)
    organisation.teams.append(Team(name="My team"))
    return organisation


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
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
