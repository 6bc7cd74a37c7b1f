"""Headers on every response, cookies, rate limits, health endpoints."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from webapp.extensions import db
from webapp.models import User


def test_every_page_sends_strict_security_headers(client):
    for url in ("/", "/signin", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers
        assert headers["X-Request-Id"]


def test_hsts_and_secure_cookies_when_served_over_https(app, client):
    app.config.update(TANDEM_HTTPS=True, SESSION_COOKIE_SECURE=True)
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    response = client.post("/signin", data={"email": "f@example.org", "password": factories.PASSWORD})
    assert "max-age" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_health_endpoints(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json["database"] == "ok"


def test_hsts_when_the_request_arrived_over_https(client):
    assert "max-age" in client.get("/signin", base_url="https://tandem.example").headers["Strict-Transport-Security"]


def sign_in_freelancer(auth) -> None:
    factories.UserFactory(email="f@example.org")
    db.session.commit()
    assert auth.sign_in("f@example.org").status_code == 302


def test_sign_in_starts_a_fresh_session(client, auth):
    client.get("/signin")
    with client.session_transaction() as planted:
        planted["planted"] = "by someone who handed this cookie over"
    before = client.get_cookie("session").value
    sign_in_freelancer(auth)
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session and session["_fresh"]
    client.set_cookie("session", before)
    assert client.get("/needs-for-me").status_code == 302  # the pre-sign-in cookie never authenticates


def test_signing_out_ends_the_session_on_every_device(app, client, auth):
    sign_in_freelancer(auth)
    laptop = app.test_client()
    assert laptop.post("/signin", data={"email": "f@example.org", "password": factories.PASSWORD}).status_code == 302
    assert laptop.get("/needs-for-me").status_code == 200
    auth.sign_out()
    assert laptop.get("/needs-for-me").status_code == 302


def test_a_deactivated_account_loses_its_session(client, auth):
    sign_in_freelancer(auth)
    user = db.session.scalar(select(User).where(User.email == "f@example.org"))
    user.is_active_account = False
    db.session.commit()
    assert client.get("/needs-for-me").status_code == 302
    assert auth.sign_in("f@example.org").status_code == 422
