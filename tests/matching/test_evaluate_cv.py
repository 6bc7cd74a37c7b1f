"""Cross-validation over occupations, the calibration fitted from lifts, and the benchmark of
occupations the visible one leaves out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from matching.calibration import PARTIAL_SCORE, STRONG_SCORE, fitted
from matching.evaluate_cv import SHIPPED, TIE, Setting, choose, folds_of
from tests.beir import write_beir, write_occupations

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def test_the_fitted_curve_puts_partial_and_strong_where_the_evidence_is():
    unrelated = [i / 100 for i in range(100)]  # 95th percentile 0.9405
    same = [1.0, 1.2, 1.4, 1.6, 1.8]  # median 1.4, lower quartile 1.2
    curve = fitted(same, unrelated)
    assert curve.score(0.9405) == pytest.approx(PARTIAL_SCORE, abs=0.002)
    assert curve.score(1.4) == pytest.approx(STRONG_SCORE, abs=0.002)
    assert curve.good == pytest.approx(curve.score(1.2), abs=0.001)
    assert [curve.label(curve.score(x)) for x in (0.5, 1.0, 1.3, 1.5)] == ["weak", "partial", "good", "strong"]


def test_folds_hold_out_whole_occupations_and_cover_every_query():
    queries = [f"{occupation}#{n}" for occupation in ("a", "b", "c", "d", "e") for n in range(3)]
    folds = folds_of(queries, 2)
    assert sorted(q for fold in folds for q in fold) == sorted(queries)
    occupations = [{q.split("#")[0] for q in fold} for fold in folds]
    assert not occupations[0] & occupations[1]


def test_a_setting_must_beat_the_shipped_one_by_more_than_a_tie_to_be_chosen():
    other = Setting(profile_blend=4.0)
    assert choose([SHIPPED, other], {SHIPPED: 0.50, other: 0.50 + TIE / 2}.get) == SHIPPED
    assert choose([SHIPPED, other], {SHIPPED: 0.50, other: 0.50 + TIE * 2}.get) == other


def test_the_command_reports_held_out_folds_with_their_checks(tmp_path):
    folder = write_beir(tmp_path / "beir")
    env = {**os.environ, "TANDEM_EMBEDDER": "fake", "TANDEM_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "matching.evaluate",
            str(folder),
            "--cv",
            "2",
            "--json",
            "--esco",
            str(write_occupations(tmp_path / "occ.csv")),
            "--cache",
            str(tmp_path / "cache"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(result.stdout)
    assert len(report["folds"]) == 2
    held = [set(fold["held_out_occupations"]) for fold in report["folds"]]
    assert held[0].isdisjoint(held[1]) and held[0] | held[1] == {"q-web", "q-bread"}
    for fold in report["folds"]:
        assert set(fold) >= {"tandem", "cosine", "bm25", "calibration", "checks", "chosen"}
        assert 0.0 <= fold["checks"]["auc"] <= 1.0
    assert set(report["in_sample"]) == {"tandem", "cosine", "bm25"}
    assert 0.0 <= report["random_needs_below_partial"] <= 1.0


@pytest.mark.skipif(not (SHARED / "data" / "onet").is_dir(), reason="needs ../shared/data/onet")
def test_the_unseen_benchmark_asks_only_for_occupations_the_visible_one_leaves_out(tmp_path):
    from matching.onet_queries import build

    queries, qrels = build(SHARED / "data" / "onet", SHARED / "eval" / "onet", per_occupation=1, seed=0)
    visible = {
        json.loads(line)["_id"].split("#")[0]
        for line in (SHARED / "eval" / "onet" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    }
    asked = {q["_id"].split("#")[0] for q in queries}
    assert asked and not asked & visible
    assert all(grade == 3 for query, doc, grade in qrels if doc.split("#")[0] == query.split("#")[0])
