"""What every factory shares: the test's session, rows flushed as they are built, one password."""

from __future__ import annotations

from factory.alchemy import SQLAlchemyModelFactory

from webapp.auth.passwords import hash_password
from webapp.extensions import db

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: the hash is slow on purpose


class Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # the session of the test's app context
        sqlalchemy_session_persistence = "flush"  # ids are known; the test decides when to commit


def quick_passwords(monkeypatch) -> None:
    """Stands in for the slow password hash in tests that sign in many times (the hash itself is
    tested in test_auth). Accounts from the factories keep their real hash of PASSWORD."""

    def verify(hashed: str, password: str) -> bool:
        return hashed == "quick:" + password or (hashed.startswith("$argon2") and password == PASSWORD)

    for module in ("webapp.auth.services", "webapp.auth.sign_ups"):
        monkeypatch.setattr(f"{module}.hash_password", lambda password: "quick:" + password)
    for module in ("webapp.auth.services", "webapp.profiles.account_deletion"):
        monkeypatch.setattr(f"{module}.verify_password", verify)
