"""Values worked out at most once per request: counts and checks that several parts of one page ask for.

Kept in the request's environ, not in `g`: an app context can outlive a request (as in tests),
and with it `g`. Outside a request the value is worked out on every call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import has_request_context, request

T = TypeVar("T")


def once_per_request(key: str, compute: Callable[[], T]) -> T:
    if not has_request_context():
        return compute()
    name = f"tandem.{key}"
    if name not in request.environ:
        request.environ[name] = compute()
    return request.environ[name]
