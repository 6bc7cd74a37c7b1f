"""Sign-up that tells nobody which e-mail addresses or organisation names are taken.

Every accepted sign-up gets the same answer, after the same work (the password is hashed either
way), and the rest is said to the mailbox: a new address gets a link that confirms it, an address
with an account hears that someone tried, with the way to sign in. Nothing becomes an account
until its link is used: a pending sign-up holds what was typed, the password hashed, and the hash
of a 256-bit token that works once, for a day. Organisation names are unique, so whoever owns the
mailbox learns whether the name they typed is taken (they must, to choose another); the page
never says.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..audit import record
from ..extensions import db
from ..mail import Letter, absolute_url, compose, post
from ..models import Organisation, PendingSignUp, Role, Team, User, utcnow
from ..users import new_account
from .passwords import hash_password
from .services import find_user_by_email, normalise_email

CONFIRM_HOURS = 24
TAKEN = (
    "This organisation is already on Tandem. To join it, ask one of its leaders or your Tandem "
    "administrator to add you; or choose another name."
)


@dataclass(frozen=True)
class NewAccount:
    name: str
    email: str
    password: str
    role: Role
    organisation: str = ""


class LinkGone(Exception):
    """The link is unknown, used or expired: it confirms nothing."""


class AlreadyAnAccount(Exception):
    """The address got an account while the link waited: sign in instead."""


class OrganisationTaken(Exception):
    def __init__(self):
        super().__init__(TAKEN)
        self.message = TAKEN


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organisation_taken(name: str) -> bool:
    return db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())) is not None


def sign_up(account: NewAccount) -> None:
    """E-mails the address a confirmation link, or, when it has an account, a note that someone
    tried. Returns nothing that differs between the two."""
    email = normalise_email(account.email)
    password_hash = hash_password(account.password)  # either way: the answer's timing tells nothing
    name_taken = account.role is Role.LEADER and organisation_taken(account.organisation.strip())
    owner = find_user_by_email(email)
    if owner is not None:
        message = _someone_tried(owner)
        db.session.rollback()
    else:
        message = _ask_to_confirm(account, email, password_hash, name_taken)
        db.session.commit()
    if message is not None:
        post([message])


def _someone_tried(owner: User) -> EmailMessage | None:
    if not owner.is_active:
        return None  # a deactivated account signs in no more: nothing to point it to
    return compose(
        Letter("sign_up_existing", owner.email, "You already have a Tandem account"),
        user=owner,
        sign_in=absolute_url("auth.signin"),
        sign_in_link=absolute_url("auth.ask_for_sign_in_link"),
    )


def _ask_to_confirm(account: NewAccount, email: str, password_hash: str, name_taken: bool) -> EmailMessage:
    forget_expired()
    token = secrets.token_urlsafe(32)
    pending = PendingSignUp(
        token_hash=_digest(token),
        email=email,
        name=account.name.strip(),
        password_hash=password_hash,
        role=account.role,
        organisation_name=account.organisation.strip() if account.role is Role.LEADER else "",
        expires_at=utcnow() + timedelta(hours=CONFIRM_HOURS),
    )
    db.session.add(pending)
    return compose(
        Letter("confirm_sign_up", email, "Confirm your e-mail address for Tandem"),
        pending=pending,
        link=absolute_url("auth.confirm_sign_up", token=token),
        name_taken=name_taken,
        hours=CONFIRM_HOURS,
    )


def forget_expired() -> None:
    """Sign-ups whose link has expired hold a password hash for nobody: they go."""
    db.session.execute(delete(PendingSignUp).where(PendingSignUp.expires_at <= utcnow()))


def pending_sign_up(token: str) -> PendingSignUp | None:
    """The sign-up an unused, unexpired link confirms; None for any other token."""
    return db.session.scalar(
        select(PendingSignUp).where(PendingSignUp.token_hash == _digest(token), PendingSignUp.expires_at > utcnow())
    )


def confirm(token: str, *, organisation: str = "") -> User:
    """The new account (a leader's with its organisation), once: the link is used up in the same
    transaction, with every other waiting sign-up of the address. Raises LinkGone,
    AlreadyAnAccount or OrganisationTaken (the link still works then, with another name)."""
    pending = pending_sign_up(token)
    if pending is None:
        raise LinkGone
    account = NewAccount(
        pending.name, pending.email, "", pending.role, organisation.strip() or pending.organisation_name
    )
    if find_user_by_email(account.email) is not None:
        raise _forget(account.email, AlreadyAnAccount())
    if account.role is Role.LEADER and organisation_taken(account.organisation):
        raise OrganisationTaken
    if pending.id not in _lock_waiting(account.email):  # a second click, or another link, a moment earlier
        db.session.rollback()
        raise LinkGone
    db.session.execute(
        delete(PendingSignUp).where(PendingSignUp.email == account.email),
        execution_options={"synchronize_session": False},
    )
    user = _new_user(account, pending.password_hash)
    try:
        db.session.flush()  # a confirmation at the same moment with the same address or organisation loses here
    except IntegrityError:
        db.session.rollback()
        if account.role is Role.LEADER and not _has_account(account.email):
            raise OrganisationTaken from None
        raise _forget(account.email, AlreadyAnAccount()) from None
    record(user, "user", user.id, "signed_up", to_state=user.role.value)
    db.session.commit()
    return user


def _lock_waiting(email: str) -> list[int]:
    """Every waiting sign-up of the address, locked in one order: two confirmations of it at once
    take turns instead of each holding a row the other wants."""
    return list(
        db.session.scalars(
            select(PendingSignUp.id).where(PendingSignUp.email == email).order_by(PendingSignUp.id).with_for_update()
        )
    )


def _new_user(account: NewAccount, password_hash: str) -> User:
    """A leader signs up with a new organisation, and leads its first team."""
    organisation = Organisation(name=account.organisation) if account.role is Role.LEADER else None
    user = new_account(
        email=account.email,
        name=account.name,
        role=account.role,
        password_hash=password_hash,
        organisation=organisation,
    )
    if organisation is not None:
        organisation.teams.append(Team(name="My team"))
        organisation.teams[0].leaders.append(user)
    return user


def _has_account(email: str) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def _forget(email: str, refusal: Exception) -> Exception:
    """The address has an account: its waiting sign-ups confirm nothing any more."""
    db.session.execute(delete(PendingSignUp).where(PendingSignUp.email == email))
    db.session.commit()
    return refusal
