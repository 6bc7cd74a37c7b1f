"""Each test's writes are rolled back at its end, whether they went through the session or
straight through the engine, and the app's commits and rollbacks inside it behave as on a server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from tests.isolation import rolled_back_at_the_end
from webapp.models import Organisation


@pytest.fixture
def bare_app(app_config):
    from webapp import create_app
    from webapp.extensions import db

    app = create_app(app_config)
    with app.app_context():
        yield app, db
        db.session.remove()
        db.engine.dispose()


def organisations_named(connection, name: str) -> int:
    return connection.scalar(select(func.count()).select_from(Organisation).where(Organisation.name == name))


def test_what_a_test_commits_is_gone_after_it(bare_app):
    app, db = bare_app
    with rolled_back_at_the_end(db):
        db.session.add(Organisation(name="Through the session"))
        db.session.commit()
        with db.engine.begin() as connection:  # as the exposure counter writes
            connection.execute(insert(Organisation), [{"name": "Through the engine"}])
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2
    with db.engine.connect() as connection:
        assert organisations_named(connection, "Through the session") == 0
        assert organisations_named(connection, "Through the engine") == 0


def test_a_failed_commit_undoes_only_what_came_after_the_last_commit(bare_app):
    app, db = bare_app
    with rolled_back_at_the_end(db):
        db.session.add(Organisation(name="Kept"))
        db.session.commit()
        db.session.add(Organisation(name="Kept"))  # the unique name: a double submit
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalars(select(Organisation.name)).all() == ["Kept"]
