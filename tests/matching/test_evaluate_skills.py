"""Fitting the normaliser's confidence: held-out figures from folds and from other files."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from matching import evaluate_skills
from matching.evaluate_skills import Observation, across_files, cross_validated


def _observations(count: int, offset: int = 0) -> list[Observation]:
    # Right exactly when the best name is near and the labels agree: a curve can learn it.
    rows = []
    for n in range(count):
        score = 0.7 + 0.3 * ((n * 7 + offset) % count) / count
        right = score >= 0.85
        rows.append(
            Observation(False, right, {"score": score, "lead": 0.1 if right else 0.02, "label_agrees": float(right)})
        )
    return rows


def test_held_out_folds_map_what_the_curve_learnt_precisely():
    figures = cross_validated(_observations(60), folds=5, repeats=2)
    assert figures["auto_precision"] >= 0.85 and 0.3 <= figures["auto_share"] <= 0.6


def test_each_file_is_scored_by_a_curve_fitted_on_the_others():
    figures = across_files({"a.csv": _observations(40), "b.csv": _observations(40, offset=3)})
    assert set(figures) == {"a", "b"}
    assert all(f["auto_precision"] >= 0.85 and f["auto_share"] > 0.3 for f in figures.values())


def test_the_embedder_is_the_web_apps_unless_another_is_asked_for(monkeypatch, tmp_path):
    asked: list[str] = []

    def new_embedder(kind, **_):
        asked.append(kind)
        raise SystemExit(0)  # the choice is all this test reads

    monkeypatch.setattr(evaluate_skills, "new_embedder", new_embedder)
    monkeypatch.setattr(evaluate_skills, "read_catalogue", lambda **_: SimpleNamespace(taxonomy=lambda: None))
    for extra in ([], ["--embedder", "onnx-int8"]):
        with pytest.raises(SystemExit):
            evaluate_skills.main([str(tmp_path / "spans.csv"), *extra])
    assert asked == ["onnx", "onnx-int8"]


def test_the_hashing_fake_is_refused_as_a_measure_of_quality(capsys):
    with pytest.raises(SystemExit) as refused:
        evaluate_skills.main(["spans.csv", "--embedder", "fake"])
    assert refused.value.code == 2 and "invalid choice: 'fake'" in capsys.readouterr().err
