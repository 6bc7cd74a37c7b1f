"""Pulse check-ins: a personal link by e-mail for each member, anonymous answers, results only
from 3 answers up. The attacks on anonymity are played in test_checkin_anonymity.py."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from tests import outbox
from tests.factories import engagement_world
from tests.pages import queries_of, without_csrf
from webapp.engagements.checkins import mail as checkin_mail
from webapp.engagements.checkins import services as checkins
from webapp.engagements.indicators import Answer
from webapp.engagements.services import EngagementError, change_status
from webapp.extensions import db
from webapp.models import CheckinInvite, CheckinResponse, EngagementStatus, TeamMember, utcnow

ACTIVE = EngagementStatus.ACTIVE
GOOD = {
    "safety_mistakes": "4",
    "safety_risks": "4",
    "safety_asking": "5",
    "peer_trust": "4",
    "collaboration": "4",
    "goal_clarity": "3",
    "workload": "2",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def open_round(world) -> list[str]:
    """Opens a round; returns the links' tokens as the members received them, in member order."""
    checkins.open_round(world.engagement, actor=world.leader)
    tokens = outbox.checkin_tokens()
    return [tokens[member.email] for member in world.members if member.email in tokens]


def test_a_round_emails_each_member_an_unguessable_link_and_stores_only_its_hash(app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    assert len(set(tokens)) == 3 and all(len(token) >= 43 for token in tokens)
    stored = set(db.session.scalars(select(CheckinInvite.token_hash)))
    assert stored == {hashlib.sha256(token.encode()).hexdigest() for token in tokens}
    assert not any(token in value for token in tokens for value in stored)


def test_each_message_names_the_organisation_team_and_engagement_and_links_to_the_check_in(app):
    world = engagement_world(status=ACTIVE)
    open_round(world)
    [message] = outbox.messages(to=world.members[0].email)
    assert world.org.name in message.subject and world.need.team.name in message.subject
    for words in (world.org.name, world.need.team.name, world.need.title, "Fred Freelancer", "Ana"):
        assert words in message.body
    assert "/checkin/" in message.body


def test_only_the_leader_opens_rounds_of_an_active_engagement_with_three_addresses(app):
    world = engagement_world(status=ACTIVE)
    with pytest.raises(Forbidden):
        checkins.open_round(world.engagement, actor=world.freelancer)
    with pytest.raises(EngagementError, match="Start the engagement before opening a check-in"):
        proposed = engagement_world()
        checkins.open_round(proposed.engagement, actor=proposed.leader)
    small = engagement_world(status=ACTIVE, members=("Ana", "Ben"))
    with pytest.raises(EngagementError, match="at least 3 team members with an e-mail address"):
        checkins.open_round(small.engagement, actor=small.leader)
    no_address = engagement_world(status=ACTIVE)
    no_address.members[0].email = None
    db.session.commit()
    with pytest.raises(EngagementError, match="at least 3 team members with an e-mail address"):
        checkins.open_round(no_address.engagement, actor=no_address.leader)
    open_round(world)
    with pytest.raises(EngagementError, match="still open"):
        open_round(world)


def test_the_link_page_says_what_it_is_about_and_nothing_about_who_answers(client, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    response = client.get(f"/checkin/{tokens[0]}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "It is safe to take a risk on this team." in body
    for context in (world.need.title, world.need.team.name, world.org.name, "Fred Freelancer"):
        assert context in body
    for person in ("Ana", "Ben", "Chen"):
        assert person not in body
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_link_page_is_read_in_two_queries(client, app):
    # Opened by every member of every round: whether the round is open, then what the page
    # names (team, organisation, freelancer, purpose, goal), each in one query (it took 12 in a
    # worker, each row asked for on its own; 4 here, where the test's session still holds them).
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    assert queries_of(client, f"/checkin/{tokens[0]}") == 2


def test_an_answer_is_stored_with_a_random_id_and_nothing_about_the_person_or_the_time(client, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    response = client.post(f"/checkin/{tokens[1]}", data=GOOD | {"comment": "Pairing helps."})
    assert response.status_code == 200 and b"Thank you" in response.data
    stored = db.session.scalars(select(CheckinResponse)).one()
    assert stored.safety_asking == 5 and stored.comment == "Pairing helps."
    assert isinstance(stored.id, uuid.UUID) and stored.id.version == 4
    assert set(CheckinResponse.__table__.columns.keys()) == {"id", "round_id", "comment", *GOOD}
    assert set(CheckinInvite.__table__.columns.keys()) == {"id", "round_id", "token_hash", "used"}
    assert count(CheckinInvite) == 3 and db.session.scalar(select(func.count()).where(CheckinInvite.used)) == 1


def test_answering_twice_changes_nothing_and_says_so_only_after_the_submit(client, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    assert client.post(f"/checkin/{tokens[0]}", data=GOOD).status_code == 200
    assert client.get(f"/checkin/{tokens[0]}").status_code == 200  # the same form as before
    again = client.post(f"/checkin/{tokens[0]}", data=GOOD | {"workload": "5"})
    assert again.status_code == 410 and b"These answers were not saved" in again.data
    assert count(CheckinResponse) == 1 and db.session.scalar(select(CheckinResponse.workload)) == 2


def test_a_race_to_use_the_same_link_stores_one_answer(app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    given = Answer(4, 4, 4, 4, 4, 4, 2)
    checkins.answer(tokens[0], given)
    with pytest.raises(checkins.LinkUnusable):
        checkins.answer(tokens[0], given)
    assert count(CheckinResponse) == 1


def test_forged_and_closed_links_reveal_nothing_and_change_nothing(client, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    forged = client.post("/checkin/" + "A" * 43, data=GOOD)
    checkins.close_round(world.engagement, world.engagement.checkin_rounds[0].id, actor=world.leader)
    closed_get, closed_post = client.get(f"/checkin/{tokens[1]}"), client.post(f"/checkin/{tokens[1]}", data=GOOD)
    assert {forged.status_code, closed_get.status_code, closed_post.status_code} == {404}
    assert without_csrf(forged) == without_csrf(closed_post) and world.need.title.encode() not in forged.data
    assert count(CheckinResponse) == 0
    assert client.get("/checkin/" + "x" * 500).status_code == 404


@pytest.mark.parametrize("end", [EngagementStatus.CANCELLED, EngagementStatus.COMPLETED])
def test_links_stop_working_when_the_engagement_ends(client, app, end):
    world = engagement_world(status=ACTIVE, plan=True)
    tokens = open_round(world)
    for item in world.engagement.plan_items:
        item.final_level = 3
    change_status(world.engagement, end, actor=world.leader)
    assert client.post(f"/checkin/{tokens[0]}", data=GOOD).status_code == 404
    assert count(CheckinResponse) == 0


def test_an_incomplete_answer_is_asked_again_and_uses_nothing(client, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    response = client.post(f"/checkin/{tokens[2]}", data={**GOOD, "workload": "", "goal_clarity": "9"})
    assert (
        response.status_code == 422
        and b"Please pick one answer." in response.data
        and b"Not a valid choice" in response.data
    )
    assert count(CheckinResponse) == 0 and not db.session.scalar(select(func.count()).where(CheckinInvite.used))


def answer_with(tokens, *answers: dict, comments=()) -> None:
    for i, (token, given) in enumerate(zip(tokens, answers)):
        comment = comments[i] if i < len(comments) else ""
        checkins.answer(token, Answer(**{name: int(value) for name, value in given.items()}), comment)


def test_results_need_a_closed_round_and_three_answers(client, auth, app):
    world = engagement_world(status=ACTIVE, members=("Ana", "Ben", "Chen", "Dara"))
    tokens = open_round(world)
    answer_with(tokens, GOOD, GOOD)
    auth.sign_in(world.freelancer.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "2 of 4 answered" in page and "Results appear when the round closes" in page
    checkins.close_round(world.engagement, world.engagement.checkin_rounds[0].id, actor=world.leader)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "Fewer than 3 answers: hidden to protect anonymity." in page and "Connection health over time" not in page


def test_three_answers_in_a_closed_round_show_averages_and_health(client, auth, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    answer_with(tokens, GOOD, GOOD, GOOD)
    checkins.close_round(world.engagement, world.engagement.checkin_rounds[0].id, actor=world.leader)
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    # safety (4+4+5)/3, trust 4, collaboration 4, clarity 3, 6 - workload 4: mean 3.8667 -> 71.7
    assert "3 of 3 answered" in page and 'data-indicator="health">72<' in page
    assert "Connection health over time" in page and "<polyline" not in page  # one point only


def test_comments_show_only_as_a_set_of_three_in_sorted_order(client, auth, app):
    world = engagement_world(status=ACTIVE, members=("Ana", "Ben", "Chen", "Dara"))
    tokens = open_round(world)
    answer_with(tokens, GOOD, GOOD, GOOD, comments=("Zebra talk.", "Apple talk."))
    checkins.close_round(world.engagement, world.engagement.checkin_rounds[0].id, actor=world.leader)
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert 'data-indicator="health"' in page and "Zebra talk." not in page and "Apple talk." not in page
    other = engagement_world(status=ACTIVE)
    answer_with(open_round(other), GOOD, GOOD, GOOD, comments=("Zebra", "Apple", "Mango"))
    checkins.close_round(other.engagement, other.engagement.checkin_rounds[0].id, actor=other.leader)
    [summary] = checkins.round_summaries(other.engagement)
    assert summary.comments == ("Apple", "Mango", "Zebra")


def test_check_in_questions_cover_every_answer_column():
    from webapp.engagements.checkins.forms import QUESTIONS

    columns = set(CheckinResponse.__table__.columns.keys()) - {"id", "round_id", "comment"}
    assert set(QUESTIONS) == columns


def test_only_members_on_the_team_when_the_round_opened_get_a_link(app):
    world = engagement_world(status=ACTIVE)
    db.session.add(
        TeamMember(team=world.need.team, name="Eli", email="eli@example.org", created_at=utcnow() - timedelta(days=40))
    )
    db.session.commit()
    assert len(open_round(world)) == 3 and "eli@example.org" in outbox.checkin_tokens()
    db.session.add(TeamMember(team=world.need.team, name="Late", email="late@example.org"))
    db.session.commit()
    assert checkin_mail.send_due_reminders(utcnow() + timedelta(days=6, hours=1)) == 1
    reminded = {m.to for m in outbox.messages() if m.subject.startswith("Reminder")}
    assert "late@example.org" not in reminded and len(reminded) == 4


def test_the_reminder_reaches_every_invited_member_once_with_the_same_working_link(client, app):
    world = engagement_world(status=ACTIVE)
    tokens = open_round(world)
    client.post(f"/checkin/{tokens[0]}", data=GOOD)  # answered: reminded all the same
    assert checkin_mail.send_due_reminders(utcnow() + timedelta(days=1)) == 0  # not due yet
    outbox.clear()
    assert checkin_mail.send_due_reminders(utcnow() + timedelta(days=6, hours=1)) == 1
    assert checkin_mail.send_due_reminders(utcnow() + timedelta(days=6, hours=2)) == 0  # once
    again = outbox.checkin_tokens("Reminder")
    assert sorted(again.values()) == sorted(tokens)
    assert all(m.subject.startswith("Reminder") and world.org.name in m.body for m in outbox.messages())
    assert client.post(f"/checkin/{again[world.members[1].email]}", data=GOOD).status_code == 200


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
