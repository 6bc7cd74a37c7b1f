"""Every route × every role, generated from the URL map: a route without a rule fails here."""
from __future__ import annotations

import pytest

from tests import factories
from webapp.access import ANYONE, SIGNED_IN
from webapp.extensions import db
from webapp.models import Role

VIEWERS = [None, Role.LEADER, Role.FREELANCER, Role.PROGRAM_MANAGER, Role.ADMIN]


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            yield rule, app.view_functions[rule.endpoint]


def test_every_route_declares_an_access_rule(app):
    missing = [rule.rule for rule, view in routes(app) if not hasattr(view, "access_rule")]
    assert missing == []


def expected_status(rule_value, viewer: Role | None, method: str) -> set[int]:
    allowed = rule_value == ANYONE or (viewer is not None and (rule_value == SIGNED_IN or viewer in rule_value))
    if viewer is None and rule_value != ANYONE:
        return {302}  # to the sign-in page
    if not allowed:
        return {403}
    return {200, 302} if method == "GET" else {200, 302, 400, 404, 422}


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.value if v else "anonymous")
def test_each_parameterless_route_answers_each_role_as_declared(app, client, auth, viewer):
    org = factories.organisation()
    if viewer is not None:
        factories.user(viewer, None if viewer is Role.FREELANCER else org, email="viewer@example.org")
        db.session.commit()
        auth.sign_in("viewer@example.org")
    checked = 0
    for rule, view in routes(app):
        if rule.arguments or rule.endpoint == "auth.signout":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(rule.rule, method=method)
            assert response.status_code in expected_status(view.access_rule, viewer, method), (
                f"{method} {rule.rule} as {viewer}: {response.status_code}"
            )
            checked += 1
    assert checked > 5
