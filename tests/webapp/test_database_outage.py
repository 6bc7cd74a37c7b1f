"""PostgreSQL restarted while Tandem serves: requests during the outage get the 503 page and
write nothing; afterwards Tandem recovers by itself (pool pre-ping), without a restart.
Runs against a private cluster: the shared server is never stopped."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import migrate
from webapp.models import FreelancerProfile

from .processes import Browser, PrivateCluster, gunicorn, tandem_env

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster():
    try:
        server = PrivateCluster()
        server.init()
    except (FileNotFoundError, OSError) as problem:
        pytest.skip(f"cannot start a private PostgreSQL cluster: {problem}")
    yield server
    server.destroy()


def seed_freelancer(url: str) -> None:
    from webapp import create_app
    from webapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TANDEM_EMBEDDER": "fake", "SECRET_KEY": "seed"})
    with app.app_context():
        profile = factories.ProfileFactory(headline="Analytics coach before the outage")
        profile.user.email = "coach@example.org"
        db.session.commit()
        db.engine.dispose()


def stored_headline(url: str) -> str:
    from webapp import create_app
    from webapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "read"})
    with app.app_context():
        headline = db.session.scalar(select(FreelancerProfile.headline))
        db.engine.dispose()
    return headline


def test_requests_fail_cleanly_during_a_restart_and_recover_after(cluster, tmp_path):
    migrate(cluster.url)
    seed_freelancer(cluster.url)
    log = tmp_path / "gunicorn.log"
    with gunicorn(tandem_env(cluster.url, tmp_path / "index"), log) as base:
        person = Browser(base)
        assert person.sign_in("coach@example.org", factories.PASSWORD) == 200
        assert person.get("/profile")[0] == 200
        person.get("/profile/edit")

        cluster.stop()
        status, page = person.get("/profile")
        assert status == 503 and "reach its database" in page
        assert Browser(base).get("/readyz")[0] == 503
        assert Browser(base).get("/healthz")[0] == 200  # alive: no reason to restart it
        edit = person.post(
            "/profile/edit", {"headline": "Written during the outage", "ai_stance": "augment", "visibility": "public"}
        )
        assert edit[0] == 503

        cluster.start()
        assert person.get("/profile")[0] == 200  # the first request after the restart
        assert Browser(base).get("/readyz")[0] == 200
    assert stored_headline(cluster.url) == "Analytics coach before the outage"
    output = log.read_text()
    assert "database unavailable" in output
    assert "Traceback" not in output and "Error handling request" not in output
