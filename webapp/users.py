"""Creating accounts outside sign-up: program managers, extra leaders, admins."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from .audit import record
from .auth.passwords import hash_password
from .extensions import db
from .models import FreelancerProfile, Organisation, Role, User


class UserError(Exception):
    pass


def create_user(*, email: str, name: str, role: str, organisation: str, password: str) -> User:
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise UserError(f"An account with e-mail {email} already exists.")
    user = User(
        email=email,
        name=name.strip(),
        role=Role(role),
        password_hash=hash_password(password),
        session_token=secrets.token_hex(16),
    )
    if user.role is not Role.FREELANCER:
        user.organisation = db.session.scalar(
            select(Organisation).where(func.lower(Organisation.name) == organisation.strip().lower())
        )
        if user.organisation is None:
            raise UserError(f"No organisation called {organisation!r}.")
    db.session.add(user)
    if user.role is Role.FREELANCER:
        db.session.add(FreelancerProfile(user=user, headline=""))
    db.session.flush()
    record(None, "user", user.id, "created", to_state=user.role.value)
    db.session.commit()
    return user
