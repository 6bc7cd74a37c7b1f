"""The schema comes only from Alembic, and it is exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from webapp.extensions import db
from webapp.models import Base


def test_upgrade_head_gives_exactly_the_models_schema(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_base_then_upgrade_again(app):
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(directory=directory)
    assert "needs" in inspect(db.engine).get_table_names()
