"""Who sees and changes an engagement; the lists each role gets."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.factories import engagement_world, other_organisation_leader
from webapp.extensions import db
from webapp.models import EngagementStatus

ACTIVE = EngagementStatus.ACTIVE


@pytest.mark.parametrize("who", ["leader", "manager", "freelancer"])
def test_the_leader_the_program_manager_and_the_freelancer_see_the_page(client, auth, app, who):
    world = engagement_world(status=ACTIVE, plan=True)
    auth.sign_in(getattr(world, who).email)
    response = client.get(f"/engagements/{world.engagement.id}")
    assert response.status_code == 200 and b"Pair with our ops team on AI" in response.data
    assert b"Knowledge transfer" in response.data and b"Timeline" in response.data


def test_another_organisation_and_another_freelancer_get_404(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    stranger = other_organisation_leader()
    auth.sign_in(stranger.email)
    assert client.get(f"/engagements/{world.engagement.id}").status_code == 404
    assert client.post(f"/engagements/{world.engagement.id}/status", data={"status": "cancelled"}).status_code == 404
    assert client.get(f"/engagements/{world.engagement.id + 1000}").status_code == 404
    auth.sign_out()
    someone_else = factories.ProfileFactory()
    db.session.commit()
    auth.sign_in(someone_else.user.email)
    assert client.get(f"/engagements/{world.engagement.id}").status_code == 404
    assert client.post(f"/engagements/{world.engagement.id}/plan", data={"plan-skill": "x"}).status_code == 404
    assert world.engagement.status is ACTIVE


def test_the_program_manager_can_only_look(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    auth.sign_in(world.manager.email)
    engagement_id, item = world.engagement.id, world.engagement.plan_items[0]
    attempts = [
        (f"/engagements/{engagement_id}/status", {"status": "cancelled"}),
        (f"/engagements/{engagement_id}/details", {"details-agreed_hours": "1"}),
        (
            f"/engagements/{engagement_id}/plan/{item.id}",
            {f"item{item.id}-baseline": "5", f"item{item.id}-target": "5"},
        ),
        (
            f"/engagements/{engagement_id}/sessions",
            {"session-kind": "pairing", "session-minutes": "30", "session-held_on": date.today().isoformat()},
        ),
        (
            f"/engagements/{engagement_id}/artifacts",
            {"artifact-kind": "code", "artifact-title": "x", "artifact-url": "https://example.com"},
        ),
        (f"/engagements/{engagement_id}/checkins", {"round-days": "7"}),
        (f"/engagements/{engagement_id}/team-members", {"member-name": "Mallory"}),
        (f"/engagements/{engagement_id}/review", {"review-text": "A long enough review text."}),
    ]
    for url, data in attempts:
        assert client.post(url, data=data).status_code == 403, url
    assert client.get(f"/engagements/{engagement_id}/plan/{item.id}/edit").status_code == 403
    db.session.refresh(item)
    assert world.engagement.status is ACTIVE and item.baseline_level == 1 and world.engagement.agreed_hours == 40
    page = client.get(f"/engagements/{engagement_id}").get_data(as_text=True)
    assert "Log the session" not in page and "Add to the plan" not in page and "Complete the engagement" not in page


def test_the_freelancer_cannot_open_check_ins(client, auth, app):
    world = engagement_world(status=ACTIVE)
    auth.sign_in(world.freelancer.email)
    assert client.post(f"/engagements/{world.engagement.id}/checkins", data={"round-days": "7"}).status_code == 403


def test_each_role_lists_its_engagements(client, auth, app):
    mine = engagement_world(status=ACTIVE)
    theirs = engagement_world()
    theirs.need.title = "Someone else's need"
    db.session.commit()
    for person in (mine.leader, mine.manager, mine.freelancer):
        auth.sign_in(person.email)
        page = client.get("/engagements/").get_data(as_text=True)
        assert "Pair with our ops team on AI" in page and "Someone else&#39;s need" not in page, person.role
        assert f'href="/engagements/{mine.engagement.id}"' in page
        auth.sign_out()


def test_a_freelancer_without_a_profile_gets_an_empty_list(client, auth, app):
    factories.UserFactory(organisation=None, email="new@example.org")
    db.session.commit()
    auth.sign_in("new@example.org")
    response = client.get("/engagements/")
    assert response.status_code == 200 and b"No engagements yet." in response.data


def test_the_page_carries_no_inline_styles_or_scripts(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    auth.sign_in(world.leader.email)
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "<svg" in page and " style=" not in page and "<style" not in page
    assert "<script" not in page.split("</head>")[1]


def test_the_program_home_links_each_engagement(client, auth, app):
    world = engagement_world(status=ACTIVE)
    auth.sign_in(world.manager.email)
    page = client.get("/program").get_data(as_text=True)
    assert f'href="/engagements/{world.engagement.id}"' in page
