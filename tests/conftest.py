"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_DATABASE_URL (default: the local server, database `test`). Each run
works in a database of its own, created next to that one and dropped at the end, so runs
don't collide. Without a reachable server the PostgreSQL half is skipped, except under
CI=true, where it fails.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import create_engine, make_url, text

from tests.isolation import empty_all_tables, rolled_back_at_the_end

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TANDEM_EMBEDDER", "fake")

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def postgres_base_url() -> str:
    from webapp.config import database_url

    return database_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_PG), Path("."))


def _postgres_reachable(url: str) -> str | None:
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as error:  # the reason is shown in the skip message
        return str(error).splitlines()[0]


def _create_scratch_database(base_url: str) -> tuple[str, callable]:
    base = make_url(base_url)
    name = f"tandem_test_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        admin.dispose()
        return base_url, lambda: None  # no right to create databases: use the given one

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def migrate(url: str) -> None:
    from flask_migrate import downgrade, upgrade

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "migrate"})
    with app.app_context():
        downgrade(directory=str(MIGRATIONS), revision="base")
        upgrade(directory=str(MIGRATIONS))
        from webapp.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'tandem.db'}"
        migrate(url)
        return url
    base = postgres_base_url()
    if problem := _postgres_reachable(base):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {problem}")
        pytest.skip(f"PostgreSQL unreachable ({problem})")
    url, drop = _create_scratch_database(base)
    request.addfinalizer(drop)
    migrate(url)
    return url


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SECRET_KEY": "tests-only-secret",
        "WTF_CSRF_ENABLED": False,
        "TANDEM_EMBEDDER": "fake",
        "TANDEM_INDEX_DIR": str(tmp_path / "index"),
        "TANDEM_DEMO_ACCOUNTS": str(tmp_path / "demo-accounts.txt"),
        "TANDEM_MAIL_DIR": str(tmp_path / "mail"),
        "TANDEM_SMTP_HOST": None,
        # Off unless a test turns it on with a folder of its own: vectors a store kept from an
        # earlier test would hide the encodes a test counts.
        "TANDEM_SHARED_VECTORS_MB": 0,
    }


@pytest.fixture
def app(app_config, request):
    """The app, in an app context held for the whole test. Its writes are rolled back at the end,
    except for a test marked `commits`: its writes are committed for real (for other threads,
    processes or connections to see) and every table is emptied after it."""
    from webapp import create_app
    from webapp.extensions import db

    app = create_app(app_config)

    # The test keeps one app context open around all its requests, so `g` would carry the
    # signed-in user from one request to the next; on a server each request starts without it.
    @app.before_request
    def forget_the_last_requests_user() -> None:
        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # Flask-WTF keeps the request's signed token there

    with app.app_context():
        if request.node.get_closest_marker("commits"):
            yield app
            db.session.rollback()
            empty_all_tables(db)
        else:
            with rolled_back_at_the_end(db):
                yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def sign_in(self, email: str, password: str = "correct horse battery"):
        return self.client.post("/signin", data={"email": email, "password": password})

    def sign_out(self):
        return self.client.post("/signout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


_STARTED = {"at": 0.0}


def pytest_sessionstart(session) -> None:
    import time

    _STARTED["at"] = time.time()


def pytest_terminal_summary(terminalreporter) -> None:
    """Says where this run's browser tests left their screenshots (the tour at both sizes in tour/)."""
    from tests.browser.conftest import SCREENSHOTS

    if SCREENSHOTS.exists() and any(shot.stat().st_mtime >= _STARTED["at"] for shot in SCREENSHOTS.rglob("*.png")):
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(
            f"Screenshots of this run: {SCREENSHOTS} (desktop and phone: {SCREENSHOTS / 'tour'})"
        )
