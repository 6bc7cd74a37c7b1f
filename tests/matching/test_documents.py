"""What gets embedded for needs and profiles, and how field vectors become one vector."""

from __future__ import annotations

import numpy as np
import pytest

from matching import documents
from matching.documents import embedded_text, encode_needs, encode_profiles, need_fields, profile_fields
from matching.embedder import FakeEmbedder, text_hash
from matching.occupations import Occupation, OccupationBridge
from matching.types import NeedDoc, ProfileDoc, SkillRef


class CountingEmbedder(FakeEmbedder):
    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim)
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return super().encode(texts)


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def test_need_fields_name_title_tasks_skills_and_goals():
    need = NeedDoc(
        id=1,
        title="  Data   engineer ",
        description="Build pipelines.\nMentor the team.",
        skills=(SkillRef("SQL", weight=1), SkillRef("Python", weight=3), SkillRef("python", weight=2)),
        goal="Faster answers",
        learning_goals="Own the pipelines",
    )
    assert need_fields(need) == {
        "title": "Data engineer",
        "description": "Build pipelines. Mentor the team.",
        "skills": "Python, python, SQL",
        "goals": "Faster answers Own the pipelines",
    }


def test_profile_fields_put_strongest_skills_first_and_leave_missing_fields_empty():
    profile = ProfileDoc(
        id=1,
        headline="MLOps coach",
        skills=(SkillRef("Docker", weight=2), SkillRef("Kubernetes", weight=5), SkillRef("Docker", weight=2)),
    )
    assert profile_fields(profile) == {
        "headline": "MLOps coach",
        "skills": "Kubernetes, Docker",
        "bio": "",
        "ai_usage": "",
    }


def test_embedded_text_is_stable_across_whitespace_and_field_order():
    a = embedded_text({"headline": "Data  coach", "bio": "Pairs with teams", "skills": ""})
    b = embedded_text({"bio": " Pairs with\nteams", "headline": "Data coach"})
    assert a == b
    assert text_hash(a) == text_hash(b)
    assert a.splitlines() == [
        f"tandem-document v{documents.DOCUMENT_VERSION}",
        "bio: Pairs with teams",
        "headline: Data coach",
    ]


def test_embedded_text_changes_with_content():
    assert embedded_text({"headline": "Data coach"}) != embedded_text({"headline": "Data engineer"})
    assert embedded_text({"headline": "Data coach"}) != embedded_text({"bio": "Data coach"})


def test_encoded_profiles_are_unit_rows_from_one_encode_call(embedder):
    profiles = [
        ProfileDoc(id=1, headline="Data engineer", bio="Ten years of pipelines", skills=(SkillRef("SQL"),)),
        ProfileDoc(id=2, headline="Product designer", ai_usage="Prototypes with AI"),
        ProfileDoc(id=3, headline="Analyst"),
    ]
    vectors = encode_profiles(profiles, embedder)
    assert vectors.shape == (3, 64) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert [len(call) for call in embedder.calls] == [6]  # 3 headlines, a skill list, a bio, an ai_usage


def test_empty_fields_are_skipped_not_embedded(embedder):
    alone = encode_profiles([ProfileDoc(id=1, headline="Data engineer")], embedder)
    assert np.allclose(alone[0], embedder.encode(["Data engineer"])[0], atol=1e-6)
    with_blanks = encode_profiles([ProfileDoc(id=1, headline="Data engineer", bio="  ", ai_usage="")], embedder)
    assert np.allclose(alone, with_blanks, atol=1e-6)


def test_field_weights_decide_the_mix(embedder):
    need = NeedDoc(id=1, title="Data engineer", description="Build pipelines")
    vector = encode_needs([need], embedder)[0]
    title, description = embedder.encode(["Data engineer", "Build pipelines"])
    expected = documents.NEED_WEIGHTS["title"] * title + documents.NEED_WEIGHTS["description"] * description
    assert np.allclose(vector, expected / np.linalg.norm(expected), atol=1e-6)


def test_an_item_with_nothing_to_embed_gets_a_zero_row(embedder):
    vectors = encode_needs([NeedDoc(id=1, title=""), NeedDoc(id=2, title="Coach")], embedder)
    assert not vectors[0].any()
    assert np.isclose(np.linalg.norm(vectors[1]), 1.0)
    assert encode_needs([], embedder).shape == (0, 64)


def test_occupation_bridge_brings_a_job_title_and_its_tasks_together(tmp_path):
    embedder = FakeEmbedder(256)
    bridge = OccupationBridge(
        [
            Occupation(
                "esco:cio",
                "chief information officer",
                "chief information officer CIO Chief information officers direct IT strategy "
                "and govern information systems",
            ),
            Occupation("esco:baker", "baker", "baker pastry maker Bakers bake bread and pastries in ovens"),
        ],
        embedder,
        cache_dir=tmp_path,
    )
    need = NeedDoc(id=1, title="", description="Direct IT strategy and govern information systems")
    cio, baker = ProfileDoc(id=1, headline="CIO"), ProfileDoc(id=2, headline="Pastry maker")

    def cosines(with_bridge):
        n = encode_needs([need], embedder, with_bridge)[0]
        return encode_profiles([cio, baker], embedder, with_bridge) @ n

    plain, bridged = cosines(None), cosines(bridge)
    assert bridged[0] > plain[0] + 0.2
    assert bridged[0] > bridged[1]


def test_bridge_falls_back_to_other_fields_without_a_headline(tmp_path):
    embedder = FakeEmbedder(64)
    bridge = OccupationBridge([Occupation("esco:a", "a", "bakers bake bread")], embedder, cache_dir=tmp_path)
    vector = encode_profiles([ProfileDoc(id=1, headline="", bio="I bake bread")], embedder, bridge)[0]
    alone = encode_profiles([ProfileDoc(id=1, headline="", bio="I bake bread")], embedder)[0]
    assert np.isclose(np.linalg.norm(vector), 1.0)
    assert not np.allclose(vector, alone)  # the occupation was mixed in
