"""Headers on every response, cookies, rate limits, health endpoints."""
from __future__ import annotations

from tests import factories
from webapp.extensions import db
from webapp.models import Role


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
    factories.user(Role.FREELANCER, email="f@example.org")
    db.session.commit()
    response = client.post("/signin", data={"email": "f@example.org", "password": factories.PASSWORD})
    assert "max-age" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_is_rate_limited_without_revealing_accounts(app, client):
    from webapp.security import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.enabled = True
    limiter.reset()
    try:
        responses = [client.post("/signin", data={"email": "x@example.org", "password": "wrong one"})
                     for _ in range(12)]
    finally:
        limiter.enabled = False
    assert [r.status_code for r in responses[:10]] == [422] * 10
    assert responses[-1].status_code == 429 and b"Too many attempts" in responses[-1].data


def test_health_endpoints(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json["database"] == "ok"
