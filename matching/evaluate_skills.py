"""Skill normalisation quality: Tandem's normaliser against the plain nearest preferred label.

    python -m matching.evaluate_skills FILE.csv [--json] [--esco-data DIR] [--cache DIR] [--embedder KIND]
    python -m matching.evaluate_skills --fit-confidence FILE.csv [FILE.csv ...] [--cv K]
    python -m matching.evaluate_skills --in-sentences FILE.csv [FILE.csv ...]

FILE.csv has the columns `text,label`: a mention and an ESCO preferred label it means; several
rows with one text are several right answers. Each metric is averaged over distinct texts:
- acc@1: the first answer is one of the text's right answers;
- recall@5: a right answer is among the first five;
- auto_share (Tandem only): the share the normaliser maps automatically;
- auto_precision (Tandem only): the share of those it maps to a right answer.
Answers are compared as skills: a right answer's label is looked up in the taxonomy (preferred
label, else a clean alternative label such as a former preferred label); one it does not hold
is compared by label. The baseline embeds the mention and every preferred label and takes the
nearest by cosine, in the same run.

--fit-confidence fits the normaliser's confidence curve (skill_normaliser.CONFIDENCE) on the
matches by meaning of all the files' texts, and reports by K-fold cross-validation what share of
the texts would be mapped automatically, and how precisely, with the curve and the threshold for
precision >= TARGET_PRECISION chosen on the other folds each time (over 10 shuffles), and, given
several files, each file's figures with the curve and threshold fitted on the others.

--in-sentences sets the mentions in job-ad sentences, three a sentence and one, and scores them
as a file of sentences would be, with the share of the mentions found among their sentence's
first five answers (`in_sentences`).

On the benchmark's validation splits (`../shared/eval/skills`: 97 TECH and 127 HOUSE texts),
with all-MiniLM-L6-v2 (see the README for the figures and the cross-validated choice of the
constants in skill_vectors.py and skill_normaliser.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching.embedder import EMBEDDER_KINDS, Embedder, new_embedder
from matching.skill_catalogue import read_catalogue
from matching.skill_normaliser import (
    MIN_AUTO_SIMILARITY,
    SUGGESTIONS,
    SkillNormaliser,
    confidence,
    match_features,
    mention_core,
)
from matching.skill_vectors import SkillVectors
from matching.taxonomy import SkillTaxonomy, label_key

K = 5
TARGET_PRECISION = 0.85
FEATURES = ("score", "lead", "label_agrees")
SUGGESTION_DEPTH = SUGGESTIONS + 1  # as many skills as the normaliser reads


@dataclass(frozen=True)
class Mention:
    text: str
    right: frozenset[str]  # skill URIs, or "label:<key>" for labels the taxonomy does not hold


def read_mentions(path: str | Path, taxonomy: SkillTaxonomy) -> list[Mention]:
    """The file's distinct texts with their right answers, in first-seen order."""
    answers: dict[str, set[str]] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip()
            if text and label:
                answers.setdefault(text, set()).add(_answer(label, taxonomy))
    return [Mention(text, frozenset(right)) for text, right in answers.items()]


def _answer(label: str, taxonomy: SkillTaxonomy) -> str:
    skill = taxonomy.by_label(label) or taxonomy.exact(label)
    return skill.uri if skill else f"label:{label_key(label)}"


def _is_right(uri: str, label: str, mention: Mention) -> bool:
    return uri in mention.right or f"label:{label_key(label)}" in mention.right


def evaluate(
    mentions: Sequence[Mention], normaliser: SkillNormaliser, label_vectors: np.ndarray, embedder: Embedder
) -> dict[str, dict[str, float]]:
    """{"tandem": {acc@1, recall@5, auto_share, auto_precision}, "cosine": {acc@1, recall@5}}."""
    taxonomy = normaliser.taxonomy
    if normaliser.embedder is None or normaliser.vectors is None:
        raise ValueError("observations need a normaliser with an embedder and skill vectors")
    texts = [m.text for m in mentions]
    results = normaliser.normalise_many(texts)
    semantic = normaliser.rank(texts, K)
    tandem_hits, auto = [], []
    for mention, result, ranked in zip(mentions, results, semantic):
        answers = list(dict.fromkeys([c.skill for c in result.candidates] + [c.skill for c in ranked]))[:K]
        tandem_hits.append([_is_right(s.uri, s.label, mention) for s in answers])
        if result.skill is not None:
            auto.append(_is_right(result.skill.uri, result.skill.label, mention))
    queries = embedder.encode(texts)
    cosine_hits = []
    for mention, row in zip(mentions, queries @ label_vectors.T):
        top = np.argsort(-row)[:K]
        cosine_hits.append([_is_right(taxonomy.skills[i].uri, taxonomy.skills[i].label, mention) for i in top])
    return {
        "tandem": {
            **_accuracy(tandem_hits),
            "auto_share": _mean([1.0] * len(auto) + [0.0] * (len(mentions) - len(auto))),
            "auto_precision": _mean(auto),
        },
        "cosine": _accuracy(cosine_hits),
    }


def _accuracy(hits: list[list[bool]]) -> dict[str, float]:
    return {"acc@1": _mean([bool(h[:1]) and h[0] for h in hits]), "recall@5": _mean([any(h[:K]) for h in hits])}


def _mean(values: Sequence[float]) -> float:
    return round(float(np.mean(values)), 4) if len(values) else 0.0


# --- fitting the confidence curve ------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    exact: bool  # mapped by an exact name (confidence fixed, not fitted)
    right: bool  # the best answer is a right one
    features: dict[str, float]


def observations(mentions: Sequence[Mention], normaliser: SkillNormaliser) -> list[Observation]:
    """Each text's best answer: whether it is right, and what its confidence is read from."""
    embedder, skill_vectors = normaliser.embedder, normaliser.vectors
    if embedder is None or skill_vectors is None:
        raise ValueError("observations need a normaliser with an embedder and skill vectors")
    texts = [m.text for m in mentions]
    results = normaliser.normalise_many(texts)
    cleaned = [r.text for r in results]
    vectors = embedder.encode([mention_core(t) for t in cleaned])
    found = []
    for mention, result, text, hits in zip(mentions, results, cleaned, skill_vectors.search(vectors, SUGGESTION_DEPTH)):
        exact = bool(result.candidates) and result.candidates[0].via in ("label", "alternative label")
        best = result.candidates[0].skill if exact else (normaliser.taxonomy.skills[hits[0].skill] if hits else None)
        right = best is not None and _is_right(best.uri, best.label, mention)
        features = match_features(text, hits) if hits else {}
        found.append(Observation(exact, right, features))
    return found


def fit_curve(data: Sequence[Observation], penalty: float = 0.1) -> dict[str, float]:
    """Logistic regression (Newton's method, L2 penalty) of rightness on the features."""
    rows = [o for o in data if not o.exact and o.features]
    x = np.array([[1.0] + [o.features[f] for f in FEATURES] for o in rows])
    y = np.array([float(o.right) for o in rows])
    beta = np.zeros(x.shape[1])
    ridge = penalty * np.eye(x.shape[1])
    ridge[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ beta))
        gradient = x.T @ (p - y) + ridge @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return {"bias": round(float(beta[0]), 3), **{f: round(float(b), 3) for f, b in zip(FEATURES, beta[1:])}}


def threshold_for(data: Sequence[Observation], curve: dict[str, float], target: float = TARGET_PRECISION) -> float:
    """The lowest confidence at which what is mapped (exact names included) is right at least
    `target` of the time; 1.0 when no threshold reaches it."""
    scored = sorted(((confidence(o.features, curve), o.right) for o in data if _may_map(o)), reverse=True)
    right, total = sum(o.right for o in data if o.exact), sum(o.exact for o in data)
    best = 1.0
    for value, is_right in scored:
        right, total = right + is_right, total + 1
        if right / total >= target:
            best = value
    return best


def _may_map(o: Observation) -> bool:
    return not o.exact and bool(o.features) and o.features["score"] >= MIN_AUTO_SIMILARITY


def auto_figures(data: Sequence[Observation], curve: dict[str, float], threshold: float) -> tuple[int, int, int]:
    """(texts, mapped automatically, of those right)."""
    mapped = [o for o in data if o.exact or (_may_map(o) and confidence(o.features, curve) >= threshold)]
    return len(data), len(mapped), sum(o.right for o in mapped)


def cross_validated(data: list[Observation], folds: int, repeats: int = 10) -> dict[str, float]:
    """Auto share and precision on held-out folds, the curve and threshold fitted on the rest,
    over `repeats` shuffles."""
    totals = np.zeros(3)
    for seed in range(repeats):
        order = np.random.default_rng(seed).permutation(len(data))
        for fold in range(folds):
            held = set(order[fold::folds].tolist())
            train = [o for i, o in enumerate(data) if i not in held]
            totals += _held_out(train, [o for i, o in enumerate(data) if i in held])
    return _shares(totals)


def across_files(data: dict[str, list[Observation]]) -> dict[str, dict[str, float]]:
    """For each file, its auto share and precision with the curve and threshold fitted on the others."""
    return {
        Path(path).stem: _shares(_held_out([o for other, rows in data.items() if other != path for o in rows], held))
        for path, held in data.items()
    }


def _held_out(train: Sequence[Observation], test: Sequence[Observation]) -> np.ndarray:
    curve = fit_curve(train)
    return np.array(auto_figures(test, curve, threshold_for(train, curve)), dtype=float)


def _shares(totals: np.ndarray) -> dict[str, float]:
    return {"auto_share": round(totals[1] / totals[0], 4), "auto_precision": round(totals[2] / max(1, totals[1]), 4)}


# --- mentions set in sentences ---------------------------------------------------------------

SENTENCES = (
    "We are looking for someone with {0}, {1} and {2}.",
    "You will bring {0} to the team; {1} and {2} are a plus.",
    "The role needs {0}. Experience of {1} matters, as does {2}.",
    "Day to day: {0}, {1}, and {2}.",
)
SENTENCES_OF_ONE = (
    "You should have {0}.",
    "The ideal candidate brings {0} to our growing team in Berlin.",
    "As part of the role you will be responsible for {0} across several client projects and internal tools.",
    "{0} is essential.",
)


def in_sentences(
    mentions: Sequence[Mention], normaliser: SkillNormaliser, seed: int = 7
) -> dict[str, dict[str, float]]:
    """A stand-in for sentence-level suggestions (the benchmark's sentences are not here): the
    mentions, shuffled, set in job-ad sentences, three a sentence and then one, each sentence's
    right answers those of its mentions. Scored as a file of sentences is (`evaluate`): Tandem's
    and the plain nearest label's acc@1 and recall@5 (a right answer among the first K), and, for
    three a sentence, the harder share of the mentions themselves found among their sentence's
    first K (`spans_found@5`)."""
    assert normaliser.vectors is not None and normaliser.embedder is not None
    label_vectors = normaliser.vectors.label_vectors()
    order = np.random.default_rng(seed).permutation(len(mentions))
    figures = {}
    for name, size, templates in (("three_a_sentence", 3, SENTENCES), ("one_a_sentence", 1, SENTENCES_OF_ONE)):
        groups = [[mentions[i] for i in order[n : n + size]] for n in range(0, len(order) - size + 1, size)]
        sentences = [
            Mention(
                templates[n % len(templates)].format(*(m.text for m in group)),
                frozenset().union(*(m.right for m in group)),
            )
            for n, group in enumerate(groups)
        ]
        scores = evaluate(sentences, normaliser, label_vectors, normaliser.embedder)
        figures[name] = {
            **{k: v for k, v in scores["tandem"].items() if k in ("acc@1", "recall@5")},
            **{f"cosine_{k}": v for k, v in scores["cosine"].items()},
        }
        if size > 1:
            found = []
            for group, suggested in zip(groups, normaliser.rank([s.text for s in sentences], K)):
                found += [any(_is_right(c.skill.uri, c.skill.label, m) for c in suggested) for m in group]
            figures[name]["spans_found@5"] = _mean(found)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.evaluate_skills", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", metavar="FILE.csv", help="a CSV with the columns text,label")
    parser.add_argument("--fit-confidence", action="store_true", help="fit the confidence curve on the files' texts")
    parser.add_argument("--cv", type=int, default=5, metavar="K", help="folds for --fit-confidence (default: 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--in-sentences", action="store_true", help="set the mentions in sentences and read them (see in_sentences)"
    )
    parser.add_argument(
        "--esco-data",
        default="../shared/data/esco",
        metavar="DIR",
        help="the folder with ESCO's clean preferred labels (default: %(default)s)",
    )
    parser.add_argument(
        "--cache",
        default="instance/cache",
        metavar="DIR",
        help="where the taxonomy's vectors are kept (default: %(default)s)",
    )
    parser.add_argument(
        "--embedder",
        default="onnx",
        choices=[kind for kind in EMBEDDER_KINDS if kind != "fake"],
        help="how texts become vectors (default: %(default)s, the web app's; onnx and sentence-transformers "
        "give the same vectors)",
    )
    parser.add_argument(
        "--model", metavar="PATH", help="a sentence-transformers model folder (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    esco_data = args.esco_data if Path(args.esco_data).is_dir() else None
    taxonomy = read_catalogue(esco_data=esco_data).taxonomy()
    embedder = new_embedder(args.embedder, model_path=args.model, cache_dir=args.cache)
    vectors = SkillVectors.for_taxonomy(taxonomy, embedder, args.cache)
    assert vectors is not None  # built when the cache has none
    normaliser = SkillNormaliser(taxonomy, vectors, embedder)
    every = {path: read_mentions(path, taxonomy) for path in args.files}
    if empty := [path for path, mentions in every.items() if not mentions]:
        parser.error(f"{empty[0]}: no rows with both text and label")
    if args.fit_confidence:
        by_file = {path: observations(mentions, normaliser) for path, mentions in every.items()}
        data = [o for rows in by_file.values() for o in rows]
        curve = fit_curve(data)
        report = {
            "curve": curve,
            "threshold": threshold_for(data, curve),
            "texts": len(data),
            f"cross_validated_{args.cv}_folds": cross_validated(data, args.cv),
        }
        if len(by_file) > 1:
            report["each_file_fitted_on_the_others"] = across_files(by_file)
        print(json.dumps(report))
        return 0
    if args.in_sentences:
        print(json.dumps({Path(path).stem: in_sentences(m, normaliser) for path, m in every.items()}))
        return 0
    if len(args.files) > 1:
        parser.error("evaluate one file at a time (several go with --fit-confidence or --in-sentences)")
    mentions = every[args.files[0]]
    scores = evaluate(mentions, normaliser, vectors.label_vectors(), embedder)
    if args.json:
        print(json.dumps(scores))
    else:
        print(f"{'method':<8}{'acc@1':>9}{'recall@5':>10}{'auto_share':>12}{'auto_precision':>16}")
        for method, values in scores.items():
            print(
                f"{method:<8}"
                + "".join(
                    f"{values.get(m, float('nan')):>{w}.4f}"
                    for m, w in (("acc@1", 9), ("recall@5", 10), ("auto_share", 12), ("auto_precision", 16))
                )
            )
        print(f"{len(mentions)} distinct texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
