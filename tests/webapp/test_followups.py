"""Retained-capability follow-ups: opened some days after completion, one anonymous link per plan
member, self-ratings only as aggregates of 3 or more, the leader's assessed levels, capability kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests import outbox
from tests.factories import engagement_world
from tests.pages import without_csrf
from webapp.engagements import indicators
from webapp.engagements.followups import services as followups
from webapp.engagements.services import EngagementError, WrongStage
from webapp.extensions import db
from webapp.models import EngagementStatus, FollowupInvite, FollowupRating, utcnow

COMPLETED = EngagementStatus.COMPLETED


def completed(days_ago: int = 100, members=("Ana", "Ben", "Chen"), skills=("prompt design",)):
    world = engagement_world(status=COMPLETED, members=members, skills=skills, plan=True)
    world.engagement.completed_at = utcnow() - timedelta(days=days_ago)
    for item in world.engagement.plan_items:
        item.final_level = 3
    db.session.commit()
    return world


def opened(world) -> list[str]:
    assert followups.open_due_followups() >= 1
    tokens = outbox.followup_tokens()
    return [tokens[m.email] for m in world.members if m.email in tokens]


def answer_all(client, tokens, level="2"):
    for token in tokens:
        assert client.post(f"/followup/{token}", data={"skill_0": level}).status_code == 200


def test_follow_up_opens_after_the_configured_days_not_before(app):
    early = completed(days_ago=30)
    due = completed(days_ago=95)
    assert followups.open_due_followups() == 1
    db.session.refresh(early.engagement)
    db.session.refresh(due.engagement)
    assert early.engagement.followup is None and due.engagement.followup is not None
    assert followups.open_due_followups() == 0  # once per engagement
    app.config["TANDEM_FOLLOWUP_DAYS"] = 20
    assert followups.open_due_followups() == 1


def test_each_plan_member_gets_a_link_and_only_its_hash_is_stored(app):
    world = completed()
    tokens = opened(world)
    assert len(set(tokens)) == 3
    stored = set(db.session.scalars(select(FollowupInvite.token_hash)))
    assert not any(token in value for token in tokens for value in stored)
    [message] = outbox.messages(to=world.members[0].email)
    assert world.need.title in message.body and "prompt design" in message.body


def test_forged_reused_and_expired_links_reveal_nothing(client, app):
    world = completed()
    tokens = opened(world)
    forged = client.get("/followup/" + "A" * 43)
    assert forged.status_code == 404 and world.need.title.encode() not in forged.data
    assert client.get("/followup/" + "x" * 500).status_code == 404
    first = client.get(f"/followup/{tokens[0]}")
    assert first.status_code == 200 and b"prompt design" in first.data
    assert client.post(f"/followup/{tokens[0]}", data={"skill_0": "3"}).status_code == 200
    again = client.get(f"/followup/{tokens[0]}")
    assert without_csrf(again) == without_csrf(first)  # the page doesn't say it was used
    reused = client.post(f"/followup/{tokens[0]}", data={"skill_0": "5"})
    assert reused.status_code == 410
    assert db.session.scalar(select(func.count()).select_from(FollowupRating)) == 1
    world.engagement.followup.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.get(f"/followup/{tokens[1]}")
    assert expired.status_code == 404 and world.need.title.encode() not in expired.data
    assert client.post(f"/followup/{tokens[1]}", data={"skill_0": "3"}).status_code == 404


def test_a_follow_up_link_is_not_a_check_in_link(client, app):
    tokens = opened(completed())
    assert client.get(f"/checkin/{tokens[0]}").status_code == 404


@pytest.mark.parametrize("level", ["", "0", "6", "three", "2.5"])
def test_bad_ratings_get_the_form_again_never_a_500(client, app, level):
    tokens = opened(completed())
    response = client.post(f"/followup/{tokens[0]}", data={"skill_0": level})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(FollowupRating)) == 0
    assert client.post(f"/followup/{tokens[0]}", data={"skill_0": "4"}).status_code == 200  # still usable


def test_answer_refuses_skills_outside_the_plan(app):
    tokens = opened(completed())
    with pytest.raises(ValueError):
        followups.answer(tokens[0], {"prompt design": 3, "sneaky": 2})


def test_fewer_than_three_self_ratings_show_no_self_rating(client, app):
    world = completed()
    tokens = opened(world)
    answer_all(client, tokens[:2])
    followups.close_followup(world.engagement, actor=world.leader)
    summary = followups.followup_summary(world.engagement)
    assert summary.self_ratings == () and "Fewer than 3" in summary.hidden_because
    auth_page = client.get(f"/engagements/{world.engagement.id}")
    assert b"data-self-ratings" not in auth_page.data


def test_three_self_ratings_show_as_an_average_once_closed(client, app):
    world = completed()
    tokens = opened(world)
    answer_all(client, tokens, level="2")
    assert followups.followup_summary(world.engagement).self_ratings == ()  # still open
    followups.close_followup(world.engagement, actor=world.leader)
    [rating] = followups.followup_summary(world.engagement).self_ratings
    assert (rating.skill, rating.mean, rating.ratings) == ("prompt design", 2.0, 3)


def test_ratings_hold_nothing_that_points_at_a_person_or_an_answer(app):
    assert set(FollowupRating.__table__.columns.keys()) == {"id", "round_id", "skill_label", "level"}
    assert set(FollowupInvite.__table__.columns.keys()) == {"id", "round_id", "token_hash", "used"}


def test_only_the_leader_records_assessed_levels_and_only_after_opening(app):
    world = completed()
    item = world.engagement.plan_items[0]
    with pytest.raises(WrongStage):
        followups.set_followup_levels(world.engagement, {item.id: 2}, actor=world.leader)
    opened(world)
    with pytest.raises(EngagementError):
        followups.set_followup_levels(world.engagement, {item.id: 3}, actor=world.profile.user)
    with pytest.raises(EngagementError, match="1 \\(aware\\) to 5"):
        followups.set_followup_levels(world.engagement, {item.id: 9}, actor=world.leader)
    assert followups.set_followup_levels(world.engagement, {item.id: 2}, actor=world.leader) == 1
    assert item.followup_level == 2


def test_leader_form_bad_level_is_a_clear_error(client, auth, app):
    world = completed()
    opened(world)
    auth.sign_in(world.leader.email)
    item = world.engagement.plan_items[0]
    response = client.post(f"/engagements/{world.engagement.id}/followup/levels", data={f"assessed-{item.id}": "abc"})
    assert response.status_code == 422 and b"Levels go from 1" in response.data


def test_freelancer_cannot_post_assessed_levels(client, auth, app):
    world = completed()
    opened(world)
    auth.sign_in(world.profile.user.email)
    item = world.engagement.plan_items[0]
    response = client.post(f"/engagements/{world.engagement.id}/followup/levels", data={f"assessed-{item.id}": "5"})
    assert response.status_code == 403
    db.session.refresh(item)
    assert item.followup_level is None


def test_capability_kept_is_the_share_of_the_closed_gap_still_held():
    levels = [
        indicators.PlanLevel("sql", 1, 3, final=3, followup=2),
        indicators.PlanLevel("sql", 1, 4, final=4, followup=5),  # gains since count no more than closed
        indicators.PlanLevel("llm", 2, 3, final=2, followup=1),
    ]  # closed nothing: left out
    kept = indicators.capability_kept(levels)
    assert (kept.kept, kept.closed, kept.assessed, kept.items) == (1 + 3, 2 + 3, 2, 2)
    assert kept.share == pytest.approx(4 / 5)
    assert indicators.capability_kept([]).share is None


def test_engagement_page_shows_capability_kept_with_its_formula(client, auth, app):
    world = completed()
    opened(world)
    followups.set_followup_levels(world.engagement, {i.id: 2 for i in world.engagement.plan_items}, actor=world.leader)
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").data.decode()
    assert 'data-indicator="kept">50%' in page
    assert "Σ clamp(follow-up − baseline, 0, closed)" in page


def test_program_dashboard_shows_kept_beside_transferred_per_team_and_focus(client, auth, app):
    world = completed()
    opened(world)
    followups.set_followup_levels(world.engagement, {i.id: 2 for i in world.engagement.plan_items}, actor=world.leader)
    auth.sign_in(world.manager.email)
    page = client.get("/program").get_data(as_text=True)
    assert "Transferred, and kept after 90 days" in page
    section = page[page.index('id="kept-table"') :]
    assert world.need.team.name in section and "100%" in section and "50%" in section
    assert 'data-kept-focus="augment"' in section and 'data-kept-focus="automate"' in section
