"""Sessions and artifacts: logged by the leader or the freelancer, bad input refused clearly."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.audit import audit_trail
from tests.factories import engagement_world
from webapp.engagements.activity import services as activity
from webapp.engagements.services import EngagementError
from webapp.extensions import db
from webapp.models import Artifact, ArtifactKind, EngagementSession, EngagementStatus, SessionKind

ACTIVE = EngagementStatus.ACTIVE


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_session_records_who_attended_and_which_plan_items_it_served(app):
    world = engagement_world(status=ACTIVE, plan=True)
    ana_item = world.engagement.plan_items[0]
    session = activity.log_session(
        world.engagement,
        activity.NewSession(
            SessionKind.PAIRING,
            date.today() - timedelta(days=1),
            90,
            attendee_ids=(world.members[0].id,),
            plan_item_ids=(ana_item.id,),
            notes="Built the first prompt library.",
        ),
        actor=world.freelancer,
    )
    assert [m.name for m in session.attendees] == ["Ana"] and session.plan_items == [ana_item]
    assert session.logged_by_id == world.freelancer.id
    assert audit_trail(world.engagement)[-1][0] == "session_logged"


@pytest.mark.parametrize(
    "held_on, minutes, message",
    [
        (date.today() + timedelta(days=1), 60, "A session can't be in the future"),
        (date.today(), 0, "A session lasts between 1 and 720 minutes."),
        (date.today(), 721, "A session lasts between 1 and 720 minutes."),
        (date.today() - timedelta(days=30), 60, "The engagement started on"),
    ],
)
def test_impossible_sessions_are_refused(app, held_on, minutes, message):
    world = engagement_world(status=ACTIVE, plan=True)
    with pytest.raises(EngagementError, match=message):
        activity.log_session(
            world.engagement, activity.NewSession(SessionKind.WORKSHOP, held_on, minutes), actor=world.leader
        )
    assert count(EngagementSession) == 0


def test_sessions_wait_for_the_start(app):
    world = engagement_world(plan=True)
    with pytest.raises(EngagementError, match="Start the engagement before logging sessions"):
        activity.log_session(
            world.engagement, activity.NewSession(SessionKind.MENTORING, date.today(), 30), actor=world.leader
        )


@pytest.mark.parametrize(
    "held_on, minutes, message",
    [
        (
            (date.today() + timedelta(days=2)).isoformat(),
            "60",
            b"A session can&#39;t be in the future: log it once it has happened.",
        ),
        (date.today().isoformat(), "0", b"A session lasts between 1 and 720 minutes."),
        ("yesterday", "30", b"Not a valid date value."),
    ],
)
def test_the_session_form_explains_refusals_and_keeps_the_notes(client, auth, app, held_on, minutes, message):
    world = engagement_world(status=ACTIVE, plan=True)
    auth.sign_in(world.freelancer.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/sessions",
        data={
            "session-kind": "pairing",
            "session-held_on": held_on,
            "session-minutes": minutes,
            "session-notes": "Walked through the triage prompts.",
            "session-attendee_ids": [str(world.members[1].id)],
        },
    )
    assert response.status_code == 422 and message in response.data
    assert b"Walked through the triage prompts." in response.data
    assert count(EngagementSession) == 0


def test_the_session_form_logs_and_the_page_lists_it(client, auth, app):
    world = engagement_world(status=ACTIVE, plan=True)
    auth.sign_in(world.leader.email)
    item = world.engagement.plan_items[2]
    response = client.post(
        f"/engagements/{world.engagement.id}/sessions",
        data={
            "session-kind": "workshop",
            "session-held_on": date.today().isoformat(),
            "session-minutes": "120",
            "session-attendee_ids": [str(m.id) for m in world.members],
            "session-plan_item_ids": [str(item.id)],
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#sessions")
    page = client.get(f"/engagements/{world.engagement.id}").get_data(as_text=True)
    assert "Workshop session, 120 minutes" in page and "Ana, Ben, Chen" in page
    assert 'data-indicator="coverage">100%' in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example.com/playbook.pdf",
        "data:text/html,hi",
        "//example.com/x",
        "example.com/playbook",
        "https://",
        "file:///etc/passwd",
    ],
)
def test_only_web_links_are_accepted(app, url):
    world = engagement_world(status=ACTIVE)
    with pytest.raises(
        EngagementError, match=re.escape("Links must be web addresses starting with http:// or https://.")
    ):
        activity.add_artifact(
            world.engagement, activity.NewArtifact(ArtifactKind.PLAYBOOK, "Triage playbook", url), actor=world.leader
        )
    assert count(Artifact) == 0


def test_the_artifact_form_refuses_a_bad_link_next_to_the_field(client, auth, app):
    world = engagement_world(status=ACTIVE)
    auth.sign_in(world.freelancer.email)
    response = client.post(
        f"/engagements/{world.engagement.id}/artifacts",
        data={"artifact-kind": "code", "artifact-title": "Prompt library", "artifact-url": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    assert b"Links must be web addresses starting with http:// or https://." in response.data
    assert b'value="Prompt library"' in response.data and count(Artifact) == 0


def test_the_team_takes_ownership_of_an_artifact_with_htmx(client, auth, app):
    world = engagement_world(status=ACTIVE)
    artifact = activity.add_artifact(
        world.engagement,
        activity.NewArtifact(ArtifactKind.RECORDING, "Pairing recording", "https://video.example.com/42"),
        actor=world.freelancer,
    )
    auth.sign_in(world.leader.email)
    url = f"/engagements/{world.engagement.id}/artifacts/{artifact.id}/ownership"
    response = client.post(url, data={"team_owned": "1"}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith("<li") and "owned by the team" in body
    assert artifact.team_owned is True
    client.post(url, data={"team_owned": "0"})
    assert artifact.team_owned is False
    assert [e[0] for e in audit_trail(world.engagement)].count("artifact_ownership") == 2
