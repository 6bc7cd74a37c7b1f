"""Every timestamp column reads back as an aware UTC moment, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from webapp.extensions import db
from webapp.models import AuditEvent

TOKYO = timezone(timedelta(hours=9))


def stored(moment: datetime) -> AuditEvent:
    event = AuditEvent(entity_type="need", entity_id=1, action="created", created_at=moment)
    db.session.add(event)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(AuditEvent, event.id)


def test_a_stored_moment_reads_back_aware_and_in_utc(app):
    moment = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    assert stored(moment).created_at == moment
    assert stored(moment).created_at.tzinfo is UTC


def test_a_moment_given_in_another_zone_reads_back_as_the_same_instant_in_utc(app):
    event = stored(datetime(2025, 3, 1, 18, 30, tzinfo=TOKYO))
    assert event.created_at.tzinfo is UTC and event.created_at == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_queries_compare_and_aggregate_in_utc(app):
    stored(datetime(2025, 3, 1, 9, 30, tzinfo=UTC))
    after_it = datetime(2025, 3, 1, 18, 0, tzinfo=TOKYO)  # 09:00 UTC
    assert db.session.scalar(select(func.count()).where(AuditEvent.created_at > after_it)) == 1
    assert db.session.scalar(select(func.max(AuditEvent.created_at))).tzinfo is UTC


def test_a_naive_moment_is_refused_with_a_clear_error(app):
    with pytest.raises(StatementError, match="naive datetime 2025-03-01T09:30:00 given for a UTC column"):
        stored(datetime(2025, 3, 1, 9, 30))
    db.session.rollback()


def test_a_postgresql_session_in_another_zone_still_reads_utc(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no session time zone")
    event_id = stored(datetime(2025, 3, 1, 9, 30, tzinfo=UTC)).id
    db.session.execute(text("SET TIME ZONE 'Asia/Tokyo'"))
    db.session.expire_all()
    created = db.session.get(AuditEvent, event_id).created_at
    assert created.tzinfo is UTC and created == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    db.session.rollback()
