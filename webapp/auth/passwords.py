"""Password hashing (Argon2id, a slow hash) and the rules a new password must meet.

How slow is a named profile (TANDEM_PASSWORD_HASH, read from the app's config):
- `owasp` (the default): OWASP's Argon2id minimum (Password Storage Cheat Sheet), 19 MiB, two
  passes, one lane: about 24 ms of one core on the 2-core machine the README's figures come from;
- `rfc9106`: argon2-cffi's own default (RFC 9106's low-memory choice), 64 MiB, three passes,
  four lanes: about 220 ms of CPU there, enough that a burst of sign-ins holds a small server's
  cores for seconds.
A hash made with other settings still verifies (Argon2 keeps its settings in the hash), and
`needs_rehash` tells sign-in to hash the password again with the current ones.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY
from flask import current_app, has_app_context

PROFILES = {
    "owasp": Parameters(
        type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2, memory_cost=19 * 1024, parallelism=1
    ),
    "rfc9106": RFC_9106_LOW_MEMORY,
}
DEFAULT_PROFILE = "owasp"
MIN_LENGTH = 10
COMMON = {
    "password123",
    "1234567890",
    "qwertyuiop",
    "password1234",
    "iloveyou123",
    "letmein1234",
    "welcome123",
    "admin12345",
    "tandem12345",
    "0123456789",
}


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[profile])


def _profile() -> str:
    return current_app.config.get("TANDEM_PASSWORD_HASH", DEFAULT_PROFILE) if has_app_context() else DEFAULT_PROFILE


def hash_password(password: str) -> str:
    return _hasher(_profile()).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher(_profile()).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other settings than the current profile's (a hash that
    isn't Argon2's at all is left as it is: it never verifies)."""
    try:
        return _hasher(_profile()).check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def unknown_account_hash() -> str:
    """A hash of the current profile to check a password against when the e-mail is unknown,
    so that a wrong e-mail costs as long as a wrong password."""
    return _hash_of_no_account(_profile())


@cache
def _hash_of_no_account(profile: str) -> str:
    return _hasher(profile).hash(secrets.token_hex(16))


def weakness(password: str, *, email: str = "") -> str | None:
    """Why the password is too weak, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if password.lower() in COMMON or len(set(password)) < 4:
        return "This password is too easy to guess."
    if email and password.lower() == email.lower():
        return "Don't use your e-mail address as your password."
    return None
