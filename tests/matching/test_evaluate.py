"""Ranking metrics on hand-computed rankings, BEIR loading, and the command's output."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from matching.embedder import FakeEmbedder
from matching.evaluate import (
    load_beir,
    mean_scores,
    mrr_at,
    ndcg_at,
    need_from_query,
    per_query_scores,
    profile_from_document,
    rank_tandem,
    recall_at,
)
from tests.beir import write_beir, write_occupations

ROOT = Path(__file__).resolve().parents[2]
GRADES = {"a": 3, "b": 2, "c": 1, "d": 3}


def test_ndcg_uses_graded_gains_and_the_ideal_of_all_qrels():
    dcg = 3 / 1 + 0 + 2 / math.log2(4)
    ideal = 3 + 3 / math.log2(3) + 2 / 2 + 1 / math.log2(5)
    assert ndcg_at(["a", "x", "b"], GRADES) == pytest.approx(dcg / ideal)
    assert ndcg_at(["a", "d", "b", "c"], GRADES) == pytest.approx(1.0)
    assert ndcg_at(["x", "y"], GRADES) == 0.0
    assert ndcg_at(["a"], {}) == 0.0


def test_ndcg_counts_only_the_first_k():
    assert ndcg_at(["x", "a"], {"a": 3}, k=1) == 0.0


def test_recall_counts_top_grade_documents_found():
    assert recall_at(["a", "b", "c"], GRADES, min_grade=3) == 0.5
    assert recall_at(["a", "d"], GRADES, min_grade=3) == 1.0
    assert recall_at(["a", "d"], {"b": 2}, min_grade=3) == 0.0


def test_mrr_is_the_reciprocal_rank_of_the_first_top_grade_document():
    assert mrr_at(["c", "b", "d"], GRADES, min_grade=3) == pytest.approx(1 / 3)
    assert mrr_at(["c", "b"], GRADES, min_grade=3) == 0.0
    assert mrr_at(["c", "b"], GRADES, min_grade=1) == 1.0


def test_mean_scores_average_over_the_chosen_queries():
    per_query = {
        "q1": {"ndcg@10": 1.0, "recall@10": 1.0, "mrr@10": 1.0},
        "q2": {"ndcg@10": 0.5, "recall@10": 0.0, "mrr@10": 0.25},
    }
    assert mean_scores(per_query) == {"ndcg@10": 0.75, "recall@10": 0.5, "mrr@10": 0.625}
    assert mean_scores(per_query, ["q2"])["mrr@10"] == 0.25


def test_documents_become_profiles_title_or_first_sentence_as_headline():
    parsed = profile_from_document(7, "", "Chief Information Officer (CIO). Level: expert. Tools: SAP.")
    assert (parsed.id, parsed.headline, parsed.bio) == (
        7,
        "Chief Information Officer (CIO)",
        "Level: expert. Tools: SAP.",
    )
    titled = profile_from_document(8, "Baker", "Bakes bread.")
    assert (titled.headline, titled.bio) == ("Baker", "Bakes bread.")
    assert profile_from_document(9, "", "Just a title").headline == "Just a title"


def test_queries_become_needs_with_the_text_as_tasks():
    need = need_from_query(3, " Build  websites. ")
    assert (need.title, need.description, need.augment_intent) == ("", "Build websites.", 0.5)


def test_load_beir_keeps_judged_queries_and_positive_grades(tmp_path):
    bench = load_beir(write_beir(tmp_path / "beir"))
    assert list(bench.queries) == ["q-web", "q-bread"]
    assert bench.qrels["q-bread"] == {"baker": 3}
    assert bench.corpus["baker"] == ("Baker", "Bakes bread, cakes and pastries every morning.")
    assert bench.top_grade == 3
    assert list(load_beir(tmp_path / "beir", limit_queries=1).queries) == ["q-web"]


def test_the_production_pipeline_ranks_the_matching_profile_first(tmp_path):
    from matching.occupations import OccupationBridge

    bench = load_beir(write_beir(tmp_path / "beir"))
    embedder = FakeEmbedder(256)
    bridge = OccupationBridge.from_csv(write_occupations(tmp_path / "occ.csv"), embedder, tmp_path / "cache")
    rankings = rank_tandem(bench, embedder, bridge)
    assert rankings["q-web"][0] == "dev" and rankings["q-bread"][0] == "baker"
    assert mean_scores(per_query_scores(rankings, bench))["mrr@10"] == 1.0


def test_command_prints_one_json_object_per_method(tmp_path):
    folder = write_beir(tmp_path / "beir")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "matching.evaluate",
            str(folder),
            "--json",
            "--embedder",
            "fake",
            "--cache",
            str(tmp_path / "cache"),
            "--esco",
            str(write_occupations(tmp_path / "occ.csv")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    summary = json.loads(result.stdout)
    assert set(summary) == {"tandem", "cosine", "bm25"}
    for scores in summary.values():
        assert set(scores) == {"ndcg@10", "recall@10", "mrr@10"}
        assert all(0.0 <= value <= 1.0 for value in scores.values())


def test_command_prints_a_table_for_people(tmp_path):
    folder = write_beir(tmp_path / "beir")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "matching.evaluate",
            str(folder),
            "--limit-queries",
            "1",
            "--embedder",
            "fake",
            "--cache",
            str(tmp_path / "cache"),
            "--esco",
            str(write_occupations(tmp_path / "occ.csv")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["method", "ndcg@10", "recall@10", "mrr@10"]
    assert [line.split()[0] for line in lines[1:4]] == ["tandem", "cosine", "bm25"]
    assert lines[-1] == "1 queries"
