"""A freelancer downloads everything Tandem holds about them, and nothing about anyone else."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests import factories
from tests.factories import worlds
from webapp.extensions import db
from webapp.models import EngagementSession, SessionKind


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    factories.quick_passwords(monkeypatch)


def test_freelancer_downloads_all_their_data_as_json(client, auth):
    own, _ = worlds.build_side("own"), worlds.build_side("other")
    own.engagement.sessions[0].logged_by_id = own.leader.id  # the leader's words stay theirs
    own.engagement.sessions.append(
        EngagementSession(
            kind=SessionKind.REVIEW,
            held_on=date.today(),
            minutes=30,
            notes="notes the freelancer wrote",
            logged_by_id=own.freelancer.id,
        )
    )
    db.session.commit()
    auth.sign_in(own.freelancer.email, factories.PASSWORD)
    assert 'href="/profile/my-data.json"' in client.get("/profile").get_data(as_text=True)
    response = client.get("/profile/my-data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"] | {"created_at": None} == {
        "email": "freelancer-own@example.org",
        "name": "own freelancer name",
        "role": "freelancer",
        "created_at": None,
        "last_login_at": data["account"]["last_login_at"],
    }
    assert data["profile"]["headline"] == "own headline" and data["profile"]["ai_usage"] == "own ai usage"
    assert data["skills"] == [{"label": "own profile skill", "level": 4, "esco_uri": None}]
    assert {i["message"] for i in data["invitations"]} == {"own invitation message", "own old invitation message"}
    assert {i["decline_reason"] for i in data["invitations"]} == {"", "own decline reason"}
    assert data["interests"] == [
        {
            "need": "own need title",
            "organisation": "own organisation",
            "note": "own interest note",
            "created_at": data["interests"][0]["created_at"],
        }
    ]
    active, finished = data["engagements"]
    assert active["status"] == "active" and "notes" not in active["sessions"][0]
    assert active["sessions"][1]["notes"] == "notes the freelancer wrote" and active["sessions"][1]["logged_by_you"]
    assert (
        active["artifacts"][0]["title"] == "own artifact title" and active["milestones"][0]["title"] == "own milestone"
    )
    assert [r["text"] for r in finished["reviews_you_wrote"]] == ["own freelancer review"]
    text = response.get_data(as_text=True)
    for not_theirs in (
        "other",
        "own leader review",
        "own session notes",
        "own member 0",
        "own check-in comment",
        "own internal notes",
        "$argon2",
        own.freelancer.session_token,
    ):
        assert not_theirs not in text


def test_only_freelancers_have_a_data_download(client, auth):
    own = worlds.build_side("own")
    auth.sign_in(own.leader.email, factories.PASSWORD)
    assert client.get("/profile/my-data.json").status_code == 403
