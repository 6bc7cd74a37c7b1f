"""Fitting the normaliser's confidence: held-out figures from folds and from other files."""

from __future__ import annotations

import json
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


def _spans(tmp_path, rows):
    path = tmp_path / "spans.csv"
    path.write_text("text,label\n" + "".join(f"{text},{label}\n" for text, label in rows))
    return path


def _in_the_table_world(monkeypatch, taxonomy, embedder):
    monkeypatch.setattr(evaluate_skills, "read_catalogue", lambda **_: SimpleNamespace(taxonomy=lambda: taxonomy))
    monkeypatch.setattr(evaluate_skills, "new_embedder", lambda kind, **_: embedder)


SPANS = [
    ("SQL", "SQL"),  # an exact label: mapped, and right
    ("coaching staff", "coach employees"),  # near one skill: mapped by meaning, right
    ("database work", "PostgreSQL"),  # between three: suggested, not mapped
    ("database work", "SQL Server"),  # a second right answer of the same text
    ("build rag pipelines", "machine learning"),  # mapped to RAG, which is wrong here
]


def test_the_command_prints_each_methods_figures_as_json(monkeypatch, tmp_path, capsys, taxonomy, embedder):
    _in_the_table_world(monkeypatch, taxonomy, embedder)
    path = _spans(tmp_path, SPANS)
    assert evaluate_skills.main([str(path), "--json", "--cache", str(tmp_path / "cache")]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"tandem", "cosine"}
    assert set(figures["tandem"]) == {"acc@1", "recall@5", "auto_share", "auto_precision"}
    assert set(figures["cosine"]) == {"acc@1", "recall@5"}
    # Four distinct texts, three mapped and two of them rightly; only RAG's first answer is wrong,
    # and machine learning, its broader skill, is among its five.
    assert figures["tandem"] == {"acc@1": 0.75, "recall@5": 1.0, "auto_share": 0.75, "auto_precision": 0.6667}


def test_mentions_set_in_sentences_are_scored_as_sentences(monkeypatch, tmp_path, capsys, taxonomy, embedder):
    _in_the_table_world(monkeypatch, taxonomy, embedder)
    path = _spans(tmp_path, [*SPANS, ("teach our analysts", "AI literacy training"), ("C#", "C#")])
    assert evaluate_skills.main([str(path), "--in-sentences", "--cache", str(tmp_path / "cache")]) == 0
    figures = json.loads(capsys.readouterr().out)["spans"]
    assert set(figures) == {"three_a_sentence", "one_a_sentence"}
    assert set(figures["three_a_sentence"]) == {"acc@1", "recall@5", "spans_found@5", "cosine_acc@1", "cosine_recall@5"}
    # The phrases find what the whole sentence, near nothing in this world, cannot.
    three = figures["three_a_sentence"]
    assert three["acc@1"] > three["cosine_acc@1"] and three["recall@5"] > three["cosine_recall@5"]
    assert 0 < three["spans_found@5"] <= 1
