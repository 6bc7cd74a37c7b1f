"""Rate limits on the doors people knock on: sign-in, sign-up and check-in links.

Each test gets an app with limits switched on and fresh in-memory counters."""
from __future__ import annotations

import pytest

from tests import factories, worlds
from webapp.extensions import db
from webapp.models import Role

@pytest.fixture
def app_config(app_config) -> dict:
    return app_config | {"RATELIMIT_ENABLED": True}


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    worlds.quick_passwords(monkeypatch)


def sign_in_from(client, address: str, email: str, password: str = "not the password"):
    return client.post("/signin", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_sign_in_is_limited_per_address(client):
    responses = [sign_in_from(client, "10.0.0.1", f"x{i}@example.org") for i in range(11)]
    assert [r.status_code for r in responses[:10]] == [422] * 10
    assert responses[-1].status_code == 429 and b"Too many attempts" in responses[-1].data
    assert responses[-1].headers["Retry-After"]
    assert sign_in_from(client, "10.0.0.2", "x@example.org").status_code == 422  # another address is not affected


def test_an_account_locks_after_failed_tries_from_many_addresses_and_says_nothing_about_existence(client):
    factories.user(Role.FREELANCER, email="known@example.org")
    db.session.commit()
    known = [sign_in_from(client, f"10.1.0.{i}", "known@example.org") for i in range(9)]
    unknown = [sign_in_from(client, f"10.2.0.{i}", "nobody@example.org") for i in range(9)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [422] * 8 + [429]
    assert known[-1].data == unknown[-1].data
    # Locked means locked, even with the right password; other accounts still sign in.
    assert sign_in_from(client, "10.1.1.1", "KNOWN@example.org ", factories.PASSWORD).status_code == 429
    factories.user(Role.FREELANCER, email="other@example.org")
    db.session.commit()
    assert sign_in_from(client, "10.1.1.1", "other@example.org", factories.PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_lock_out(client):
    factories.user(Role.FREELANCER, email="known@example.org")
    db.session.commit()
    for i in range(9):
        assert sign_in_from(client, f"10.3.0.{i}", "known@example.org", factories.PASSWORD).status_code == 302
        client.post("/signout", environ_base={"REMOTE_ADDR": f"10.3.0.{i}"})


def test_sign_up_is_limited_per_address(client):
    statuses = [client.post("/signup", data={"role": "freelancer"}).status_code for _ in range(11)]
    assert statuses == [422] * 10 + [429]


def test_check_in_links_are_limited(client):
    statuses = [client.get(f"/checkin/guess{i}").status_code for i in range(31)]
    assert statuses == [404] * 30 + [429]


def test_redis_holds_the_counters_when_configured(app_config):
    from limits.storage import RedisStorage

    from webapp import create_app
    from webapp.security import limiter

    app = create_app(app_config | {"REDIS_URL": "redis://127.0.0.1:6399/0"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6399/0"
    assert isinstance(limiter.storage, RedisStorage)
    with app.app_context():
        db.engine.dispose()
