"""Freelancers edit their profile; saving re-embeds, re-indexes and explains the focus."""

from __future__ import annotations

from sqlalchemy import select, update

from tests import factories
from webapp.extensions import db
from webapp.models import Embedding, FreelancerProfile

PROFILE = {
    "headline": "Analytics coach",
    "bio": "I help finance teams learn to analyse data.",
    "skills-0-skill": "data analytics",
    "skills-0-weight": "4",
    "ai_stance": "augment",
    "ai_usage": "I run workshops and pair with analysts so people stay in the loop.",
    "hourly_rate": "95",
    "weekly_hours": "20",
    "timezone": "Europe/Lisbon",
    "visibility": "public",
}


def signed_in_freelancer(auth):
    user = factories.UserFactory(email="free@example.org")
    db.session.add(FreelancerProfile(user=user, headline=""))
    db.session.commit()
    auth.sign_in("free@example.org")
    return user


def test_saving_embeds_and_shows_the_augmentation_evidence(client, auth):
    signed_in_freelancer(auth)
    response = client.post("/profile/edit", data=PROFILE)
    assert response.status_code == 302
    profile = db.session.scalar(select(FreelancerProfile))
    assert db.session.scalar(select(Embedding).where(Embedding.item_id == profile.id)) is not None
    assert profile.augmentation_focus is not None and profile.augmentation_focus > 0.5
    page = client.get("/profile").get_data(as_text=True)
    assert "Augments" in page


def test_bad_rate_is_refused_and_everything_typed_is_kept(client, auth):
    signed_in_freelancer(auth)
    for rate, message in (("-5", "between 0 and 10,000"), ("abc", "Not a valid decimal value")):
        response = client.post("/profile/edit", data=PROFILE | {"hourly_rate": rate})
        assert response.status_code == 422 and message.encode() in response.data
        assert b"I run workshops and pair with analysts" in response.data
    assert db.session.scalar(select(FreelancerProfile)).headline == ""


def test_two_hundred_skills_are_refused_clearly(client, auth):
    signed_in_freelancer(auth)
    many = {f"skills-{i}-skill": f"skill {i}" for i in range(200)} | {f"skills-{i}-weight": "3" for i in range(200)}
    response = client.post("/profile/edit", data=PROFILE | many)
    assert response.status_code == 422
    assert db.session.scalar(select(FreelancerProfile)).headline == ""


def test_a_profile_saved_again_by_another_worker_reads_its_long_fields_vectors_from_the_machine(
    app, client, auth, tmp_path
):
    from webapp.search.engine import embedder
    from webapp.search.state import search_state

    app.config.update(TANDEM_SHARED_VECTORS_MB=16, TANDEM_CACHE_DIR=str(tmp_path))
    search_state().embedders.clear()
    long_bio = (
        "I help finance teams learn to analyse their own data, pairing on real reports until they run them alone."
    )
    signed_in_freelancer(auth)
    assert client.post("/profile/edit", data=PROFILE | {"bio": long_bio}).status_code == 302
    # As for a profile embedded before its texts' vectors were kept with it (test_known_texts):
    db.session.execute(update(Embedding).values(text_vectors=None))
    db.session.commit()

    worker = embedder()
    worker.forget()  # what another worker of the machine would remember of it: nothing
    encoded: list[str] = []
    inner_encode = worker.embedder.encode
    worker.embedder.encode = lambda texts: encoded.extend(texts) or inner_encode(texts)
    assert (
        client.post("/profile/edit", data=PROFILE | {"bio": long_bio, "headline": "Analytics mentor"}).status_code
        == 302
    )
    assert "Analytics mentor" in encoded  # the field that changed
    assert long_bio not in encoded  # read from the machine's store
    assert PROFILE["ai_usage"] in encoded  # a short text is cheaper to encode again than to keep
