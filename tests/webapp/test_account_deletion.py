"""A freelancer deletes their account: gone from every index at once, anonymous in the records
the organisations keep, unable to sign in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories, outbox
from tests.factories import worlds
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    CheckinResponse,
    Embedding,
    Engagement,
    EngagementSession,
    EngagementStatus,
    Interest,
    Invitation,
    InvitationStatus,
    ItemKind,
    OutcomeReview,
    ProfileSkill,
    ShortlistEntry,
    User,
    Visibility,
)
from webapp.search import indexes
from webapp.search.index_files import index_path


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    factories.quick_passwords(monkeypatch)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def sign_in(client, email: str):
    client.post("/signout")
    return client.post("/signin", data={"email": email, "password": factories.PASSWORD})


def test_deletion_asks_for_the_password_and_names_what_it_cancels(client):
    own = worlds.build_side("own")
    sign_in(client, own.freelancer.email)
    assert 'href="/profile/delete"' in client.get("/profile").get_data(as_text=True)
    page = client.get("/profile/delete").get_data(as_text=True)
    assert "own need title (active)" in page and 'type="password"' in page
    response = client.post("/profile/delete", data={"password": "not my password"})
    assert response.status_code == 422 and b"not your password" in response.data
    assert db.session.get(User, own.freelancer.id).name == "own freelancer name"
    assert client.get("/profile").status_code == 200


def test_deletion_is_refused_without_a_csrf_token(app, client):
    own = worlds.build_side("own")
    sign_in(client, own.freelancer.email)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/profile/delete", data={"password": factories.PASSWORD})
    assert response.status_code == 422 and b"form expired" in response.data
    assert db.session.get(User, own.freelancer.id).is_active_account


def test_deleted_freelancer_vanishes_from_every_index_and_is_anonymous_in_the_records(app, client):
    own, other = worlds.build_side("own"), worlds.build_side("other")
    profile_id, user_id = own.profile.id, own.freelancer.id
    db.session.add(ShortlistEntry(need_id=other.need.id, profile_id=profile_id, added_by_id=other.leader.id))
    db.session.commit()
    indexes.build_fresh(ItemKind.PROFILE)  # saved to disk with the profile in it, as every process starts
    assert profile_id in indexes.live_index(ItemKind.PROFILE)
    kept = {model: count(model) for model in (Engagement, EngagementSession, CheckinResponse, OutcomeReview)}

    sign_in(client, own.freelancer.email)
    stolen = client.get_cookie("session").value
    response = client.post("/profile/delete", data={"password": factories.PASSWORD})
    assert response.status_code == 302 and response.location == "/"

    assert profile_id not in indexes.live_index(ItemKind.PROFILE)  # this process
    indexes.forget_all()  # another process: it loads the file saved before, then catches up
    assert profile_id not in indexes.live_index(ItemKind.PROFILE)
    assert count(Embedding, Embedding.kind == ItemKind.PROFILE, Embedding.item_id == profile_id) == 0
    assert count(ProfileSkill) == count(Interest) == 1 and count(ShortlistEntry) == 0  # the other side's remain

    user = db.session.get(User, user_id)
    assert (user.name, user.is_active_account) == ("Former freelancer", False)
    assert "freelancer-own" not in user.email
    profile = own.profile
    assert (profile.headline, profile.bio, profile.ai_usage, profile.visibility) == ("", "", "", Visibility.HIDDEN)
    assert {model: count(model) for model in kept} == kept
    assert db.session.get(Engagement, own.engagement.id).status is EngagementStatus.CANCELLED
    assert db.session.get(Invitation, own.invitation.id).status is InvitationStatus.DECLINED
    assert count(Invitation, Invitation.profile_id == profile_id, Invitation.decline_reason != "") == 0
    assert count(AuditEvent, AuditEvent.entity_type == "user", AuditEvent.action == "deleted") == 1

    client.set_cookie("session", stolen)
    assert client.get("/profile").status_code == 302  # the old session no longer works
    assert sign_in(client, "freelancer-own@example.org").status_code == 422

    sign_in(client, other.leader.email)
    found = client.get("/search?q=own+headline+own+profile+skill").get_data(as_text=True)
    assert "own freelancer name" not in found
    sign_in(client, own.leader.email)
    page = client.get(f"/engagements/{own.finished.id}").get_data(as_text=True)
    assert "Former freelancer" in page and "own freelancer name" not in page and "own freelancer review" in page


def test_the_email_address_is_free_again_after_deletion(client):
    own = worlds.build_side("own")
    own.freelancer.email = email = "fay@freelance-people.eu"  # sign-up wants a domain that could be real
    db.session.commit()
    sign_in(client, email)
    client.post("/profile/delete", data={"password": factories.PASSWORD})
    client.post(
        "/signup",
        data={"name": "Back Again", "email": email, "password": "a brand new passphrase", "role": "freelancer"},
    )
    assert client.post(f"/signup/confirm/{outbox.sign_up_token(email)}").status_code == 302


def test_a_deleted_profiles_vector_leaves_the_saved_index_files_at_once(app, client):
    from matching.index import VectorIndex
    from webapp.models import ItemKind

    stays = factories.ProfileFactory(headline="Data coach who stays")
    leaves = factories.ProfileFactory(headline="Data coach who leaves")
    db.session.commit()
    indexes.build_fresh(ItemKind.PROFILE)  # saved files with both
    sign_in(client, leaves.user.email)
    assert client.post("/profile/delete", data={"password": factories.PASSWORD}).status_code == 302
    saved, manifest = VectorIndex.load(index_path(ItemKind.PROFILE))
    assert saved.ids() == [stays.id]
    assert manifest["rows"] == manifest["count"] == 1  # rewritten, not a tombstone over the old vector
