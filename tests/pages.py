"""Reading pages the way tests compare them."""

from __future__ import annotations

import re


def without_csrf(response) -> bytes:
    """The page without its CSRF token, which differs from request to request (it is signed with
    the time), so that two pages can be compared for sameness."""
    return re.sub(rb'(csrf_token" value="|"X-CSRFToken": ")[^"]+', b"", response.data)


def queries_of(client, url: str) -> int:
    """The SQL statements one GET of `url` runs, after a first GET has loaded what is kept
    between requests (the indexes, the taxonomy)."""
    return len(statements_of(client, url))


def statements_of(client, url: str) -> list[str]:
    """The SQL statements themselves (see `queries_of`)."""
    from sqlalchemy import event

    from webapp.extensions import db

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    client.get(url)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return statements
