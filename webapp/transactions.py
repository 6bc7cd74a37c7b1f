"""Committing where two requests may race: the database's unique constraints decide who wins."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from .extensions import db


def commit_once() -> bool:
    """Commits; False, with nothing written, when a unique constraint says the same thing was
    just done by another request (a double submit): the caller answers as if it had done it."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True
