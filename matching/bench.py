"""How fast Tandem's matching is: the vector index against NumPy brute force, and batched against
naive embedding.

    python -m matching.bench [--sizes 10000,100000,1000000] [--queries 200] [--json] [--skip-embedding]
                             [--index auto|flat|hnsw|hnsw_sq8] [--texts 300] [--backends]
    python -m matching.bench --serving [--sizes 100000] [--workers 1,2,4] [--index ...] [--backends]

For each size N: N synthetic unit vectors (see `clustered_vectors`) go into `build_index(...,
kind="auto")`, as production builds it (or the kind given with --index); then `--queries` fresh vectors from the same distribution
are searched one at a time (k=10) through the index and through NumPy brute force (`data @ q`,
then argpartition). The brute-force answers are the truth for recall@10.

The embedding part loads the real model and encodes 300 texts shaped like the profile fields
Tandem embeds (`profile_texts`) with one `model.encode` call per text, then with
`SentenceTransformerEmbedder.encode`.

`--json` prints one JSON list. Each index object has the keys n, index (the backend searched),
build_s, memory_mb (10^6 bytes, `VectorIndex.memory_bytes`), p50_ms, p95_ms, recall_at_10,
bruteforce_p95_ms, speedup_vs_bruteforce (bruteforce_p95_ms / p95_ms), rss_delta_mb (growth
of the process while building; a cross-check of memory_mb), rank_p50_ms / rank_p95_ms: the
whole ranking of a stored need (`ranking.rank_profiles_for_need`: the pool from the index,
synthetic profiles looked up in memory, scored and re-ranked into a page of ten), timed on a
second pass over the queries, when their candidates' documents are held as the web app holds its
candidate cards, and mapped_rank_p95_ms / mapped_rank_ratio: the same rankings through the index
as a web worker serves it (saved, mapped read-only, 1% of it changed in the delta), taking turns
with the in-memory ones on each query. Unless --skip-embedding, the list ends
with {"embedding": {"model", "texts", "distinct_texts", "naive_texts_per_s",
"batched_texts_per_s", "speedup", "max_abs_diff"}}. Progress goes to stderr.

`--backends` adds {"backends": {"model", "texts", "distinct_texts", "reference", "rows": [{"backend",
"texts_per_s", "speedup_vs_naive", "max_abs_diff"}], "rounds", "memory": [{"backend", "rss_mb", "pss_mb",
"torch_imported"}]}}: the naive loop, torch, onnx and onnx-int8 on the same texts in one run,
differences against the torch path (see bench_serving.compare_embedders).

`--serving` replaces the index table by one object per size and worker count: {"n", "workers",
"rss_total_mb", "baseline_rss_total_mb", "ready_s", "p95_ms", "rss_sum_mb", "baseline_ready_s",
"baseline_p95_ms", "mapped"}. Each is that many spawned worker processes serving one saved index
as a web worker does (the ONNX embedder, the file mapped with VectorIndex.load(mapped=True))
against today's per-process loading (torch, the file copied), in the same run. rss_total_mb is
their summed Pss once all answer: a page shared by the workers counts once, as the machine holds
it (rss_sum_mb counts it in each). ready_s is the slowest worker's time from its start to its
first answers; p95_ms one query's time (encode + search). `--modes` adds the FAISS-only table per
size {"serving": {"n", "index", "file_mb", "verify_sha256_s", "workers": [...], "ready": [...]}}
(bench_serving.bench_workers, bench_ready).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .embedder import SentenceTransformerEmbedder, normalise
from .index import KINDS, VectorIndex, build_index
from .ranking import rank_profiles_for_need
from .track_record import EngagementResult, track_record
from .types import AugmentationFocus, NeedDoc, ProfileDoc, SkillRef

K = 10
DIM = 384


def clustered_vectors(n: int, dim: int = DIM, *, seed: int = 0) -> np.ndarray:
    """n unit vectors (float32) from a Gaussian mixture shaped like sentence embeddings.

    Cluster centres and spreads share a decaying spectrum (variance ~ 1/rank in a random basis),
    so a few directions carry most of the variance as in real embeddings. Nearest neighbours sit
    near cosine 0.7, random pairs near 0; isotropic noise in 384 dimensions would make every
    neighbour equally far and no index, exact or not, would mean anything.
    """
    rng = np.random.default_rng(seed)
    scale = np.arange(1, dim + 1, dtype=np.float32) ** -0.5
    basis = scale[:, None] * np.linalg.qr(rng.standard_normal((dim, dim)))[0].astype(np.float32)
    centres = rng.standard_normal((max(8, int(np.sqrt(n))), dim), dtype=np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 65_536):
        count = min(65_536, n - start)
        latent = centres[rng.integers(0, len(centres), count)] + rng.standard_normal((count, dim), dtype=np.float32)
        block = latent @ basis
        out[start : start + count] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def bench_index(n: int, queries: int, *, seed: int = 0, kind: str = "auto") -> dict[str, Any]:
    """One row of the index table for n vectors."""
    everything = clustered_vectors(n + queries, seed=seed)
    data, probes = everything[:n], everything[n:]
    rss_before, started = _rss_bytes(), time.perf_counter()
    index = build_index(np.arange(n), data, kind=kind)
    build_s = time.perf_counter() - started
    rss_delta = _rss_bytes() - rss_before
    _progress(f"n={n:,}: built {index.backend} in {build_s:.1f} s; querying")
    tandem_s, found = _timed(lambda q: [item for item, _ in index.search(q, K)], probes)
    brute_s, truth = _timed(lambda q: _bruteforce(data, q, K), probes)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as scratch:
        mapped = _mapped_with_delta(index, Path(scratch), data, seed=seed)
        rank_s, mapped_rank_s = _interleaved(_ranker(index), _ranker(mapped), probes)
    recall = np.mean([len(set(a) & set(b.tolist())) / K for a, b in zip(found, truth)])
    p95, brute_p95 = _ms(tandem_s, 95), _ms(brute_s, 95)
    return {
        "n": n,
        "index": index.backend,
        "build_s": round(build_s, 2),
        "memory_mb": round(index.memory_bytes() / 1e6, 1),
        "p50_ms": _ms(tandem_s, 50),
        "p95_ms": p95,
        "recall_at_10": round(float(recall), 4),
        "bruteforce_p95_ms": brute_p95,
        "speedup_vs_bruteforce": round(brute_p95 / p95, 1),
        "rss_delta_mb": round(rss_delta / 1e6, 1),
        "rank_p50_ms": _ms(rank_s, 50),
        "rank_p95_ms": _ms(rank_s, 95),
        "mapped_rank_p95_ms": _ms(mapped_rank_s, 95),
        "mapped_rank_ratio": round(_ms(mapped_rank_s, 95) / max(_ms(rank_s, 95), 1e-9), 2),
    }


DELTA_SHARE = 0.01  # of the collection changed since the file was written, in the mapped run


def _mapped_with_delta(index: VectorIndex, directory: Path, data: np.ndarray, *, seed: int) -> VectorIndex:
    """The index as a web worker serves it: saved, mapped read-only, with DELTA_SHARE of its items
    changed since (in the delta, their old rows tombstoned)."""
    index.save(directory, manifest={"bench": True})
    mapped, _ = VectorIndex.load(directory, mapped=True)
    rng = np.random.default_rng(seed + 7)
    changed = rng.choice(len(data), size=max(1, int(len(data) * DELTA_SHARE)), replace=False)
    mapped.add(changed, clustered_vectors(len(changed), seed=seed + 8))
    return mapped


def _interleaved(
    first: Callable[[np.ndarray], object], second: Callable[[np.ndarray], object], probes: np.ndarray
) -> tuple[list[float], list[float]]:
    """Seconds per probe for two rankers taking turns on each probe, after one untimed pass each
    (the web app holds its candidates' cards: rankings are timed over held ones). Turns spread a
    busy machine's noise over both."""
    for probe in probes:
        first(probe)
        second(probe)
    times: tuple[list[float], list[float]] = ([], [])
    for probe in probes:
        for ranker, seconds in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            ranker(probe)
            seconds.append(time.perf_counter() - started)
    return times


_NEED = NeedDoc(
    id=0,
    title="",
    skills=tuple(
        SkillRef(label, None, 3 - i % 3)
        for i, label in enumerate(("Python", "SQL", "coaching", "forecasting", "process mapping"))
    ),
    augment_intent=1.0,
    budget_max=120,
    hours_per_week=20,
    timezone="Europe/Berlin",
)


def _ranker(index: VectorIndex) -> Callable[[np.ndarray], object]:
    """The whole ranking of a stored need as the web app runs it: the pool from the index, its
    profiles looked up (in memory here), scored and re-ranked into a page of K."""

    def lookup(ids: Sequence[int]) -> dict[int, ProfileDoc]:
        return {int(i): _profile(int(i)) for i in ids}

    return lambda q: rank_profiles_for_need(
        _NEED, q, index, lookup, k=K, focus_of=lambda p: _FOCUS_LEVELS[p.id % 7], newcomer_floor=10
    )


_FOCUS_LEVELS = [AugmentationFocus(round(i / 6, 3)) for i in range(7)]
_ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Europe/Lisbon", None)


@functools.cache
def _profile(i: int) -> ProfileDoc:
    """A synthetic profile with eight of the skills in `_SKILLS`, a rate, hours and a time zone;
    kept once made, as the web app keeps its candidate cards."""
    skills = tuple(SkillRef(_SKILLS[(i * 7 + j * 3) % len(_SKILLS)], None, 1 + (i + j) % 5) for j in range(8))
    return ProfileDoc(
        id=i,
        headline="",
        skills=skills,
        hourly_rate=40 + i % 160,
        weekly_hours=5 + i % 36,
        timezone=_ZONES[i % len(_ZONES)],
        record=_RECORDS[i % len(_RECORDS)],
    )


# Transfer records of 0 to 11 engagements, so the ranking pays for the record factor and the floor.
_RECORDS = [
    track_record([EngagementResult(transferred=(n * 7 % 10) / 10, rating=1 + n % 5)] * n, prior=0.5) for n in range(12)
]


def naive_encode(embedder: SentenceTransformerEmbedder, texts: Sequence[str]) -> np.ndarray:
    """The baseline the embedder beats: one `model.encode` call per text, no reuse."""
    model = embedder.model()
    rows = [model.encode(text, convert_to_numpy=True, show_progress_bar=False) for text in texts]
    return normalise(np.asarray(rows, dtype=np.float32).reshape(len(rows), embedder.dim))


def bench_embedding(count: int = 300, *, seed: int = 0, model_path: str | None = None) -> dict[str, Any]:
    """Texts per second for the naive per-text loop and for SentenceTransformerEmbedder.encode."""
    embedder = SentenceTransformerEmbedder(model_path)
    texts = profile_texts(count, seed=seed)
    _progress(f"embedding: loading {embedder.model_name}")
    embedder.encode(texts[:8]), naive_encode(embedder, texts[:8])  # load and warm up, untimed
    started = time.perf_counter()
    naive = naive_encode(embedder, texts)
    naive_s, started = time.perf_counter() - started, time.perf_counter()
    batched = embedder.encode(texts)
    batched_s = time.perf_counter() - started
    return {
        "embedding": {
            "model": embedder.model_name,
            "texts": len(texts),
            "distinct_texts": len(set(texts)),
            "naive_texts_per_s": round(len(texts) / naive_s, 1),
            "batched_texts_per_s": round(len(texts) / batched_s, 1),
            "speedup": round(naive_s / batched_s, 2),
            "max_abs_diff": float(np.abs(naive - batched).max()),
        }
    }


_SENIORITY = ["Junior", "Senior", "Lead", ""]
_ROLES = [
    "data engineer",
    "ML engineer",
    "product designer",
    "change manager",
    "analytics lead",
    "prompt engineer",
    "learning designer",
    "platform engineer",
    "operations consultant",
]
_FOCUS = [
    "pairing with {people} on {task}",
    "automating {task}",
    "coaching {people} through AI adoption",
    "redesigning {task} with people in the loop",
]
_PEOPLE = ["finance teams", "claims handlers", "nurses", "planners", "support agents", "analysts"]
_TASKS = [
    "month-end reporting",
    "claims triage",
    "shift planning",
    "demand forecasting",
    "ticket routing",
    "contract review",
    "supplier onboarding",
]
_SKILLS = [
    "Python",
    "SQL",
    "dbt",
    "LLM evaluation",
    "retrieval-augmented generation",
    "coaching",
    "facilitation",
    "Kubernetes",
    "forecasting",
    "process mapping",
    "Power BI",
    "TypeScript",
    "prompt design",
    "MLOps",
    "customer research",
    "workflow automation",
    "data governance",
    "stakeholder management",
    "change management",
    "statistics",
    "Airflow",
    "UX research",
]
_BIO = [
    "{Role} with {years} years in {sector}, most recently leading a team of {n}.",
    "Cut the time spent on {task} by {pct}% in {weeks} weeks, and trained the {people} who own it now.",
    "I work alongside {people}, never around them: every change ships with a playbook they keep improving.",
    "I prefer short engagements with a clear hand-over and measurable results.",
    "I live in {city} and work remotely, with the occasional on-site workshop.",
    "Before freelancing I spent {years} years at a {sector} company as an in-house {role}.",
]
_USAGE = [
    "I use AI assistants daily for {task}, always with a person reviewing the output.",
    "I teach {people} to write and test their own prompts.",
    "I build small evaluation sets so the team can see where the model fails.",
    "Repetitive parts of {task} run as automated pipelines with human sign-off.",
    "I keep humans in the loop for every decision that affects a customer.",
    "I pair-program with copilots and show the team how to check their suggestions.",
]
_SECTORS = ["retail banking", "logistics", "healthcare", "public sector", "insurance", "energy"]
_CITIES = ["Lisbon", "Berlin", "Nairobi", "Toronto", "Warsaw", "Bengaluru"]


def profile_texts(count: int, *, seed: int = 0) -> list[str]:
    """What re-indexing profiles hands the embedder: headline, skills, bio and AI-usage texts.

    Shaped like matching.documents' profile fields (one short headline, a skill list, a
    four-sentence bio, two or three sentences on AI use); repeats come only from chance, as
    when two freelancers write the same headline.
    """
    rng = np.random.default_rng(seed)
    texts: list[str] = []
    while len(texts) < count:
        words = {
            "role": str(rng.choice(_ROLES)),
            "people": str(rng.choice(_PEOPLE)),
            "task": str(rng.choice(_TASKS)),
            "sector": str(rng.choice(_SECTORS)),
            "city": str(rng.choice(_CITIES)),
            "years": int(rng.integers(2, 20)),
            "n": int(rng.integers(3, 40)),
            "pct": int(rng.integers(15, 55)),
            "weeks": int(rng.integers(4, 12)),
        }
        role = f"{rng.choice(_SENIORITY)} {words['role']}".strip()
        words["Role"] = role[0].upper() + role[1:]
        texts += [
            f"{words['Role']} — {str(rng.choice(_FOCUS)).format(**words)}",
            ", ".join(rng.choice(_SKILLS, int(rng.integers(5, 10)), replace=False)),
            " ".join(s.format(**words) for s in rng.choice(_BIO, 4, replace=False)),
            " ".join(s.format(**words) for s in rng.choice(_USAGE, int(rng.integers(2, 4)), replace=False)),
        ]
    return texts[:count]


def _bruteforce(data: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    scores = data @ query
    top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
    return top[np.argsort(-scores[top])]


def _timed(search: Callable[[np.ndarray], object], probes: np.ndarray) -> tuple[list[float], list[Any]]:
    """Seconds and answer for each probe, one at a time, after a few untimed warm-up calls."""
    for probe in probes[:5]:
        search(probe)
    seconds, answers = [], []
    for probe in probes:
        started = time.perf_counter()
        answers.append(search(probe))
        seconds.append(time.perf_counter() - started)
    return seconds, answers


def _ms(seconds: list[float], percentile: int) -> float:
    return round(float(np.percentile(seconds, percentile)) * 1e3, 3)


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0  # not Linux: the cross-check is left out as 0


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_table(rows: list[dict[str, Any]], embedding: dict[str, Any] | None, queries: int) -> None:
    print(f"Vector index: {DIM}-d clustered vectors, k={K}, {queries} single queries, {os.cpu_count()} CPU cores")
    print(
        f"{'n':>10} {'index':>8} {'build_s':>8} {'memory_mb':>10} {'p50_ms':>8} {'p95_ms':>8} "
        f"{'recall@10':>9} {'brute_p95_ms':>12} {'speedup':>8} {'rank_p50_ms':>11} {'rank_p95_ms':>11} "
        f"{'mapped_p95':>10} {'ratio':>5}"
    )
    for r in rows:
        print(
            f"{r['n']:>10,} {r['index']:>8} {r['build_s']:>8.2f} {r['memory_mb']:>10.1f} "
            f"{r['p50_ms']:>8.3f} {r['p95_ms']:>8.3f} {r['recall_at_10']:>9.4f} "
            f"{r['bruteforce_p95_ms']:>12.3f} {r['speedup_vs_bruteforce']:>7.1f}x "
            f"{r['rank_p50_ms']:>11.3f} {r['rank_p95_ms']:>11.3f} {r['mapped_rank_p95_ms']:>10.3f} "
            f"{r['mapped_rank_ratio']:>5.2f}"
        )
    if embedding:
        e = embedding["embedding"]
        print(f"\nEmbedding: {e['model']}, {e['texts']} texts ({e['distinct_texts']} distinct)")
        print(f"  naive model.encode per text  {e['naive_texts_per_s']:>8.1f} texts/s")
        print(
            f"  SentenceTransformerEmbedder  {e['batched_texts_per_s']:>8.1f} texts/s "
            f"({e['speedup']:.2f}x, max difference {e['max_abs_diff']:.1e})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", help="comma-separated collection sizes (default 10000,100000,1000000; with --serving 100000)"
    )
    parser.add_argument("--queries", type=int, default=200, help="single queries timed per size")
    parser.add_argument("--json", action="store_true", help="print one JSON list instead of a table")
    parser.add_argument("--skip-embedding", action="store_true", help="leave out the real-model part")
    parser.add_argument(
        "--model", metavar="PATH", help="a sentence-transformers model folder (default: the bundled one)"
    )
    parser.add_argument(
        "--index",
        default="auto",
        choices=KINDS,
        help="the index kind (auto: as production builds it; hnsw_sq8: the compressed option)",
    )
    parser.add_argument(
        "--serving",
        action="store_true",
        help="instead of the index table: N web workers serving one saved index, against per-process loading",
    )
    parser.add_argument("--workers", default="1,2,4", help="with --serving: comma-separated worker counts")
    parser.add_argument(
        "--modes",
        action="store_true",
        help="with --serving: also the FAISS-only table (load, IO_FLAG_MMAP, IO_FLAG_MMAP_IFC) and cold starts",
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="with --serving: leave out the per-process loading baseline"
    )
    parser.add_argument(
        "--tier-backends",
        default="onnx,sentence-transformers",
        metavar="OURS,BASELINE",
        help="with --serving: the embedders of the preloaded tier and of the baseline (fake,fake: no model)",
    )
    parser.add_argument(
        "--backends",
        action="store_true",
        help="embedding throughput and memory per backend (naive loop, torch, onnx, onnx-int8)",
    )
    parser.add_argument("--texts", type=int, default=300, help="texts encoded by the embedding parts")
    parser.add_argument("--rounds", type=int, default=1, help="with --backends: interleaved rounds, best kept")
    parser.add_argument(
        "--onnx-cache", default="instance/cache", metavar="DIR", help="where the ONNX backends keep the export"
    )
    args = parser.parse_args(argv)
    from .bench_serving import bench_backends, print_backends  # it builds on this module

    if args.serving:
        return _serving(args)
    sizes = [int(size) for size in (args.sizes or "10000,100000,1000000").split(",") if size.strip()]
    rows = [bench_index(n, args.queries, kind=args.index) for n in sizes]
    embedding = None if args.skip_embedding else bench_embedding(args.texts, model_path=args.model)
    backends = (
        bench_backends(args.texts, model_path=args.model, cache_dir=args.onnx_cache, rounds=args.rounds)
        if args.backends
        else None
    )
    extra = [part for part in (embedding, backends) if part]
    if args.json:
        print(json.dumps(rows + extra))
    else:
        _print_table(rows, embedding, args.queries)
        if backends:
            print_backends(backends)
    return 0


def _serving(args: argparse.Namespace) -> int:
    """The serving measurements for each size (default 100,000), in a scratch folder."""
    from .bench_serving import (
        bench_backends,
        bench_serving,
        bench_web_tier,
        print_backends,
        print_serving,
        print_web_tier,
    )

    sizes = [int(size) for size in (args.sizes or "100000").split(",") if size.strip()]
    workers = [int(count) for count in args.workers.split(",") if count.strip()]
    ours, theirs = args.tier_backends.split(",")
    tier: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as scratch:
        for n in sizes:
            folder = Path(scratch) / str(n)
            tier += bench_web_tier(
                n,
                folder / "tier",
                kind=args.index,
                workers=workers,
                queries=min(args.queries, 100),
                model_path=args.model,
                cache_dir=args.onnx_cache,
                baseline=not args.no_baseline,
                backends=(ours, theirs),
            )
            if args.modes:
                details.append(
                    bench_serving(n, folder / "modes", kind=args.index, workers=workers, queries=args.queries)
                )
    if args.backends:
        details.append(bench_backends(args.texts, model_path=args.model, cache_dir=args.onnx_cache, rounds=args.rounds))
    if args.json:
        print(json.dumps(tier + details))
        return 0
    print_web_tier(tier)
    for result in details:
        (print_serving if "serving" in result else print_backends)(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
