"""Completion: one review each from the leader and the freelancer, the program manager's
rating, and a read-only record with its timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from tests.audit import audit_trail
from tests.factories import engagement_world
from webapp.engagements import reviews, services
from webapp.engagements.activity import services as activity
from webapp.engagements.services import EngagementError
from webapp.extensions import db
from webapp.models import ArtifactKind, EngagementStatus, OutcomeReview, SessionKind

ACTIVE, COMPLETED = EngagementStatus.ACTIVE, EngagementStatus.COMPLETED
REVIEW = "The team now writes and reviews its own prompts."


def completed_world():
    world = engagement_world(status=ACTIVE, plan=True)
    for item in world.engagement.plan_items:
        item.final_level = 3
    db.session.commit()
    services.change_status(world.engagement, COMPLETED, actor=world.freelancer)
    return world


def test_each_party_writes_one_review_after_completion(app):
    world = engagement_world(status=ACTIVE, plan=True)
    with pytest.raises(EngagementError, match="Reviews are written once the engagement is completed"):
        reviews.write_review(world.engagement, REVIEW, actor=world.leader)
    world = completed_world()
    reviews.write_review(world.engagement, REVIEW, actor=world.leader)
    reviews.write_review(world.engagement, "They pair with each other now, without me.", actor=world.freelancer)
    with pytest.raises(EngagementError, match="You already wrote your review"):
        reviews.write_review(world.engagement, "A second, different opinion.", actor=world.leader)
    assert db.session.scalar(select(func.count()).select_from(OutcomeReview)) == 2
    assert {r.reviewer_role.value: r.text for r in world.engagement.reviews}["leader"] == REVIEW


def test_a_second_review_through_the_form_keeps_the_first(client, auth, app):
    world = completed_world()
    auth.sign_in(world.freelancer.email)
    url = f"/engagements/{world.engagement.id}/review"
    assert client.post(url, data={"review-text": REVIEW}).status_code == 302
    again = client.post(url, data={"review-text": "Something else entirely, written later."}, follow_redirects=True)
    assert b"You already wrote your review: it is part of the record." in again.data
    assert [r.text for r in world.engagement.reviews] == [REVIEW]
    too_short = client.post(url, data={"review-text": "ok"})
    assert too_short.status_code == 422


def test_the_program_manager_rates_the_outcome_from_1_to_5(client, auth, app):
    world = completed_world()
    with pytest.raises(Forbidden):
        reviews.rate_outcome(world.engagement, 5, actor=world.leader)
    auth.sign_in(world.manager.email)
    url = f"/engagements/{world.engagement.id}/rating"
    bad = client.post(url, data={"rating-rating": "6"})
    assert bad.status_code == 422 and b"Not a valid choice" in bad.data and world.engagement.outcome_rating is None
    assert client.post(url, data={"rating-rating": "4"}).status_code == 302
    assert world.engagement.outcome_rating == 4
    assert audit_trail(world.engagement)[-1] == ("outcome_rated", None, "4", world.manager.id)


def test_rating_waits_for_completion(app):
    world = engagement_world(status=ACTIVE, plan=True)
    with pytest.raises(EngagementError, match="The outcome is rated once the engagement is completed"):
        reviews.rate_outcome(world.engagement, 3, actor=world.manager)


def test_after_completion_the_page_is_a_read_only_record(client, auth, app):
    world = completed_world()
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "the page below is its record" in page and "Your review as the leader" in page
    for form_button in ("Add to the plan", "Log the session", "Add artifact", "Save dates and hours", ">Edit<"):
        assert form_button not in page
    item = world.engagement.plan_items[0]
    refused = client.post(
        f"/engagements/{world.engagement.id}/plan/{item.id}",
        data={f"item{item.id}-baseline": "1", f"item{item.id}-target": "3", f"item{item.id}-final": "5"},
    )
    assert refused.status_code == 422 and b"its record can&#39;t be changed any more" in refused.data
    assert item.final_level == 3
    stale = client.post(
        f"/engagements/{world.engagement.id}/sessions",
        follow_redirects=True,
        data={"session-kind": "pairing", "session-held_on": date.today().isoformat(), "session-minutes": "30"},
    )
    assert b"This engagement is completed: its record can&#39;t be changed any more." in stale.data
    assert world.engagement.sessions == []


def test_the_timeline_tells_everything_newest_first(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True, started_days_ago=5)
    activity.log_session(
        world.engagement,
        activity.NewSession(
            SessionKind.MENTORING,
            date.today() - timedelta(days=3),
            45,
            attendee_ids=(world.members[0].id,),
            notes="Reviewed AI drafts together.",
        ),
        actor=world.freelancer,
    )
    activity.add_artifact(
        world.engagement,
        activity.NewArtifact(ArtifactKind.PLAYBOOK, "Triage playbook", "https://wiki.example.com/triage"),
        actor=world.freelancer,
    )
    for item in world.engagement.plan_items:
        item.final_level = 3
    db.session.commit()
    services.change_status(world.engagement, COMPLETED, actor=world.leader)
    reviews.write_review(world.engagement, REVIEW, actor=world.leader)
    auth.sign_in(world.manager.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    timeline = page.split('id="timeline-title"')[1]
    order = [
        timeline.index(text)
        for text in (
            "The leader&#39;s review was written",
            "Engagement completed",
            "Artifact left behind: Triage playbook",
            "Mentoring session, 45 minutes",
            "Engagement proposed",
        )
    ]
    assert order == sorted(order)
    assert (
        "by Lea Leader" in timeline and "by Fred Freelancer" in timeline and "Reviewed AI drafts together." in timeline
    )
    assert 'data-indicator="progress">100%' in page
