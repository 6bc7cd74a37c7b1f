"""Every route × every role × own versus other organisation, generated from the URL map.

Two organisations are seeded with everything (tests/worlds.py); the viewer belongs to the first.
Each route is called with its URL arguments taken from the viewer's organisation ("own"), from
the other one ("other"), and for nested routes with the outer argument own and the inner ones
other ("mixed", the crafted-URL case). A route without an access rule, or with an argument this
test can't fill, fails here: declare how to fill it in ARGUMENTS before the route ships.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories, worlds
from webapp.access import ANYONE, SIGNED_IN
from webapp.extensions import db
from webapp.models import AuditEvent, Role

VIEWERS = [None, Role.LEADER, Role.FREELANCER, Role.PROGRAM_MANAGER, Role.ADMIN]

ARGUMENTS = {
    "need_id": lambda side: side.need.id,
    "engagement_id": lambda side: side.engagement.id,
    "item_id": lambda side: side.plan_item.id,
    "milestone_id": lambda side: side.milestone.id,
    "artifact_id": lambda side: side.artifact.id,
    "round_id": lambda side: side.round.id,
    "invitation_id": lambda side: side.invitation.id,
    "profile_id": lambda side: side.profile.id,
    "token": lambda side: side.token,
    "form_address": lambda side: "sessions",
}
# Freelancers' profiles belong to no organisation: a leader may shortlist or invite any of them.
# A form's address names a section of the page, not anything an organisation owns.
NOT_OWNED = {"profile_id", "form_address"}
# Reachable whatever the organisation: open needs are a marketplace for every freelancer, and a
# check-in link is its own key (forged links are tested in test_engagement_checkins).
SHARED = {"profiles.opportunity", "profiles.interest", "checkins.answer"}
# Valid form data where a route reads the form before it looks up what the URL names.
FORMS = {"engagements.milestone_status": {"status": "done"}}
# These end what other calls use (the check-in round, the session): they go last.
LAST = ["engagement_log.close_round", "auth.signout"]

# Text of the other organisation that must never reach the viewer, and more that only its own
# freelancer may see (the need and organisation are public to freelancers, not to other staff).
PRIVATE = ["other internal notes", "other member 0", "other session notes", "other leader review",
           "other invitation message", "other check-in comment 0", "other decline reason"]
STAFF_PRIVATE = PRIVATE + ["other need title", "other organisation", "other team"]
# A check-in link is its own key: whoever holds it sees what it asks about (team, organisation,
# the need), but never anything private of that organisation.
SAYS_WHAT_IT_IS_ABOUT = {"checkins.answer"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            yield rule, app.view_functions[rule.endpoint]


def test_every_route_declares_an_access_rule(app):
    missing = [rule.rule for rule, view in routes(app) if not hasattr(view, "access_rule")]
    assert missing == []


def test_every_url_argument_has_a_fixture(app):
    unknown = [f"{rule.rule}: <{name}>" for rule, _ in routes(app) for name in rule.arguments if name not in ARGUMENTS]
    assert unknown == [], "declare how tests/webapp/test_access_matrix.py fills these in ARGUMENTS"


def allowed(rule_value, viewer: Role | None) -> bool:
    return rule_value == ANYONE or (viewer is not None and (rule_value == SIGNED_IN or viewer in rule_value))


def expected(rule_value, viewer: Role | None, method: str, variant: str, address: str) -> set[int]:
    if not allowed(rule_value, viewer):
        if viewer is None:  # pages send anonymous people to sign in; the JSON API answers 401
            return {401} if address.startswith("/api/") else {302}
        return {403}
    if variant in ("other", "mixed"):
        return {403, 404}
    return {200, 302} if method == "GET" else {200, 201, 302, 422}


def url(app, rule, values: dict) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def calls(app, own, other):
    """(variant, method, endpoint, rule value, url): other and mixed first (they must change
    nothing), then own and shared GETs, then their POSTs, and sign-out at the very end."""
    found = []
    for rule, view in routes(app):
        owned = [name for name in rule.arguments if name not in NOT_OWNED]
        sides = {"own": own}
        if owned:
            sides["shared" if rule.endpoint in SHARED else "other"] = other
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for variant, side in sides.items():
                values = {name: ARGUMENTS[name](side) for name in rule.arguments}
                found.append((variant, method, rule.endpoint, view.access_rule, url(app, rule, values)))
            if len(owned) > 1 and rule.endpoint not in SHARED:
                values = {name: ARGUMENTS[name](other) for name in rule.arguments} | {owned[0]: ARGUMENTS[owned[0]](own)}
                found.append(("mixed", method, rule.endpoint, view.access_rule, url(app, rule, values)))
    phase = {"other": 0, "mixed": 0, "own": 1, "shared": 1}
    return sorted(found, key=lambda c: (LAST.index(c[2]) + 1 if c[2] in LAST else 0, phase[c[0]], c[1] != "GET"))


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.value if v else "anonymous")
def test_every_route_answers_every_role_for_own_and_other_organisation(app, client, auth, viewer):
    own, other = worlds.build_side("own"), worlds.build_side("other")
    if viewer is not None:
        assert auth.sign_in(own.user(viewer).email, factories.PASSWORD).status_code == 302
    private = PRIVATE if viewer in (None, Role.FREELANCER) else STAFF_PRIVATE
    audited = audit_count()
    failures, checked = [], 0
    for variant, method, endpoint, rule_value, address in calls(app, own, other):
        if variant in ("own", "shared") and audited is not None:
            assert audit_count() == audited, "a refused request changed something"
            audited = None
        checked += 1
        try:
            response = client.open(address, method=method, data=FORMS.get(endpoint))
        except Exception as error:  # TESTING lets errors through: report them with the rest
            failures.append(f"{method} {address} ({variant}) as {viewer}: raised {error!r}")
            db.session.rollback()
            continue
        want = expected(rule_value, viewer, method, variant, address)
        if response.status_code not in want:
            failures.append(f"{method} {address} ({variant}) as {viewer}: {response.status_code}, expected {sorted(want)}")
        elif response.status_code == 302 and not allowed(rule_value, viewer) and "/signin" not in response.location:
            failures.append(f"{method} {address} as anonymous: redirected to {response.location}")
        body = response.get_data().decode("utf-8", "replace")  # the site icon is not text
        never = PRIVATE if endpoint in SAYS_WHAT_IT_IS_ABOUT else private
        failures += [f"{method} {address} ({variant}) as {viewer} shows {text!r}" for text in never if text in body]
    assert not failures, "\n".join(failures)
    assert checked > 60
