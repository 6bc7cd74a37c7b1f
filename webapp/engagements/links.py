"""Personal links e-mailed to team members, for check-ins and follow-ups alike: their tokens (an
HMAC nobody can compute without SECRET_KEY; the database keeps only a hash), and how the pages
behind them answer (rate-limited, the token kept out of Referer headers and search engines)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

MAX_TOKEN_LENGTH = 100
LINK_LIMIT = "30 per minute;300 per hour"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def member_token(salt: str, member_id: int, purpose: bytes) -> str:
    """An HMAC of a round's salt and a member under a key derived from SECRET_KEY for `purpose`
    (check-ins and follow-ups use different keys, so one kind of link never opens the other)."""
    key = hmac.new(current_app.config["SECRET_KEY"].encode(), purpose, hashlib.sha256).digest()
    digest = hmac.new(key, f"{salt}:{member_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def private(body: str, status: int):
    """A link page's response: the token is in the URL, so keep it out of Referer headers sent to
    any other page, and out of search engines."""
    return body, status, {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
