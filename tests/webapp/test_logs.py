"""Structured log lines with the request id; no passwords or check-in tokens in any of them."""

from __future__ import annotations

import json
import logging
import secrets

import pytest
from sqlalchemy.exc import IntegrityError

from tests import factories
from webapp.extensions import db
from webapp.logs import JsonFormatter, LogfmtFormatter, RequestContext, mask
from webapp.models import Role, User


@pytest.fixture
def lines():
    """Every record logged during the test, formatted as Tandem writes it."""
    handler = logging.Handler()
    handler.addFilter(RequestContext())
    handler.records = []
    handler.emit = lambda record: handler.records.append(LogfmtFormatter().format(record))
    logging.getLogger().addHandler(handler)
    yield handler.records
    logging.getLogger().removeHandler(handler)


def test_each_request_logs_one_access_line_with_its_request_id(client, lines):
    response = client.get("/signin", headers={"X-Request-Id": "abc123"})
    assert response.headers["X-Request-Id"] == "abc123"
    access = [line for line in lines if "logger=tandem.access" in line]
    assert len(access) == 1
    assert "request_id=abc123" in access[0] and "method=GET" in access[0] and "path=/signin" in access[0]
    assert "status=200" in access[0] and "ms=" in access[0]


def test_check_in_tokens_never_reach_the_logs(client, lines):
    token = secrets.token_urlsafe(32)
    client.get(f"/checkin/{token}")
    client.post(f"/checkin/{token}", data={"comment": "x"})
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /checkin/%s HTTP/1.1" 404 -', token)
    assert lines and not [line for line in lines if token in line]
    assert any("path=/checkin/***" in line for line in lines)


def test_sign_up_confirmation_tokens_never_reach_the_logs(client, lines):
    from tests import outbox

    client.post(
        "/signup", data={"email": "x@example.org", "password": "a long passphrase", "name": "X", "role": "freelancer"}
    )
    token = outbox.sign_up_token("x@example.org")
    client.get(f"/signup/confirm/{token}")
    client.post(f"/signup/confirm/{token}")
    assert lines and not [line for line in lines if token in line]
    assert any("path=/signup/confirm/***" in line for line in lines)


def test_passwords_never_reach_the_logs(client, lines):
    password = "correct horse battery staple 42"
    client.post("/signin", data={"email": "nobody@example.org", "password": password})
    client.post("/signup", data={"email": "x@example.org", "password": password, "name": "X", "role": "freelancer"})
    logging.getLogger("webapp").error("failed connecting to postgresql://tandem:%s@db/tandem", "s3cret")
    assert not [line for line in lines if password in line or "s3cret" in line]


def test_database_errors_carry_no_parameters(app):
    factories.UserFactory(email="taken@example.org")
    db.session.commit()
    db.session.add(
        User(
            email="taken@example.org",
            name="Dup",
            role=Role.FREELANCER,
            password_hash="argon2-SECRET-HASH",
            session_token="SECRET-SESSION",
        )
    )
    with pytest.raises(IntegrityError) as raised:
        db.session.commit()
    db.session.rollback()
    assert "SECRET-HASH" not in str(raised.value) and "SECRET-SESSION" not in str(raised.value)


def test_lines_are_key_value_pairs_or_json(app):
    record = logging.LogRecord("webapp.x", logging.ERROR, __file__, 1, 'said "%s"', ("hi there",), None)
    RequestContext().filter(record)
    line = LogfmtFormatter().format(record)
    assert line.startswith("time=") and 'msg="said \\"hi there\\""' in line and "request_id=-" in line
    assert json.loads(JsonFormatter().format(record))["msg"] == 'said "hi there"'


def test_mask_hides_tokens_passwords_and_url_credentials():
    token = secrets.token_urlsafe(32)
    assert mask(f"GET /checkin/{token}?x=1") == "GET /checkin/***?x=1"
    assert mask("password=hunter2 next") == "password=*** next"
    assert mask('{"password": "hunter2"}') == '{"password": ***}'
    assert mask("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert mask("GET /needs/42/matches") == "GET /needs/42/matches"


def test_every_route_with_a_secret_in_its_url_is_masked_by_prefix(app):
    from webapp.logs import SECRET_URL_PREFIXES, SECRET_VIEW_ARGS

    for rule in app.url_map.iter_rules():
        if SECRET_VIEW_ARGS & rule.arguments:
            prefix = rule.rule.split("<")[0]
            assert prefix in SECRET_URL_PREFIXES, rule.rule
