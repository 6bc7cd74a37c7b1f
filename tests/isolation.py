"""How one test's writes are kept from the next: rolled back (the rule) or emptied (the exception)."""

from __future__ import annotations

from contextlib import contextmanager

from flask_sqlalchemy.session import Session
from sqlalchemy import text


def empty_all_tables(db) -> None:
    from webapp.models import Base

    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


class SessionOnTheTestsConnection(Session):
    """Flask-SQLAlchemy's session, on the connection it was given rather than the app's engine
    (its get_bind would pick the engine: a session joins a transaction only on a connection)."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@contextmanager
def rolled_back_at_the_end(db):
    """Every connection the app takes from its engine is one connection inside one transaction,
    rolled back when the test ends. The app's commits release savepoints within it (sessions
    join it with join_transaction_mode="create_savepoint"; `engine.begin()` opens a savepoint),
    so a test sees its own writes as committed and leaves nothing behind."""
    engine = db.engine
    connection = engine.connect()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        # pysqlite begins transactions itself, late, and never for SAVEPOINT: with its own
        # transaction handling off, we emit BEGIN (SQLAlchemy's documented workaround).
        connection.connection.driver_connection.isolation_level = None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    else:
        # A sequence is never rolled back: the change numbers earlier tests used up would be a gap
        # in index_changes.seq, which an index waits out as a transaction that may still commit.
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('index_changes', 'seq'), COALESCE(MAX(seq), 0) + 1, false)"
            " FROM index_changes"
        )
    sessions = db.session.session_factory
    app_session_class, app_session_options = sessions.class_, dict(sessions.kw)
    sessions.class_ = SessionOnTheTestsConnection
    sessions.kw.update(bind=connection, join_transaction_mode="create_savepoint")
    engine.connect = lambda: connection
    connection.close = lambda: None
    connection.begin = connection.begin_nested
    try:
        yield
    finally:
        del engine.connect, connection.close, connection.begin
        db.session.remove()
        sessions.class_, sessions.kw = app_session_class, app_session_options
        outer.rollback()
        if sqlite:
            connection.connection.driver_connection.isolation_level = ""
        connection.close()
