"""Rate limits on the doors people knock on: sign-in, sign-up and check-in links.

Each test gets an app with limits switched on and fresh in-memory counters."""

from __future__ import annotations

import pytest

from tests import factories
from tests.pages import without_csrf
from webapp.extensions import db


@pytest.fixture
def app_config(app_config) -> dict:
    return app_config | {"RATELIMIT_ENABLED": True}


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    factories.quick_passwords(monkeypatch)


def sign_in_from(client, address: str, email: str, password: str = "not the password"):
    return client.post("/signin", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_sign_in_is_limited_per_address(client):
    responses = [sign_in_from(client, "10.0.0.1", f"x{i}@example.org") for i in range(11)]
    assert [r.status_code for r in responses[:10]] == [422] * 10
    assert responses[-1].status_code == 429 and b"Too many attempts" in responses[-1].data
    assert responses[-1].headers["Retry-After"]
    assert sign_in_from(client, "10.0.0.2", "x@example.org").status_code == 422  # another address is not affected


def test_an_account_locks_after_failed_tries_from_many_addresses_and_says_nothing_about_existence(client):
    factories.UserFactory(email="known@example.org")
    db.session.commit()
    known = [sign_in_from(client, f"10.1.0.{i}", "known@example.org") for i in range(9)]
    unknown = [sign_in_from(client, f"10.2.0.{i}", "nobody@example.org") for i in range(9)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [422] * 8 + [429]
    assert without_csrf(known[-1]) == without_csrf(unknown[-1])
    # Locked means locked, even with the right password; other accounts still sign in.
    assert sign_in_from(client, "10.1.1.1", "KNOWN@example.org ", factories.PASSWORD).status_code == 429
    factories.UserFactory(email="other@example.org")
    db.session.commit()
    assert sign_in_from(client, "10.1.1.1", "other@example.org", factories.PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_lock_out(client):
    factories.UserFactory(email="known@example.org")
    db.session.commit()
    for i in range(9):
        assert sign_in_from(client, f"10.3.0.{i}", "known@example.org", factories.PASSWORD).status_code == 302
        client.post("/signout", environ_base={"REMOTE_ADDR": f"10.3.0.{i}"})


def test_sign_up_is_limited_per_address(client):
    statuses = [client.post("/signup", data={"role": "freelancer"}).status_code for _ in range(11)]
    assert statuses == [422] * 10 + [429]


def test_a_mailbox_gets_few_sign_up_mails_whoever_asks(client):
    """Sign-up mails an address whatever it is; a stranger can't flood someone's mailbox with them.
    Forms refused for what was typed don't count: nothing was sent."""
    form = {"name": "Ada", "email": "ada@example.org", "password": "a long enough passphrase", "role": "freelancer"}
    weak = [client.post("/signup", data=form | {"password": "short"}).status_code for _ in range(3)]
    sent = [
        client.post("/signup", data=form, environ_base={"REMOTE_ADDR": f"10.7.0.{i}"}).status_code for i in range(4)
    ]
    assert weak == [422] * 3 and sent == [200] * 3 + [429]
    assert client.post("/signup", data=form | {"email": "bob@example.org"}).status_code == 200


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


def test_an_address_with_control_characters_is_refused_before_any_password_check(client, monkeypatch):
    factories.UserFactory(email="victim@example.org")
    db.session.commit()
    checked = []
    monkeypatch.setattr("webapp.auth.services.verify_password", lambda *args: checked.append(args) or False)
    for i in range(9):
        sign_in_from(client, f"10.4.0.{i}", "victim@example.org")
    tricks = [
        sign_in_from(client, "10.4.1.1", email)
        for email in (
            "victim@example.org\x00",
            "victim@example.org\t",
            "\x0bvictim@example.org",
            "VICTIM@example.org\x1f",
        )
    ]
    assert len(checked) == 8  # the ninth was locked out; none of the tricks reached the password
    assert all(r.status_code in (422, 429) for r in tricks)
    assert sign_in_from(client, "10.4.1.2", " Victim@Example.org ", factories.PASSWORD).status_code == 429


def test_refused_csrf_never_counts_towards_a_lock_out(app, client):
    factories.UserFactory(email="victim@example.org")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    for i in range(12):
        assert sign_in_from(client, f"10.5.0.{i}", "victim@example.org").status_code in (400, 422)
    app.config["WTF_CSRF_ENABLED"] = False
    assert sign_in_from(client, "10.5.1.1", "victim@example.org", factories.PASSWORD).status_code == 302


def test_a_locked_out_person_gets_back_in_with_a_sign_in_link_by_email(client):
    from tests import outbox

    factories.UserFactory(email="victim@example.org")
    db.session.commit()
    for i in range(9):
        sign_in_from(client, f"10.6.0.{i}", "victim@example.org")
    locked = sign_in_from(client, "10.6.1.1", "victim@example.org", factories.PASSWORD)
    assert locked.status_code == 429 and b"sign-in link" in locked.data
    asked = client.post("/signin/link", data={"email": "Victim@example.org"})
    unknown = client.post("/signin/link", data={"email": "nobody@example.org"})
    assert asked.status_code == unknown.status_code == 200 and without_csrf(asked) == without_csrf(unknown)
    [message] = outbox.messages(to="victim@example.org")
    link = next(word for word in message.body.split() if "/signin/link/" in word)
    path = link.split("127.0.0.1:5000", 1)[1]
    assert client.get(path).status_code == 200  # a page with a button: a link checker can't use it up
    assert client.post(path).status_code == 302 and client.get("/needs-for-me").status_code == 200
    client.post("/signout")
    assert client.post(path).status_code == 400  # once only


def test_previews_and_skill_suggestions_are_limited_per_user(client):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email="leader@example.org")
    db.session.commit()
    client.post("/signin", data={"email": leader.email, "password": factories.PASSWORD})
    draft = {"title": "Short", "description": "too short"}  # answered without ranking: only the limit matters
    previews = [client.post("/needs/preview", data=draft).status_code for _ in range(31)]
    assert previews == [200] * 30 + [429]
    suggestions = [client.get("/skills/suggest?q=x").status_code for _ in range(61)]
    assert suggestions == [200] * 60 + [429]
    other = factories.UserFactory(leader=True, organisation=org, email="other-leader@example.org")
    db.session.commit()
    client.post("/signout")
    client.post("/signin", data={"email": other.email, "password": factories.PASSWORD})
    assert client.post("/needs/preview", data=draft).status_code == 200  # the limit is per person


def test_behind_a_proxy_limits_key_on_the_client_and_not_the_proxy(app_config):
    from webapp import create_app
    from webapp.security import limiter

    app = create_app(app_config | {"TANDEM_PROXY_HOPS": 1})
    with app.app_context():
        limiter.reset()
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "10.9.9.9"}
        for i in range(10):
            assert (
                client.post(
                    "/signin",
                    data={"email": f"x{i}@example.org", "password": "nope"},
                    headers={"X-Forwarded-For": "203.0.113.1"},
                    environ_base=proxy,
                ).status_code
                == 422
            )
        assert (
            client.post(
                "/signin",
                data={"email": "y@example.org", "password": "nope"},
                headers={"X-Forwarded-For": "203.0.113.1"},
                environ_base=proxy,
            ).status_code
            == 429
        )
        assert (
            client.post(
                "/signin",
                data={"email": "y@example.org", "password": "nope"},
                headers={"X-Forwarded-For": "203.0.113.2"},
                environ_base=proxy,
            ).status_code
            == 422
        )
        db.session.remove()
        db.engine.dispose()


def test_without_proxy_hops_a_forged_forwarded_header_changes_nothing(client):
    for i in range(10):
        client.post(
            "/signin",
            data={"email": f"x{i}@example.org", "password": "nope"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
        )
    assert (
        client.post(
            "/signin", data={"email": "y@example.org", "password": "nope"}, headers={"X-Forwarded-For": "198.51.100.7"}
        ).status_code
        == 429
    )
