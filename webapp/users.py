"""Creating accounts: `new_account` is the one way a User row is made (sign-up and the CLI both
call it); `create_user` is the CLI's path, for program managers, extra leaders and admins."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from .audit import record
from .auth.passwords import hash_password
from .extensions import db
from .models import FreelancerProfile, Organisation, Role, User


class UserError(Exception):
    pass


def new_account(*, email: str, name: str, role: Role, password_hash: str, organisation: Organisation | None) -> User:
    """Adds the user (and a freelancer's empty profile) to the session; the caller commits."""
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=password_hash,
        session_token=secrets.token_hex(16),
        organisation=organisation,
    )
    db.session.add(user)
    if role is Role.FREELANCER:
        db.session.add(FreelancerProfile(user=user, headline=""))
    return user


def create_user(*, email: str, name: str, role: str, organisation: str, password: str) -> User:
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise UserError(f"An account with e-mail {email} already exists.")
    chosen = Role(role)
    found = None
    if chosen is not Role.FREELANCER:
        found = db.session.scalar(
            select(Organisation).where(func.lower(Organisation.name) == organisation.strip().lower())
        )
        if found is None:
            raise UserError(f"No organisation called {organisation!r}.")
    user = new_account(
        email=email, name=name.strip(), role=chosen, password_hash=hash_password(password), organisation=found
    )
    db.session.flush()
    record(None, "user", user.id, "created", to_state=user.role.value)
    db.session.commit()
    return user
