"""The attacks on check-in anonymity, played by the leader who reads the results, the freelancer,
and someone who can read the database. Each shows they learn nothing about one person's answers."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import inspect, select

from tests import outbox
from tests.factories import engagement_world
from webapp.engagements.checkins import services as checkins
from webapp.extensions import db
from webapp.models import CheckinInvite, CheckinResponse, CheckinRound, EngagementStatus, TeamMember, utcnow

GOOD = {
    "safety_mistakes": "4",
    "safety_risks": "4",
    "safety_asking": "5",
    "peer_trust": "4",
    "collaboration": "4",
    "goal_clarity": "3",
    "workload": "2",
}
ANA = GOOD | {"workload": "5", "comment": "Ana's very own words."}


def csrf_free(response) -> str:
    return re.sub(
        r'name="csrf-token" content="[^"]*"|"X-CSRFToken": "[^"]*"|name="csrf_token"[^>]*>',
        "",
        response.get_data(as_text=True),
    )


def open_as_leader(client, auth, world):
    auth.sign_in(world.leader.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/checkins", data={"round-days": "7"}, follow_redirects=True
    )
    return response, outbox.checkin_tokens()


def test_the_leader_and_the_freelancer_never_see_a_link(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE)
    opened, tokens = open_as_leader(client, auth, world)
    assert opened.status_code == 200 and "3 members" in opened.get_data(as_text=True) and len(tokens) == 3
    pages = [opened, client.get(f"/engagements/{world.engagement.id}"), client.get("/engagements/")]
    auth.sign_out()
    auth.sign_in(world.freelancer.email)
    pages += [client.get(f"/engagements/{world.engagement.id}"), client.get("/engagements/")]
    for page in pages:
        body = page.get_data(as_text=True)
        assert not any(token in body for token in tokens) and "/checkin/" not in body
        assert "0 of 3 answered" in body or "/engagements/" in page.request.path


def test_a_link_reveals_nothing_about_when_its_person_answered(client, app):
    world = engagement_world(status=EngagementStatus.ACTIVE)
    checkins.open_round(world.engagement, actor=world.leader)
    token = outbox.checkin_tokens()[world.members[0].email]
    before = client.get(f"/checkin/{token}")
    assert client.post(f"/checkin/{token}", data=ANA).status_code == 200
    after = client.get(f"/checkin/{token}")
    assert (before.status_code, after.status_code) == (200, 200)
    assert csrf_free(before) == csrf_free(after)


def test_links_the_leader_makes_up_or_adds_late_never_count(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE)
    _, tokens = open_as_leader(client, auth, world)
    # Made-up members added once the round is open get no link and don't count.
    db.session.add_all(
        [TeamMember(team=world.need.team, name=f"Puppet {i}", email=f"leader+{i}@example.org") for i in range(2)]
    )
    db.session.commit()
    assert set(outbox.checkin_tokens()) == {member.email for member in world.members}
    # Guessed or crafted links answer nothing.
    for guess in ("A" * 43, tokens[world.members[1].email][:-1] + "x", "../" + tokens[world.members[1].email]):
        assert client.post(f"/checkin/{guess}", data=GOOD).status_code == 404
    # Only Ana answers: the round closes with one answer and shows nothing at all.
    client.post(f"/checkin/{tokens[world.members[0].email]}", data=ANA)
    checkin = db.session.scalar(select(CheckinRound))
    client.post(f"/engagements/{world.engagement.id}/checkins/{checkin.id}/close")
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "1 of 3 answered" in page and "Fewer than 3 answers" in page
    assert "Ana&#39;s very own words." not in page and 'data-indicator="health">—<' in page


def test_a_single_comment_never_shows_even_when_the_averages_do(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE)
    _, tokens = open_as_leader(client, auth, world)
    for member in world.members:
        client.post(f"/checkin/{tokens[member.email]}", data=ANA if member is world.members[0] else GOOD)
    checkin = db.session.scalar(select(CheckinRound))
    client.post(f"/engagements/{world.engagement.id}/checkins/{checkin.id}/close")
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "3 of 3 answered" in page and 'data-indicator="health">—<' not in page
    assert "very own words" not in page


def test_the_database_holds_nothing_that_ties_an_answer_to_a_person_or_a_moment(client, app):
    world = engagement_world(status=EngagementStatus.ACTIVE, members=tuple(f"Member {i}" for i in range(12)))
    checkins.open_round(world.engagement, actor=world.leader)
    tokens = outbox.checkin_tokens()
    order = []
    for i, member in enumerate(world.members):
        client.post(f"/checkin/{tokens[member.email]}", data=GOOD | {"peer_trust": str(1 + i % 5)})
        order.append(1 + i % 5)
    for table in (CheckinInvite.__table__, CheckinResponse.__table__):
        columns = {column["name"] for column in inspect(db.engine).get_columns(table.name)}
        assert not {"team_member_id", "invite_id", "used_at", "submitted_at", "created_at", "expires_at"} & columns
        assert not any(
            fk["referred_table"] in {"team_members", "users", "checkin_invites"}
            for fk in inspect(db.engine).get_foreign_keys(table.name)
        )
    by_id = [trust for _, trust in sorted(db.session.execute(select(CheckinResponse.id, CheckinResponse.peer_trust)))]
    assert sorted(by_id) == sorted(order) and by_id != order  # random ids: sorting them gives no order
    used = db.session.execute(select(CheckinInvite.id, CheckinInvite.used)).all()
    assert all(flag for _, flag in used) and len(used) == 12  # used or not; never by whom or when


def test_the_round_page_shows_counts_only_and_a_late_round_needs_the_threshold_again(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE, members=("Ana", "Ben", "Chen", "Dara"))
    _, tokens = open_as_leader(client, auth, world)
    for member in world.members[:3]:
        client.post(f"/checkin/{tokens[member.email]}", data=GOOD)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "3 of 4 answered" in page and "Results appear when the round closes" in page
    for member in world.members:
        assert member.name not in page.split('id="checkins"')[1].split("</section>")[0]
    assert utcnow() - timedelta(days=1) < db.session.scalar(select(CheckinRound.opened_at))
