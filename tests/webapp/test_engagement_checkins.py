"""Pulse check-ins: one-time personal links, anonymous answers, results only from 3 answers up."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from tests.webapp.test_engagement_world import build
from webapp.engagements import checkins
from webapp.engagements.indicators import Answer
from webapp.engagements.services import EngagementError
from webapp.extensions import db
from webapp.models import CheckinInvite, CheckinResponse, EngagementStatus, TeamMember, utcnow

ACTIVE = EngagementStatus.ACTIVE
GOOD = {"safety_mistakes": "4", "safety_risks": "4", "safety_asking": "5", "peer_trust": "4",
        "collaboration": "4", "goal_clarity": "3", "workload": "2"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def open_round(world):
    return checkins.open_round(world.engagement, actor=world.leader)


def test_a_round_gives_each_member_an_unguessable_link_and_stores_only_its_hash(app):
    world = build(status=ACTIVE)
    checkin, links = open_round(world)
    assert [link.member_name for link in links] == ["Ana", "Ben", "Chen"]
    assert len({link.token for link in links}) == 3 and all(len(link.token) >= 43 for link in links)
    stored = {invite.token_hash for invite in checkin.invites}
    assert stored == {hashlib.sha256(link.token.encode()).hexdigest() for link in links}
    assert not any(link.token in value for link in links for value in stored)


def test_only_the_leader_opens_rounds_of_an_active_engagement_with_three_members(app):
    world = build(status=ACTIVE)
    with pytest.raises(Forbidden):
        checkins.open_round(world.engagement, actor=world.freelancer)
    proposed = build()
    with pytest.raises(EngagementError, match="Start the engagement before opening a check-in"):
        open_round(proposed)
    small = build(status=ACTIVE, members=("Ana", "Ben"))
    with pytest.raises(EngagementError, match="at least 3 team members so answers stay anonymous"):
        open_round(small)
    open_round(world)
    with pytest.raises(EngagementError, match="still open"):
        open_round(world)


def test_the_link_page_says_what_it_is_about_and_nothing_about_who_answers(client, app):
    world = build(status=ACTIVE)
    _, links = open_round(world)
    response = client.get(f"/checkin/{links[0].token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "It is safe to take a risk on this team." in body
    for context in (world.need.title, world.need.team.name, world.org.name, "Fred Freelancer"):
        assert context in body
    for person in ("Ana", "Ben", "Chen"):
        assert person not in body
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_an_answer_is_stored_without_any_link_to_the_person(client, app):
    world = build(status=ACTIVE)
    checkin, links = open_round(world)
    response = client.post(f"/checkin/{links[1].token}", data=GOOD | {"comment": "Pairing helps."})
    assert response.status_code == 200 and b"Thank you" in response.data
    stored = db.session.scalars(select(CheckinResponse)).one()
    assert stored.round_id == checkin.id and stored.safety_asking == 5 and stored.comment == "Pairing helps."
    assert not {"invite_id", "team_member_id"} & set(CheckinResponse.__table__.columns.keys())
    used = db.session.scalars(select(CheckinInvite).where(CheckinInvite.used_at.is_not(None))).one()
    assert (checkins.aware(used.used_at).time().hour, checkins.aware(stored.submitted_at).minute) == (0, 0)


def test_answering_twice_changes_nothing_and_says_so_neutrally(client, app):
    world = build(status=ACTIVE)
    _, links = open_round(world)
    assert client.post(f"/checkin/{links[0].token}", data=GOOD).status_code == 200
    again = client.post(f"/checkin/{links[0].token}", data=GOOD | {"workload": "5"})
    assert again.status_code == 410 and b"This check-in link can't be used" in again.data
    assert client.get(f"/checkin/{links[0].token}").status_code == 410
    assert count(CheckinResponse) == 1 and db.session.scalar(select(CheckinResponse.workload)) == 2


def test_a_race_to_use_the_same_link_stores_one_answer(app):
    world = build(status=ACTIVE)
    _, links = open_round(world)
    given = Answer(4, 4, 4, 4, 4, 4, 2)
    checkins.answer(links[0].token, given)
    with pytest.raises(checkins.LinkUnusable):
        checkins.answer(links[0].token, given)
    assert count(CheckinResponse) == 1


def neutral(response) -> str:
    return re.sub(r'name="csrf-token" content="[^"]*"|"X-CSRFToken": "[^"]*"', "", response.get_data(as_text=True))


def test_forged_expired_and_closed_links_reveal_nothing_and_change_nothing(client, app):
    world = build(status=ACTIVE)
    checkin, links = open_round(world)
    forged = client.post("/checkin/" + "A" * 43, data=GOOD)
    expired_invite = db.session.scalar(select(CheckinInvite).where(
        CheckinInvite.token_hash == checkins.hash_token(links[0].token)))
    expired_invite.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.post(f"/checkin/{links[0].token}", data=GOOD)
    checkins.close_round(world.engagement, checkin.id, actor=world.leader)
    closed = client.get(f"/checkin/{links[1].token}")
    assert (forged.status_code, expired.status_code, closed.status_code) == (404, 410, 410)
    assert neutral(forged) == neutral(expired) == neutral(closed)
    assert world.need.title not in neutral(forged) and count(CheckinResponse) == 0
    assert client.get("/checkin/" + "x" * 500).status_code == 404


def test_an_incomplete_answer_is_asked_again_and_uses_nothing(client, app):
    world = build(status=ACTIVE)
    _, links = open_round(world)
    response = client.post(f"/checkin/{links[2].token}", data={**GOOD, "workload": "", "goal_clarity": "9"})
    assert response.status_code == 422 and b"Please pick one answer." in response.data and b"Not a valid choice" in response.data
    assert count(CheckinResponse) == 0 and checkins.link_state(links[2].token) is checkins.LinkState.USABLE


def answer_with(links, *answers: dict) -> None:
    for link, given in zip(links, answers):
        checkins.answer(link.token, Answer(**{name: int(value) for name, value in given.items()}))


def test_results_need_a_closed_round_and_three_answers(client, auth, app):
    world = build(status=ACTIVE, members=("Ana", "Ben", "Chen", "Dara"))
    checkin, links = open_round(world)
    answer_with(links, GOOD, GOOD)
    auth.sign_in(world.freelancer.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "2 of 4 answered" in page and "Results appear when the round closes" in page
    checkins.close_round(world.engagement, checkin.id, actor=world.leader)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "Fewer than 3 answers: hidden to protect anonymity." in page and "Connection health over time" not in page


def test_three_answers_in_a_closed_round_show_averages_and_health(client, auth, app):
    world = build(status=ACTIVE)
    checkin, links = open_round(world)
    answer_with(links, GOOD, GOOD, GOOD)
    checkins.close_round(world.engagement, checkin.id, actor=world.leader)
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    # safety (4+4+5)/3, trust 4, collaboration 4, clarity 3, 6 - workload 4: mean 3.8667 -> 71.7
    assert "3 of 3 answered" in page and 'data-indicator="health">72<' in page
    assert "Connection health over time" in page and "<polyline" not in page  # one point only


def test_check_in_questions_cover_every_answer_column():
    from webapp.engagements.questionnaire import QUESTIONS

    columns = set(CheckinResponse.__table__.columns.keys()) - {"id", "round_id", "comment", "submitted_at"}
    assert set(QUESTIONS) == columns


def test_each_round_invites_the_team_as_it_is_now(app):
    world = build(status=ACTIVE)
    db.session.add(TeamMember(team=world.need.team, name="Eli"))
    db.session.commit()
    _, links = open_round(world)
    assert [link.member_name for link in links] == ["Ana", "Ben", "Chen", "Eli"]


def test_guessing_links_is_rate_limited(app_config):
    from webapp import create_app
    from webapp.extensions import db as database
    from webapp.security import limiter

    limited = create_app(app_config | {"RATELIMIT_ENABLED": True})
    try:
        with limited.app_context():
            limiter.reset()
            client = limited.test_client()
            statuses = [client.get(f"/checkin/guess{attempt}").status_code for attempt in range(32)]
            database.session.remove()
            database.engine.dispose()
    finally:
        limiter.enabled = False
    assert statuses[:30] == [404] * 30 and statuses[-1] == 429
