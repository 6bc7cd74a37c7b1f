"""A saved item keeps its texts' vectors with its own: the next save, by any process, encodes
only the texts that changed, gives the vector a full encoding gives, and a record that does not
read back is logged and encoded again, never trusted."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from sqlalchemy import select, update

from matching import encode_needs, encode_profiles, profile_fields
from matching.known_texts import MIN_KEPT_CHARS, unpack
from webapp.extensions import db
from webapp.models import Embedding, FreelancerProfile, ItemKind, Need
from webapp.search.docs import need_doc, profile_doc
from webapp.search.engine import embedder, occupation_bridge

from .. import factories
from .test_need_lean import form as need_form
from .test_profiles import PROFILE, signed_in_freelancer

BIO = "I help finance teams learn to analyse their own data, pairing on real reports until they run them alone."
SKILLS = {
    "skills-1-skill": "financial forecasting",
    "skills-1-weight": "3",
    "skills-2-skill": "coaching analysts in spreadsheet modelling",
    "skills-2-weight": "3",
}


@pytest.fixture
def encoded(app):
    """The texts the model is asked to encode from here on, by a process that remembers nothing
    of earlier saves (another worker, or this one much later)."""
    worker = embedder()
    worker.forget()
    texts: list[str] = []
    inner = worker.embedder.encode
    worker.embedder.encode = lambda batch: texts.extend(batch) or inner(batch)
    yield texts
    worker.embedder.encode = inner


def stored(kind: ItemKind) -> Embedding:
    return db.session.scalar(select(Embedding).where(Embedding.kind == kind))


def fresh_profile_vector() -> np.ndarray:
    profile = db.session.scalar(select(FreelancerProfile))
    return encode_profiles([profile_doc(profile)], embedder().embedder, occupation_bridge())[0]


def test_a_profile_saved_again_encodes_only_the_field_that_changed(client, auth, request):
    signed_in_freelancer(auth)
    assert client.post("/profile/edit", data=PROFILE | SKILLS | {"bio": BIO}).status_code == 302
    texts = request.getfixturevalue("encoded")
    changed = PROFILE | SKILLS | {"bio": BIO, "headline": "Analytics mentor"}
    assert client.post("/profile/edit", data=changed).status_code == 302
    skills_field = profile_fields(profile_doc(db.session.scalar(select(FreelancerProfile))))["skills"]
    assert len(skills_field) >= MIN_KEPT_CHARS
    assert texts == ["Analytics mentor"]
    vector = np.frombuffer(stored(ItemKind.PROFILE).vector, dtype="<f4")
    assert float(vector @ fresh_profile_vector()) > 0.9999  # float16 records move it by less than this


def test_a_record_that_does_not_read_back_is_logged_and_its_texts_encoded_again(client, auth, caplog, request):
    signed_in_freelancer(auth)
    assert client.post("/profile/edit", data=PROFILE | {"bio": BIO}).status_code == 302
    db.session.execute(update(Embedding).values(text_vectors=b"TKV1 cut short"))
    db.session.commit()
    texts = request.getfixturevalue("encoded")
    with caplog.at_level(logging.WARNING, logger="webapp.search.vectors"):
        response = client.post("/profile/edit", data=PROFILE | {"bio": BIO, "headline": "Analytics mentor"})
    assert response.status_code == 302
    assert "unreadable" in caplog.text
    assert BIO in texts and PROFILE["ai_usage"] in texts
    db.session.expire_all()
    row = stored(ItemKind.PROFILE)
    assert len(unpack(row.text_vectors, row.dim)) >= 2  # written again, whole
    assert float(np.frombuffer(row.vector, dtype="<f4") @ fresh_profile_vector()) > 0.9999


def test_a_record_made_by_another_model_is_not_used(client, auth, request):
    signed_in_freelancer(auth)
    assert client.post("/profile/edit", data=PROFILE | {"bio": BIO}).status_code == 302
    db.session.execute(update(Embedding).values(model_name="an-older-model"))
    db.session.commit()
    texts = request.getfixturevalue("encoded")
    assert client.post("/profile/edit", data=PROFILE | {"bio": BIO, "headline": "Analytics mentor"}).status_code == 302
    assert BIO in texts


def test_a_need_saved_again_encodes_only_what_changed(client, auth, request):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org)
    db.session.commit()
    auth.sign_in(leader.email)
    assert client.post("/needs/new", data=need_form(leader)).status_code == 302
    need = db.session.scalar(select(Need))
    texts = request.getfixturevalue("encoded")
    assert (
        client.post(f"/needs/{need.id}/edit", data=need_form(leader, title="Claims review copilot")).status_code == 302
    )
    assert "Claims review copilot" in texts
    assert need.description not in texts
    db.session.expire_all()
    need = db.session.scalar(select(Need))
    fresh = encode_needs([need_doc(need)], embedder().embedder, occupation_bridge())[0]
    assert float(np.frombuffer(stored(ItemKind.NEED).vector, dtype="<f4") @ fresh) > 0.9999


def test_with_the_setting_off_nothing_is_kept_or_read(app, client, auth, request):
    signed_in_freelancer(auth)
    assert client.post("/profile/edit", data=PROFILE | {"bio": BIO}).status_code == 302
    assert stored(ItemKind.PROFILE).text_vectors is not None
    app.config["TANDEM_KEEP_TEXT_VECTORS"] = False
    texts = request.getfixturevalue("encoded")
    assert client.post("/profile/edit", data=PROFILE | {"bio": BIO, "headline": "Analytics mentor"}).status_code == 302
    assert BIO in texts  # the kept record is not read
    db.session.expire_all()
    assert stored(ItemKind.PROFILE).text_vectors is None  # and the item's is cleared
