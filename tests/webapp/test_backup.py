"""`flask db backup` / `flask db restore`: a round trip brings back exactly what was saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from webapp.extensions import db
from webapp.models import FreelancerProfile, IndexChange, User

# pg_dump and pg_restore (or SQLite's backup API on a second connection) see only what is
# committed, and a restore replaces the database under the test's connection.
pytestmark = pytest.mark.commits


def headlines() -> list[str]:
    return sorted(db.session.scalars(select(FreelancerProfile.headline)))


def test_backup_then_restore_brings_back_the_saved_state(app, runner, tmp_path):
    factories.ProfileFactory(headline="Pairing coach for data teams")
    factories.ProfileFactory(headline="Prompt workshop facilitator")
    db.session.commit()
    saved_changes = db.session.scalar(select(func.count()).select_from(IndexChange))
    backup = tmp_path / "backups" / "tandem.dump"

    made = runner.invoke(args=["db", "backup", str(backup)])
    assert made.exit_code == 0, made.output
    assert backup.stat().st_size > 0 and "written to" in made.output
    assert not list(backup.parent.glob(".*partial"))

    profile = db.session.scalar(select(FreelancerProfile).where(FreelancerProfile.headline.like("Prompt%")))
    profile.headline = "Changed after the backup"
    factories.ProfileFactory(headline="Joined after the backup")
    db.session.commit()

    restored = runner.invoke(args=["db", "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert headlines() == ["Pairing coach for data teams", "Prompt workshop facilitator"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    assert db.session.scalar(select(func.count()).select_from(IndexChange)) == saved_changes


def test_restore_asks_before_replacing_the_database(app, runner, tmp_path):
    factories.ProfileFactory(headline="Kept")
    db.session.commit()
    backup = tmp_path / "tandem.dump"
    assert runner.invoke(args=["db", "backup", str(backup)]).exit_code == 0
    refused = runner.invoke(args=["db", "restore", str(backup)], input="n\n")
    assert refused.exit_code != 0 and headlines() == ["Kept"]


def test_a_damaged_or_foreign_backup_changes_nothing(app, runner, tmp_path):
    factories.ProfileFactory(headline="Still here")
    db.session.commit()
    good = tmp_path / "good.dump"
    assert runner.invoke(args=["db", "backup", str(good)]).exit_code == 0
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    foreign = tmp_path / "foreign.dump"
    foreign.write_bytes(b"PGDMP" if db.engine.dialect.name == "sqlite" else b"SQLite format 3\x00")

    for bad in (truncated, foreign):
        result = runner.invoke(args=["db", "restore", str(bad), "--yes"])
        assert result.exit_code != 0, bad
        assert "Error" in result.output
        assert headlines() == ["Still here"]
