"""Every route × every role × own versus other organisation, generated from the URL map.

Two organisations are seeded with everything (tests/factories/worlds.py); the viewer belongs to the first.
Each route is called with its URL arguments taken from the viewer's organisation ("own"), from
the other one ("other"), and for nested routes with the outer argument own and the inner ones
other ("mixed", the crafted-URL case); routes that take a profile are also called with a hidden
profile and an "organisations that invited me" one the viewer's organisation never invited. The
viewers include a leader of the same organisation who leads another team. CSRF is checked (each
POST sends the session's token), every GET is sent again with HX-Request, and what each role may
do is written in POLICY here, not read from the views. A route without an access rule, or with an
argument this test can't fill, fails here: declare it in POLICY and ARGUMENTS before it ships.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories import worlds
from webapp.access import ANYONE, SIGNED_IN
from webapp.extensions import db
from webapp.models import AuditEvent, Role, Team, User

L, F, PM, A = Role.LEADER, Role.FREELANCER, Role.PROGRAM_MANAGER, Role.ADMIN
STAFF, PARTIES = {L, PM, A}, {L, F}
# Who may call each route, written here rather than read from the views, so a rule changed by
# mistake in a view fails this test. "public" and "signed_in" as in webapp.access.
POLICY = {
    "auth.ask_for_sign_in_link": ANYONE,
    "auth.signin": ANYONE,
    "auth.signup": ANYONE,
    "auth.confirm_sign_up": ANYONE,
    "auth.use_sign_in_link": ANYONE,
    "auth.signout": SIGNED_IN,
    "checkins.answer": ANYONE,
    "home.index": ANYONE,
    "liveness": ANYONE,
    "readiness": ANYONE,
    "search.index": SIGNED_IN,
    "skills.suggest": SIGNED_IN,
    "home.favicon": ANYONE,
    "home.scores_help": ANYONE,
    "freelancers.show": STAFF,
    **{
        endpoint: STAFF | {F}
        for endpoint in (
            "engagements.index",
            "engagements.show",
            "engagement_plan.row",
            "engagement_plan.section",
            "engagements.timeline",
            "engagements.form_address",
        )
    },
    "engagement_plan.final_levels": PARTIES,
    "engagements.rate": {PM, A},
    "engagement_log.open_round": {L},
    "engagement_log.close_round": {L},
    "followups.answer": ANYONE,
    "programs.exposure": {PM, A},
    **{
        endpoint: {L}
        for endpoint in ("engagement_followup.open_now", "engagement_followup.close", "engagement_followup.levels")
    },
    **dict.fromkeys(
        (
            "engagement_log.add_artifact",
            "engagement_log.artifact_ownership",
            "engagement_log.log_session",
            "engagement_plan.add",
            "engagement_plan.add_member",
            "engagement_plan.edit",
            "engagement_plan.fill_from_need",
            "engagement_plan.remove",
            "engagement_plan.save",
            "engagements.add_milestone",
            "engagements.change_status",
            "engagements.details",
            "engagements.milestone_status",
            "engagements.review",
        ),
        PARTIES,
    ),
    "mail.show_outbox": {A},
    **{
        endpoint: {L}
        for endpoint in (
            "matches.compare",
            "matches.index",
            "matches.invite",
            "matches.shortlist",
            "matches.strong_count",
            "matches.withdraw",
            "needs.change_status",
            "needs.edit",
            "needs.index",
            "needs.new",
            "needs.preview",
        )
    },
    "matches.invitations_list": STAFF,
    "needs.show": STAFF,
    **{
        endpoint: {F}
        for endpoint in (
            "profiles.accept",
            "profiles.decline",
            "profiles.delete_account",
            "profiles.download_data",
            "profiles.edit",
            "profiles.interest",
            "profiles.my_invitations",
            "profiles.needs_for_me",
            "profiles.opportunity",
            "profiles.show",
            "profiles.skill_suggestions",
        )
    },
    "program_api.engagements": STAFF,
    "programs.dashboard": STAFF,
    "programs.export_csv": STAFF,
}
OTHER_TEAM_LEADER = "other-team leader"  # a leader of the same organisation who leads another team
VIEWERS = [None, Role.LEADER, OTHER_TEAM_LEADER, Role.FREELANCER, Role.PROGRAM_MANAGER, Role.ADMIN]
# A link that is not a sign-in (or sign-up confirmation) link is refused as one.
BAD_REQUEST = {"auth.use_sign_in_link", "auth.confirm_sign_up"}

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
    "followup_token": lambda side: side.followup_token,
    "form_address": lambda side: "sessions",
}
# Freelancers' profiles belong to no organisation: a leader may shortlist or invite any of them.
# A form's address names a section of the page, not anything an organisation owns.
NOT_OWNED = {"profile_id", "form_address"}
# Reachable whatever the organisation: open needs are a marketplace for every freelancer, and a
# check-in link is its own key (forged links are tested in test_engagement_checkins).
SHARED = {"profiles.opportunity", "profiles.interest", "checkins.answer", "followups.answer"}
# Valid form data where a route reads the form before it looks up what the URL names.
FORMS = {"engagements.milestone_status": {"status": "done"}}
# These end what other calls use (the check-in round, the session): they go last.
LAST = ["engagement_log.close_round", "auth.signout"]

# Text of the other organisation that must never reach the viewer, and more that only its own
# freelancer may see (the need and organisation are public to freelancers, not to other staff).
PRIVATE = [
    "other internal notes",
    "other member 0",
    "other session notes",
    "other leader review",
    "other invitation message",
    "other check-in comment 0",
    "other decline reason",
]
STAFF_PRIVATE = PRIVATE + ["other need title", "other organisation", "other team"]
# A check-in link is its own key: whoever holds it sees what it asks about (team, organisation,
# the need), but never anything private of that organisation.
SAYS_WHAT_IT_IS_ABOUT = {"checkins.answer", "followups.answer"}


@pytest.fixture
def app_config(app_config) -> dict:
    return app_config | {"WTF_CSRF_ENABLED": True}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            yield rule, app.view_functions[rule.endpoint]


def test_every_route_declares_an_access_rule(app):
    missing = [rule.rule for rule, view in routes(app) if not hasattr(view, "access_rule")]
    assert missing == []


def test_the_policy_table_covers_every_route_and_agrees_with_the_views(app):
    declared = {rule.endpoint: view.access_rule for rule, view in routes(app)}
    assert set(declared) == set(POLICY), "add the route to POLICY in tests/webapp/test_access_matrix.py"
    differ = {e for e, rule in declared.items() if (rule if isinstance(rule, str) else set(rule)) != POLICY[e]}
    assert differ == set()


def test_every_url_argument_has_a_fixture(app):
    unknown = [f"{rule.rule}: <{name}>" for rule, _ in routes(app) for name in rule.arguments if name not in ARGUMENTS]
    assert unknown == [], "declare how tests/webapp/test_access_matrix.py fills these in ARGUMENTS"


def role_of(viewer) -> Role | None:
    return Role.LEADER if viewer == OTHER_TEAM_LEADER else viewer


def allowed(rule_value, viewer) -> bool:
    role = role_of(viewer)
    return rule_value == ANYONE or (role is not None and (rule_value == SIGNED_IN or role in rule_value))


def expected(endpoint: str, viewer, method: str, variant: str, address: str, team_scoped: bool) -> set[int]:
    if not allowed(POLICY[endpoint], viewer):
        if viewer is None:  # pages send anonymous people to sign in; the JSON API answers 401
            return {401} if address.startswith("/api/") else {302}
        return {403}
    if endpoint in BAD_REQUEST:
        return {400}
    if variant in ("other", "mixed", "hidden profile", "limited profile"):
        return {403, 404}
    if viewer == OTHER_TEAM_LEADER and team_scoped:
        return {403, 404}
    return {200, 302} if method == "GET" else {200, 201, 302, 422}


def url(app, rule, values: dict) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **values)


def calls(app, own, other, hidden_profiles: dict[str, int]):
    """(variant, method, endpoint, team scoped, url): other, mixed and hidden-profile calls first
    (they must change nothing), then own and shared GETs, then their POSTs, sign-out at the end."""
    found = []
    for rule, _ in routes(app):
        owned = [name for name in rule.arguments if name not in NOT_OWNED]
        scoped = bool(owned) and rule.endpoint not in SHARED
        sides = {"own": own}
        if owned:
            sides["shared" if rule.endpoint in SHARED else "other"] = other
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for variant, side in sides.items():
                values = {name: ARGUMENTS[name](side) for name in rule.arguments}
                found.append((variant, method, rule.endpoint, scoped, url(app, rule, values)))
            if len(owned) > 1 and rule.endpoint not in SHARED:
                values = {name: ARGUMENTS[name](other) for name in rule.arguments} | {
                    owned[0]: ARGUMENTS[owned[0]](own)
                }
                found.append(("mixed", method, rule.endpoint, scoped, url(app, rule, values)))
            if "profile_id" in rule.arguments:
                for variant, profile_id in hidden_profiles.items():
                    values = {name: ARGUMENTS[name](own) for name in rule.arguments} | {"profile_id": profile_id}
                    found.append((variant, method, rule.endpoint, scoped, url(app, rule, values)))
    phase = {"other": 0, "mixed": 0, "hidden profile": 0, "limited profile": 0, "own": 1, "shared": 1}
    return sorted(found, key=lambda c: (LAST.index(c[2]) + 1 if c[2] in LAST else 0, phase[c[0]], c[1] != "GET"))


def unseen_profiles() -> dict[str, int]:
    """A hidden profile, and one shown only to organisations that invited it (not the viewer's)."""
    hidden = factories.ProfileFactory(headline="Hidden coach", hidden=True)
    limited = factories.ProfileFactory(headline="Choosy coach", inviting_only=True)
    return {"hidden profile": hidden.id, "limited profile": limited.id}


def team_leader_elsewhere(side) -> User:
    team = Team(organisation=side.org, name="Finance, led by someone else")
    leader = factories.UserFactory(
        leader=True, organisation=side.org, email="other-team-leader@example.org", name="Finance leader", leads=False
    )
    team.leaders.append(leader)
    db.session.add(team)
    db.session.commit()
    return leader


CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def csrf_token(client) -> str:
    return CSRF.search(client.get("/signin", follow_redirects=True).get_data(as_text=True)).group(1)


def sign_in(client, email: str) -> None:
    response = client.post(
        "/signin", data={"email": email, "password": factories.PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def name_of(viewer) -> str:
    return viewer if isinstance(viewer, str) else viewer.value if viewer else "anonymous"


@pytest.mark.parametrize("viewer", VIEWERS, ids=name_of)
def test_every_route_answers_every_role_for_own_and_other_organisation(app, client, viewer):
    """With CSRF checked on every POST (and a valid token sent), and every GET sent again as htmx."""
    own, other = worlds.build_side("own"), worlds.build_side("other")
    hidden = unseen_profiles()
    elsewhere = team_leader_elsewhere(own)
    if viewer is not None:
        sign_in(client, elsewhere.email if viewer == OTHER_TEAM_LEADER else own.user(viewer).email)
    token = csrf_token(client)
    private = PRIVATE if viewer in (None, Role.FREELANCER) else STAFF_PRIVATE
    if viewer == OTHER_TEAM_LEADER:
        private = STAFF_PRIVATE + ["own need title", "own internal notes", "own session notes", "own member 0"]
    audited = audit_count()
    failures, checked = [], 0
    for variant, method, endpoint, scoped, address in calls(app, own, other, hidden):
        if variant in ("own", "shared") and audited is not None:
            assert audit_count() == audited, "a refused request changed something"
            audited = None
        want = expected(endpoint, viewer, method, variant, address, scoped)
        for headers in ({}, {"HX-Request": "true"}) if method == "GET" else ({"X-CSRFToken": token},):
            checked += 1
            data = (FORMS.get(endpoint) or {}) | ({"csrf_token": token} if method == "POST" else {})
            try:
                response = client.open(address, method=method, data=data, headers=headers)
            except Exception as error:  # TESTING lets errors through: report them with the rest
                failures.append(f"{method} {address} ({variant}) as {name_of(viewer)}: raised {error!r}")
                db.session.rollback()
                continue
            label = f"{method} {address} ({variant}{', htmx' if 'HX-Request' in headers else ''}) as {name_of(viewer)}"
            if response.status_code not in want:
                failures.append(f"{label}: {response.status_code}, expected {sorted(want)}")
            elif (
                response.status_code == 302
                and not allowed(POLICY[endpoint], viewer)
                and "/signin" not in response.location
            ):
                failures.append(f"{label}: redirected to {response.location}")
            body = response.get_data().decode("utf-8", "replace")  # the site icon is not text
            never = PRIVATE if endpoint in SAYS_WHAT_IT_IS_ABOUT else private
            failures += [f"{label} shows {text!r}" for text in never if text in body]
    assert not failures, "\n".join(failures)
    assert checked > 120
