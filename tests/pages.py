"""Reading pages the way tests compare them."""

from __future__ import annotations

import re


def without_csrf(response) -> bytes:
    """The page without its CSRF token, which differs from request to request (it is signed with
    the time), so that two pages can be compared for sameness."""
    return re.sub(rb'(csrf_token" value="|"X-CSRFToken": ")[^"]+', b"", response.data)
