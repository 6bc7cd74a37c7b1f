"""Every form, fed anything (hypothesis): the answer is a success or the form again with its
errors, never a server error, and a refused form writes nothing.

Each case posts to the form's route as the person who uses it, so the form's validation and the
service behind it are exercised together. Values mix junk (NUL bytes, huge or malformed numbers,
impossible dates, other organisations' ids) with good values, so some examples succeed and change
the world the next ones see. A refusal is checked against a fingerprint of every table.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import DateTime, Integer, func, literal, select, union_all

from tests import factories, outbox
from tests.factories import worlds
from webapp.extensions import db
from webapp.models import Base, ItemKind, Role, utcnow
from webapp.search import indexes

# More, and random, with TANDEM_FORM_EXAMPLES=200; the suite's default stays quick and repeatable.
EXAMPLES = int(os.environ.get("TANDEM_FORM_EXAMPLES", 8))
TODAY = date.today()
EDGE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "<b>x</b>",
    "' OR 1=1 --",
    "ünïcödé ✓ 🤝",
    "x" * 300,
    "y" * 6000,
    "-1",
    "0",
    "1",
    "3",
    "5",
    "6",
    "99999999999999999999",
    "1e309",
    "NaN",
    "sNaN",
    "-Infinity",
    "0.005",
    "1,5",
    "2024-02-30",
    "0001-01-01",
    "9999-12-31",
    str(TODAY + timedelta(days=3)),
    "Mars/Olympus",
    "javascript:alert(1)",
    "https://",
    "http://[::1",
    "0x10",
]
JUNK = st.one_of(st.sampled_from(EDGE), st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))


@dataclass(frozen=True)
class Case:
    viewer: Role | None
    url: Callable[[worlds.Side, worlds.Side], str]
    good: Callable[[worlds.Side, worlds.Side], dict[str, list]]  # field -> values that can pass
    many: frozenset[str] = frozenset()  # fields sent as several values (checkboxes)
    method: str = "POST"
    gone: frozenset[int] = frozenset()  # further refusals this route may give, e.g. 410 for a used link
    saved: frozenset[int] = frozenset({201, 302})  # what success looks like (it may also be a flashed refusal)
    prepare: Callable[[worlds.Side], None] = field(default=lambda side: None)


def engagement(path: str) -> Callable:
    return lambda own, other: f"/engagements/{own.engagement.id}{path}"


def finished(path: str) -> Callable:
    return lambda own, other: f"/engagements/{own.finished.id}{path}"


def members(own, other) -> list:
    return [m.id for m in own.members] + [other.members[0].id, "x"]


def need_fields(own, other) -> dict[str, list]:
    return {
        "title": ["Ops team learns AI triage"],
        "description": ["Our operations team answers tickets by hand."],
        "team_id": [own.need.team_id, other.need.team_id],
        "goal_id": [own.need.goal_id, other.need.goal_id, 0],
        "intent": ["augment", "balanced", "automate"],
        "skills-0-skill": ["data analytics"],
        "skills-0-weight": ["1", "3"],
        "skills-1-skill": ["data analytics", "prompt design"],
        "learning_goals": ["Triage tickets with AI on their own."],
        "duration_weeks": ["8"],
        "hours_per_week": ["10"],
        "budget_min": ["50", "80.5"],
        "budget_max": ["90"],
        "timezone": ["Europe/Berlin"],
        "remote": ["y"],
        "internal_notes": ["Budget agreed."],
    }


def no_reviews(side: worlds.Side) -> None:
    side.finished.reviews.clear()
    db.session.commit()


def round_closed(side: worlds.Side) -> None:
    side.round.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()


def waiting_sign_up(side: worlds.Side) -> None:
    from webapp.auth import sign_ups

    sign_ups.sign_up(sign_ups.NewAccount("Ada", "ada@example.org", "analytical engine 1843", Role.LEADER, "Acme"))
    side.sign_up_token = outbox.sign_up_token("ada@example.org")


LEVELS = ["1", "2", "3", "4", "5"]
CASES = {
    "sign-up": Case(
        None,
        lambda own, other: "/signup",
        lambda own, other: {
            "name": ["Ada Lovelace"],
            "email": ["ada@example.org", " ADA@example.org", own.leader.email],
            "password": ["analytical engine 1843"],
            "role": ["freelancer", "leader"],
            "organisation": ["Analytical Engines", own.org.name],
        },
        saved=frozenset({200}),
    ),
    "sign-up confirmation": Case(
        None,
        lambda own, other: f"/signup/confirm/{own.sign_up_token}",
        lambda own, other: {"organisation": ["Analytical Engines", own.org.name]},
        gone=frozenset({400}),
        prepare=waiting_sign_up,
    ),
    "sign-in": Case(
        None,
        lambda own, other: "/signin",
        lambda own, other: {
            "email": [own.freelancer.email, own.freelancer.email.upper()],
            "password": [factories.PASSWORD],
        },
    ),
    "profile": Case(
        Role.FREELANCER,
        lambda own, other: "/profile/edit",
        lambda own, other: {
            "headline": ["Data coach for finance teams"],
            "bio": ["I pair with analysts."],
            "skills-0-skill": ["data analytics"],
            "skills-0-weight": LEVELS,
            "skills-1-skill": ["data analytics"],
            "skills-41-skill": ["one row too many"],
            "ai_stance": ["augment", "balanced", "automate"],
            "ai_usage": ["Pairing on prompts."],
            "hourly_rate": ["90", "90.50"],
            "weekly_hours": ["20"],
            "timezone": ["Europe/Lisbon"],
            "visibility": ["public", "inviting_organisations", "hidden"],
        },
    ),
    "decline": Case(
        Role.FREELANCER,
        lambda own, other: f"/my-invitations/{own.invitation.id}/decline",
        lambda own, other: {"reason": ["Fully booked."]},
    ),
    "interest": Case(
        Role.FREELANCER,
        lambda own, other: f"/opportunities/{other.need.id}/interest",
        lambda own, other: {"note": ["I did this twice before."]},
    ),
    "delete account": Case(
        Role.FREELANCER, lambda own, other: "/profile/delete", lambda own, other: {"password": ["not the password"]}
    ),
    "new need": Case(Role.LEADER, lambda own, other: "/needs/new", need_fields),
    "edit need": Case(Role.LEADER, lambda own, other: f"/needs/{own.need.id}/edit", need_fields),
    "need preview": Case(Role.LEADER, lambda own, other: "/needs/preview", need_fields),
    "need status": Case(
        Role.LEADER,
        lambda own, other: f"/needs/{own.need.id}/status",
        lambda own, other: {"status": ["open", "paused", "closed", "draft"]},
    ),
    "invitation": Case(
        Role.LEADER,
        lambda own, other: f"/needs/{own.need.id}/invite/{other.profile.id}",
        lambda own, other: {"message": ["Your coaching approach fits our team."]},
    ),
    "candidate filters": Case(
        Role.LEADER,
        lambda own, other: f"/needs/{own.need.id}/matches",
        lambda own, other: {
            "max_rate": ["100"],
            "min_hours": ["10"],
            "max_gap": ["2"],
            "min_augmentation": ["0.5"],
            "page": ["1", "2"],
        },
        method="GET",
    ),
    "search": Case(
        Role.LEADER, lambda own, other: "/search", lambda own, other: {"q": ["data coach"], "page": ["1"]}, method="GET"
    ),
    "program filters": Case(
        Role.PROGRAM_MANAGER,
        lambda own, other: "/program",
        lambda own, other: {
            "team": [own.need.team_id, other.need.team_id],
            "goal": [own.need.goal_id],
            "status": ["active", "completed"],
            "intent": ["augment"],
            "since": [str(TODAY - timedelta(days=60))],
            "until": [str(TODAY)],
            "sort": ["progress"],
            "dir": ["asc", "desc"],
            "page": ["1"],
        },
        method="GET",
    ),
    "plan items": Case(
        Role.LEADER,
        engagement("/plan"),
        lambda own, other: {
            "plan-skill": ["prompt design"],
            "plan-team_member_ids": members(own, other),
            "plan-baseline": LEVELS,
            "plan-target": LEVELS,
        },
        many=frozenset({"plan-team_member_ids"}),
    ),
    "plan levels": Case(
        Role.FREELANCER,
        lambda own, other: f"/engagements/{own.engagement.id}/plan/{own.plan_item.id}",
        lambda own, other: {f"item{own.plan_item.id}-{name}": LEVELS for name in ("baseline", "target", "final")},
    ),
    "team member": Case(
        Role.LEADER,
        engagement("/team-members"),
        lambda own, other: {
            "member-name": ["Dana", "Eli"],
            "member-role_title": ["Analyst"],
            "member-email": ["dana@example.org"],
        },
    ),
    "session": Case(
        Role.FREELANCER,
        engagement("/sessions"),
        lambda own, other: {
            "session-kind": ["pairing", "workshop"],
            "session-held_on": [str(TODAY), str(TODAY - timedelta(days=5))],
            "session-minutes": ["60", "720", "721"],
            "session-attendee_ids": members(own, other),
            "session-plan_item_ids": [own.plan_item.id, other.plan_item.id],
            "session-notes": ["Paired on triage."],
        },
        many=frozenset({"session-attendee_ids", "session-plan_item_ids"}),
    ),
    "artifact": Case(
        Role.LEADER,
        engagement("/artifacts"),
        lambda own, other: {
            "artifact-kind": ["playbook", "code"],
            "artifact-title": ["Triage playbook"],
            "artifact-url": ["https://example.org/playbook", "ftp://example.org/x"],
        },
    ),
    "details": Case(
        Role.FREELANCER,
        engagement("/details"),
        lambda own, other: {
            "details-start_date": [str(TODAY - timedelta(days=20))],
            "details-end_date": [str(TODAY + timedelta(days=40))],
            "details-agreed_hours": ["40", "5001"],
        },
    ),
    "milestone": Case(
        Role.LEADER,
        engagement("/milestones"),
        lambda own, other: {
            "milestone-title": ["Team triages alone"],
            "milestone-due_date": [str(TODAY + timedelta(days=10))],
        },
    ),
    "engagement status": Case(
        Role.LEADER,
        engagement("/status"),
        lambda own, other: {"status": ["active", "completed", "cancelled", "proposed"], "reason": ["Budget cut."]},
    ),
    "check-in round": Case(
        Role.LEADER, engagement("/checkins"), lambda own, other: {"round-days": ["7", "21", "22"]}, prepare=round_closed
    ),
    "review": Case(
        Role.FREELANCER,
        finished("/review"),
        lambda own, other: {"review-text": ["The team now triages tickets with AI on its own."]},
        prepare=no_reviews,
    ),
    "rating": Case(Role.PROGRAM_MANAGER, finished("/rating"), lambda own, other: {"rating-rating": LEVELS}),
    "check-in answer": Case(
        None,
        lambda own, other: f"/checkin/{own.token}",
        lambda own, other: (
            dict.fromkeys(
                (
                    "safety_mistakes",
                    "safety_risks",
                    "safety_asking",
                    "peer_trust",
                    "collaboration",
                    "goal_clarity",
                    "workload",
                ),
                LEVELS,
            )
            | {"comment": ["Good weeks."]}
        ),
        gone=frozenset({410}),
        saved=frozenset({200}),
    ),
}


def fingerprint() -> tuple:
    """Per table: rows, highest id (random ids have none: their count tells), latest update; one query."""
    parts = [
        select(
            literal(rows.name),
            func.count(),
            func.max(rows.c.id) if "id" in rows.c and isinstance(rows.c.id.type, Integer) else literal(0),
            func.max(rows.c.updated_at) if "updated_at" in rows.c else literal(None, DateTime(timezone=True)),
        ).select_from(rows)
        for rows in Base.metadata.sorted_tables
    ]
    return tuple(tuple(row) for row in db.session.execute(union_all(*parts)))


def form_data(case: Case, own, other):
    fields = {
        name: st.one_of(JUNK, st.sampled_from([str(v) for v in values]))
        for name, values in case.good(own, other).items()
    }
    strategies = {name: st.lists(value, max_size=4) if name in case.many else value for name, value in fields.items()}
    return st.fixed_dictionaries({}, optional=strategies)


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    factories.quick_passwords(monkeypatch)


@pytest.mark.parametrize("name", CASES)
def test_any_input_is_saved_whole_or_refused_with_a_message(app, client, name):
    case = CASES[name]
    own, other = worlds.build_side("own"), worlds.build_side("other")
    case.prepare(own)
    for kind in ItemKind:  # embeddings are derived data: made now, not by the first example that ranks
        indexes.live_index(kind)
    url = case.url(own, other)
    viewer = own.user(case.viewer)

    if viewer is not None:
        assert client.post("/signin", data={"email": viewer.email, "password": factories.PASSWORD}).status_code == 302

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize="TANDEM_FORM_EXAMPLES" not in os.environ,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=form_data(case, own, other))
    def answers_sanely(data):
        before = fingerprint()
        sent = {"query_string": data} if case.method == "GET" else {"data": data}
        status = client.open(url, method=case.method, **sent).status_code
        assert status in {200, 201, 302, 422} | case.gone, f"{case.method} {url} {data!r}: {status}"
        if status not in case.saved and case.method == "POST":
            assert fingerprint() == before, f"{url} refused {data!r} with {status} but wrote to the database"
        if viewer is None:  # a successful sign-in or confirmation: the next example starts signed out
            client.post("/signout")

    answers_sanely()
