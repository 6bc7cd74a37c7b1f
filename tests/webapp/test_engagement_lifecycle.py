"""proposed → active → completed, or cancelled: every transition, recorded; illegal ones refused."""

from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from tests.audit import audit_trail
from tests.factories import engagement_world, other_organisation_leader
from webapp.engagements import services
from webapp.engagements.services import EngagementError
from webapp.extensions import db
from webapp.models import EngagementStatus, MilestoneStatus

PROPOSED, ACTIVE, COMPLETED, CANCELLED = (
    EngagementStatus.PROPOSED,
    EngagementStatus.ACTIVE,
    EngagementStatus.COMPLETED,
    EngagementStatus.CANCELLED,
)


def finish_plan(world, level: int = 3) -> None:
    for item in world.engagement.plan_items:
        item.final_level = level
    db.session.commit()


def test_starting_needs_a_plan_and_sets_the_start_date(app):
    world = engagement_world()
    with pytest.raises(EngagementError, match="at least one item of the knowledge-transfer plan"):
        services.change_status(world.engagement, ACTIVE, actor=world.leader)
    assert world.engagement.status is PROPOSED
    world = engagement_world(plan=True)
    services.change_status(world.engagement, ACTIVE, actor=world.freelancer)
    assert world.engagement.status is ACTIVE and world.engagement.start_date == date.today()
    assert audit_trail(world.engagement)[-1] == ("status_changed", "proposed", "active", world.freelancer.id)


def test_completing_needs_every_final_level_and_is_recorded(app):
    world = engagement_world(status=ACTIVE, plan=True)
    with pytest.raises(
        EngagementError, match=re.escape("Record every final level before completing. Missing: Ana: prompt design")
    ):
        services.change_status(world.engagement, COMPLETED, actor=world.leader)
    assert world.engagement.status is ACTIVE and world.engagement.completed_at is None
    finish_plan(world)
    services.change_status(world.engagement, COMPLETED, actor=world.leader)
    assert world.engagement.status is COMPLETED and world.engagement.completed_at is not None
    assert audit_trail(world.engagement)[-1] == ("status_changed", "active", "completed", world.leader.id)


@pytest.mark.parametrize("start", [PROPOSED, ACTIVE])
def test_proposed_or_active_can_be_cancelled_with_a_reason(app, start):
    world = engagement_world(status=start)
    services.change_status(world.engagement, CANCELLED, actor=world.leader, reason="Budget frozen")
    assert world.engagement.status is CANCELLED
    assert audit_trail(world.engagement)[-1] == ("status_changed", start.value, "cancelled", world.leader.id)


@pytest.mark.parametrize(
    "start, target",
    [
        (PROPOSED, COMPLETED),
        (PROPOSED, PROPOSED),
        (ACTIVE, PROPOSED),
        (ACTIVE, ACTIVE),
        (COMPLETED, ACTIVE),
        (COMPLETED, CANCELLED),
        (CANCELLED, ACTIVE),
        (CANCELLED, PROPOSED),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(app, start, target):
    world = engagement_world(status=start, plan=True)
    before = audit_trail(world.engagement)
    with pytest.raises(EngagementError, match=f"A {start.value} engagement can't be moved to {target.value}."):
        services.change_status(world.engagement, target, actor=world.leader)
    assert world.engagement.status is start and audit_trail(world.engagement) == before


def test_only_the_leader_and_the_freelancer_move_it(app):
    world = engagement_world(plan=True)
    with pytest.raises(Forbidden):
        services.change_status(world.engagement, ACTIVE, actor=world.manager)
    with pytest.raises(NotFound):
        services.change_status(world.engagement, ACTIVE, actor=other_organisation_leader())
    assert world.engagement.status is PROPOSED


def test_status_buttons_post_and_explain_refusals(client, auth, app):
    world = engagement_world()
    auth.sign_in(world.leader.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/status", data={"status": "completed"}, follow_redirects=True
    )
    assert b"A proposed engagement can&#39;t be moved to completed." in response.data
    response = client.post(
        f"/engagements/{world.engagement.id}/status", data={"status": "paused"}, follow_redirects=True
    )
    assert b"Unknown status." in response.data
    response = client.post(
        f"/engagements/{world.engagement.id}/status",
        data={"status": "cancelled", "reason": "No budget"},
        follow_redirects=True,
    )
    assert b"The engagement is cancelled." in response.data and b"No budget" in response.data


def test_dates_and_hours_are_saved_and_recorded(app):
    world = engagement_world()
    details = services.Details(date(2026, 1, 5), date(2026, 3, 27), 60)
    services.save_details(world.engagement, details, actor=world.freelancer)
    assert (world.engagement.start_date, world.engagement.end_date, world.engagement.agreed_hours) == (
        date(2026, 1, 5),
        date(2026, 3, 27),
        60,
    )
    event = audit_trail(world.engagement)[-1]
    assert event[0] == "details_changed"
    with pytest.raises(EngagementError, match="end date can't be before the start date"):
        services.save_details(
            world.engagement, services.Details(date(2026, 3, 1), date(2026, 2, 1), 60), actor=world.leader
        )


def test_bad_dates_in_the_form_come_back_next_to_the_field(client, auth, app):
    world = engagement_world()
    auth.sign_in(world.leader.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/details",
        data={"details-start_date": "2026-03-01", "details-end_date": "2026-02-01", "details-agreed_hours": "30"},
    )
    assert response.status_code == 422
    assert b"The end date can&#39;t be before the start date." in response.data
    assert b'value="2026-03-01"' in response.data and world.engagement.start_date is None


def test_milestones_are_added_and_marked(client, auth, app):
    world = engagement_world()
    services.add_milestone(world.engagement, "First playbook draft", date(2026, 2, 1), actor=world.leader)
    milestone = world.engagement.milestones[0]
    services.set_milestone_status(world.engagement, milestone.id, MilestoneStatus.DONE, actor=world.freelancer)
    assert milestone.status is MilestoneStatus.DONE
    assert [event[0] for event in audit_trail(world.engagement)][-2:] == ["milestone_added", "milestone_changed"]
    auth.sign_in(world.leader.email)
    response = client.post(f"/engagements/{world.engagement.id}/milestones", data={"milestone-title": ""})
    assert response.status_code == 422 and b"This field is required." in response.data
    assert len(world.engagement.milestones) == 1


def test_a_finished_engagement_refuses_changes_with_a_clear_message(app):
    world = engagement_world(status=COMPLETED, plan=True)
    with pytest.raises(
        EngagementError, match=re.escape("This engagement is completed: its record can't be changed any more.")
    ):
        services.save_details(world.engagement, services.Details(None, None, 10), actor=world.leader)
    with pytest.raises(EngagementError, match="completed"):
        services.add_milestone(world.engagement, "Late idea", None, actor=world.freelancer)
