"""Secure by default: response headers (the request id included, see webapp.logs), rate limits
on the doors people knock on (sign-in, sign-up, check-in links)."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from .auth.services import normalise_email

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=True)
AUTH_LIMIT = "10 per minute;60 per hour"  # per address
# Per account, whatever the address: only refused tries count, and an unknown e-mail is counted
# like a known one, so being locked out says nothing about whether the account exists.
ACCOUNT_LIMIT = "8 per 15 minutes"


def account_key() -> str:
    return "account:" + normalise_email(request.form.get("email") or "")[:254]


def per_user() -> str:
    """Limits on what signed-in people ask for: per account, whichever address it comes from."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "address:" + (get_remote_address() or "-")


def password_refused(response: Response) -> bool:
    """Only a password that was checked and was wrong counts: a refused CSRF token or a malformed
    address never reaches the password, so nobody can lock a person out with forged posts."""
    return bool(g.get("password_refused"))


def trust_proxies(app: Flask) -> None:
    """Behind TANDEM_PROXY_HOPS proxies, the client's address and scheme come from the headers
    they add (X-Forwarded-For, -Proto), so limits and logs key on the client, not the proxy.
    With no proxy those headers are anyone's to forge, and are ignored."""
    hops = app.config.get("TANDEM_PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]  # Flask's documented way to wrap its WSGI app


def init_app(app: Flask) -> None:
    trust_proxies(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING", False))
    # Should Redis be unreachable, limits are kept per process instead of failing sign-in.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)

    @app.after_request
    def secure_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers["X-Request-Id"] = g.get("request_id", "")
        if app.config.get("TANDEM_HTTPS") or request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-store")
        return response
