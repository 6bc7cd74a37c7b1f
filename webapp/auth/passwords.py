"""Password hashing (Argon2id, a slow hash) and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def weakness(password: str, *, email: str = "") -> str | None:
    """Why the password is too weak, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if password.lower() in COMMON or len(set(password)) < 4:
        return "This password is too easy to guess."
    if email and password.lower() == email.lower():
        return "Don't use your e-mail address as your password."
    return None
