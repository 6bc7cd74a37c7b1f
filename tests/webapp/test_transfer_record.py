"""Transfer records from engagements: what counts, who sees what, and its place in the ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories
from tests.factories import engagement_world
from webapp.extensions import db
from webapp.freelancers import records
from webapp.models import Engagement, EngagementStatus, TransferPlanItem, utcnow

COMPLETED = EngagementStatus.COMPLETED


def add_engagements(world, n: int, status=COMPLETED, final: int = 3, followup: int | None = 3, rating: int = 5):
    """n more engagements of the world's freelancer with the world's need, each with a plan item."""
    for _ in range(n):
        engagement = Engagement(
            need=world.need,
            profile=world.profile,
            status=status,
            agreed_hours=10,
            completed_at=utcnow() - timedelta(days=120),
            outcome_rating=rating,
        )
        engagement.plan_items = [
            TransferPlanItem(
                skill_label="prompt design",
                team_member=world.members[0],
                baseline_level=1,
                target_level=3,
                final_level=final,
                followup_level=followup,
            )
        ]
        db.session.add(engagement)
    db.session.commit()
    records.forget_prior()


def test_cancelled_engagements_count_nothing(app):
    world = engagement_world()
    add_engagements(world, 4, status=EngagementStatus.CANCELLED)
    record = records.record_of(world.profile)
    assert record.engagements == 0 and record.score == record.prior


def test_completed_engagements_give_n_transferred_kept_and_rating(app):
    world = engagement_world()
    add_engagements(world, 3, final=3, followup=2, rating=4)
    record = records.record_of(world.profile)
    assert record.engagements == 3
    assert record.transferred == pytest.approx(1.0) and record.kept == pytest.approx(0.5)
    assert record.rating == pytest.approx(4)


def test_a_freelancer_sees_their_record_and_the_engagements_behind_it(client, auth, app):
    world = engagement_world()
    add_engagements(world, 1)
    auth.sign_in(world.profile.user.email)
    page = client.get("/profile").data.decode()
    assert "Your track record" in page and "1 engagement" in page
    assert "data-record-engagements" in page and world.need.title in page
    assert world.members[0].name not in page  # no team member's name, let alone what they said


def test_other_organisations_see_only_the_aggregate_and_only_from_three(client, auth, app):
    world = engagement_world()
    add_engagements(world, 2)
    org = factories.OrganisationFactory()
    stranger = factories.UserFactory(leader=True, organisation=org, email=f"other{org.id}@example.org")
    db.session.commit()
    auth.sign_in(stranger.email)
    page = client.get(f"/freelancers/{world.profile.id}").data.decode()
    assert "Fewer than 3 completed engagements" in page and "data-record-engagements" not in page
    add_engagements(world, 1)
    page = client.get(f"/freelancers/{world.profile.id}").data.decode()
    assert "3 engagements; teams kept most of what they learned" in page
    assert "data-record-engagements" not in page and world.need.title not in page


def test_freelancer_has_no_way_to_change_their_record(client, auth, app):
    world = engagement_world(status=EngagementStatus.ACTIVE, plan=True)
    auth.sign_in(world.profile.user.email)
    item = world.engagement.plan_items[0]
    # The freelancer's only levers would be the leader's: final levels, follow-up levels, the rating.
    assert client.post(f"/engagements/{world.engagement.id}/rating", data={"rating-rating": "5"}).status_code in (
        403,
        404,
        405,
    )
    assert (
        client.post(
            f"/engagements/{world.engagement.id}/followup/levels", data={f"assessed-{item.id}": "5"}
        ).status_code
        == 403
    )
    db.session.refresh(item)
    assert item.followup_level is None
