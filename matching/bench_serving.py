"""Measurements for the serving design (issue 17): what N worker processes hold when they serve one
saved index, how fast a fresh process is ready from the file, and each embedding backend's speed
and memory. Measurement only: nothing here changes how the web app serves.

Run through `python -m matching.bench --serving` and `--backends` (see bench.py). Workers are
real processes (multiprocessing spawn, as gunicorn's workers import afresh); their memory is read
from /proc/PID/smaps_rollup by the parent once every worker is ready: Rss counts a shared page in
every process that touches it, Pss divides it among them, so summed Pss is what the machine holds.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from .bench import clustered_vectors, profile_texts
from .embedder import Embedder
from .index import MANIFEST, VectorIndex, build_index

K = 10
# How a worker opens the file. Measured with faiss 1.15 (tests/matching/test_bench.py holds it):
# IO_FLAG_MMAP | IO_FLAG_READ_ONLY maps only IVF inverted lists, so flat and HNSW indexes are
# still copied into each process; IO_FLAG_MMAP_IFC maps the codes of IndexFlat, IndexHNSWFlat and
# IndexHNSWSQ, the HNSW graph included, and leaves them in the shared page cache.
FLAGS = {"load": 0, "mmap": faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY, "mmap_ifc": faiss.IO_FLAG_MMAP_IFC}
MODES = tuple(FLAGS)
_MB = 1e6


def save_index_file(directory: str | os.PathLike[str], n: int, *, kind: str = "auto", seed: int = 0) -> Path:
    """Builds an index of n clustered vectors as production does and saves it; returns its .faiss file."""
    directory = Path(directory)
    index = build_index(np.arange(n), clustered_vectors(n, seed=seed), kind=kind)
    index.save(directory, manifest={"bench": True})
    entry = json.loads((directory / MANIFEST).read_text())["files"]["index"]
    return directory / str(entry["file"])


def memory_of(pid: int | str = "self") -> dict[str, float]:
    """Resident (Rss), proportional (Pss) and the anonymous and file-backed parts of Pss, in MB."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss", "Pss_Anon", "Pss_File"):
                fields[name.lower()] = int(rest.split()[0]) * 1024 / _MB
    return fields


def _serve(path: str, mode: str, probes: np.ndarray, conn: Connection) -> None:
    """A worker: opens the index file (its own copy, or a read-only map), answers the probes one at
    a time, reports, and stays alive until told to stop, so that its memory can be read."""
    started = time.perf_counter()
    faiss.omp_set_num_threads(1)  # a web worker shares the cores with its siblings
    index = faiss.read_index(path, FLAGS[mode])
    opened = time.perf_counter()
    seconds = []
    for probe in probes:
        begin = time.perf_counter()
        index.search(probe[None, :], K)
        seconds.append(time.perf_counter() - begin)
    conn.send(
        {
            "open_s": opened - started,
            "first_query_s": seconds[0],
            "p95_ms": float(np.percentile(seconds, 95)) * 1e3,
            "index_type": type(faiss.downcast_index(index)).__name__,
        }
    )
    conn.recv()


def bench_workers(path: Path, mode: str, workers: int, probes: np.ndarray) -> dict[str, Any]:
    """Total Rss and Pss of `workers` processes that each open `path` by `mode` (one of FLAGS) and
    answer `probes`;
    ready_s is the slowest worker's time from start (interpreter and imports included) to answers."""
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    pipes, processes = [], []
    for _ in range(workers):
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(str(path), mode, probes, child), daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    reports = []
    for parent in pipes:
        reports.append(parent.recv())
    ready_s = time.perf_counter() - started
    memory = [memory_of(process.pid or 0) for process in processes]
    for parent, process in zip(pipes, processes):
        parent.send("stop")
        process.join(30)
    return {
        "mode": mode,
        "workers": workers,
        "index_type": reports[0]["index_type"],
        "rss_total_mb": round(sum(m["rss"] for m in memory), 1),
        "pss_total_mb": round(sum(m["pss"] for m in memory), 1),
        "pss_anon_total_mb": round(sum(m.get("pss_anon", 0.0) for m in memory), 1),
        "pss_file_total_mb": round(sum(m.get("pss_file", 0.0) for m in memory), 1),
        "ready_s": round(ready_s, 3),
        "open_s": round(max(r["open_s"] for r in reports), 4),
        "first_query_ms": round(max(r["first_query_s"] for r in reports) * 1e3, 3),
        "p95_ms": round(max(r["p95_ms"] for r in reports), 3),
    }


def bench_ready(path: Path, mode: str, probes: np.ndarray, *, cold: bool) -> dict[str, Any]:
    """One fresh worker's time to its first answer; `cold` first asks the kernel to drop the file's
    cached pages (posix_fadvise DONTNEED: no root needed, a hint that clean unmapped pages follow)."""
    if cold:
        _drop_cached(path)
    row = bench_workers(path, mode, 1, probes[:1])
    return {"mode": mode, "cold": cold, "ready_s": row["ready_s"], "open_s": row["open_s"]}


def sha256_seconds(path: Path) -> float:
    """What `VectorIndex.load` pays before it reads: hashing the whole file to verify it."""
    started = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while block := data.read(1 << 22):
            digest.update(block)
    return time.perf_counter() - started


def _drop_cached(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def bench_serving(
    n: int, directory: Path, *, kind: str, workers: Sequence[int], queries: int, seed: int = 0
) -> dict[str, Any]:
    """Every measurement of one saved index of n vectors: workers × modes, then time to ready."""
    path = save_index_file(directory, n, kind=kind, seed=seed)
    probes = clustered_vectors(queries, seed=seed + 1)
    _progress(f"serving n={n:,}: {path.stat().st_size / _MB:.1f} MB file; starting workers")
    rows = [bench_workers(path, mode, count, probes) for count in workers for mode in MODES]
    ready = [bench_ready(path, mode, probes, cold=cold) for cold in (True, False) for mode in MODES]
    return {
        "serving": {
            "n": n,
            "index": rows[0]["index_type"],
            "file_mb": round(path.stat().st_size / _MB, 1),
            "verify_sha256_s": round(sha256_seconds(path), 3),
            "workers": rows,
            "ready": ready,
        }
    }


def _forked_worker(directory: str, embedder: Embedder, texts: Sequence[str], conn: Connection) -> None:
    """A web worker forked from a master that loaded the model: maps the saved index, answers
    each text (encode, then search), reports, and stays alive until told to stop."""

    started = time.perf_counter()
    index, _ = VectorIndex.load(directory, mapped=True)
    conn.send(_answer(index, embedder, texts, started))
    conn.recv()


def _answer(index: VectorIndex, embedder: Embedder, texts: Sequence[str], started: float) -> dict[str, Any]:
    """Answers each text (encode, then search); the time to the first answer and the p95."""
    seconds = []
    for text in texts:
        begin = time.perf_counter()
        index.search(embedder.encode([text])[0], K)
        seconds.append(time.perf_counter() - begin)
    return {
        "pid": os.getpid(),
        "ready_s": time.perf_counter() - started - sum(seconds[1:]),
        "p95_ms": float(np.percentile(seconds, 95)) * 1e3,
        "mapped": index.mapped,
    }


def _tandem_master(
    directory: str,
    workers: int,
    backend: str,
    model_path: str | None,
    cache_dir: str,
    texts: Sequence[str],
    conn: Connection,
) -> None:
    """gunicorn's master as Tandem runs it (preload): loads the ONNX model once, then forks the
    workers, which share its pages; reports each worker's figures and waits to be told to stop."""
    from .embedder import new_embedder

    faiss.omp_set_num_threads(1)
    embedder = new_embedder(backend, model_path=model_path, cache_dir=cache_dir)
    embedder.encode(["loaded before the workers are forked"])
    fork = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for _ in range(workers):
        parent, child = fork.Pipe()
        process = fork.Process(target=_forked_worker, args=(directory, embedder, texts, child), daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    conn.send([parent.recv() for parent in pipes])
    conn.recv()
    for parent, process in zip(pipes, processes):
        parent.send("stop")
        process.join(30)


def _baseline_worker(
    directory: str, backend: str, model_path: str | None, cache_dir: str, texts: Sequence[str], conn: Connection
) -> None:
    """A worker as each one loaded before issue 17: its own torch model and its own copy of the file."""
    from .embedder import new_embedder

    started = time.perf_counter()
    faiss.omp_set_num_threads(1)
    embedder = new_embedder(backend, model_path=model_path, cache_dir=cache_dir)
    index, _ = VectorIndex.load(directory)
    conn.send(_answer(index, embedder, texts, started))
    conn.recv()


def bench_tier(
    directory: Path,
    tier: str,
    workers: int,
    texts: Sequence[str],
    *,
    backend: str,
    model_path: str | None,
    cache_dir: str,
) -> dict[str, Any]:
    """`workers` processes serving the index saved in `directory`, as Tandem serves it ("tandem":
    a master that preloaded the model forks workers that map the file) or as before ("baseline":
    each worker loads torch and copies the file). Their summed Pss once all answer (the master's
    included: what the machine holds), summed Rss, the slowest worker's time from its start to
    its first answer, and the slowest p95 of one query (encode + search)."""
    spawn = multiprocessing.get_context("spawn")
    pipes, processes = [], []
    if tier == "tandem":
        parent, child = spawn.Pipe()
        args: tuple[Any, ...] = (str(directory), workers, backend, model_path, cache_dir, list(texts), child)
        processes.append(spawn.Process(target=_tandem_master, args=args))  # not daemonic: it forks
        pipes.append(parent)
    else:
        for _ in range(workers):
            parent, child = spawn.Pipe()
            args = (str(directory), backend, model_path, cache_dir, list(texts), child)
            processes.append(spawn.Process(target=_baseline_worker, args=args, daemon=True))
            pipes.append(parent)
    for process in processes:
        process.start()
    reports = [parent.recv() for parent in pipes]
    reports = reports[0] if tier == "tandem" else reports
    pids = [report["pid"] for report in reports] + ([processes[0].pid] if tier == "tandem" else [])
    memory = [memory_of(pid or 0) for pid in pids]
    for parent, process in zip(pipes, processes):
        parent.send("stop")
        process.join(60)
    return {
        "pss_total_mb": round(sum(m["pss"] for m in memory), 1),
        "rss_sum_mb": round(sum(m["rss"] for m in memory), 1),
        "ready_s": round(max(r["ready_s"] for r in reports), 2),
        "p95_ms": round(max(r["p95_ms"] for r in reports), 2),
        "mapped": reports[0]["mapped"],
    }


def bench_web_tier(
    n: int,
    directory: Path,
    *,
    kind: str,
    workers: Sequence[int],
    queries: int,
    model_path: str | None,
    cache_dir: str,
    baseline: bool = True,
    backends: tuple[str, str] = ("onnx", "sentence-transformers"),
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Per worker count, the issue-17 figures for one saved index of n vectors: Tandem's web tier
    (ONNX model preloaded in the master, file mapped by each worker) against the per-process
    loading it replaces (torch, file copied), in the same run. rss_total_mb is summed Pss: a
    shared page counted once, as the machine holds it."""
    from .embedder import new_embedder

    ours_backend, baseline_backend = backends
    save_index_file(directory, n, kind=kind, seed=seed)
    new_embedder(ours_backend, model_path=model_path, cache_dir=cache_dir).encode(["export once"])  # untimed
    texts = profile_texts(queries, seed=seed + 1)
    rows = []
    for count in workers:
        _progress(f"web tier n={n:,}: {count} worker(s)")
        ours = bench_tier(
            directory, "tandem", count, texts, backend=ours_backend, model_path=model_path, cache_dir=cache_dir
        )
        before = (
            bench_tier(
                directory,
                "baseline",
                count,
                texts,
                backend=baseline_backend,
                model_path=model_path,
                cache_dir=cache_dir,
            )
            if baseline
            else None
        )
        rows.append(
            {
                "n": n,
                "workers": count,
                "rss_total_mb": ours["pss_total_mb"],
                "baseline_rss_total_mb": before["pss_total_mb"] if before else None,
                "ready_s": ours["ready_s"],
                "p95_ms": ours["p95_ms"],
                "rss_sum_mb": ours["rss_sum_mb"],
                "baseline_ready_s": before["ready_s"] if before else None,
                "baseline_p95_ms": before["p95_ms"] if before else None,
                "mapped": ours["mapped"],
            }
        )
    return rows


def print_web_tier(rows: Sequence[dict[str, Any]]) -> None:
    print("\nWeb tier: workers serving one saved index, MB summed over workers (Pss: shared pages once)")
    print(
        f"{'n':>9} {'workers':>7} {'rss_total':>9} {'baseline':>9} {'ratio':>6} {'ready_s':>7} "
        f"{'base_ready':>10} {'p95_ms':>7} {'base_p95':>8}"
    )
    for r in rows:
        base = r["baseline_rss_total_mb"]
        ratio = f"{r['rss_total_mb'] / base:.2f}" if base else "-"
        print(
            f"{r['n']:>9,} {r['workers']:>7} {r['rss_total_mb']:>9.1f} {base or 0:>9.1f} {ratio:>6} "
            f"{r['ready_s']:>7.2f} {r['baseline_ready_s'] or 0:>10.2f} {r['p95_ms']:>7.2f} {r['baseline_p95_ms'] or 0:>8.2f}"
        )


def compare_embedders(
    texts: Sequence[str],
    reference: str,
    embedders: Mapping[str, Embedder],
    naive: Callable[[Sequence[str]], np.ndarray],
    *,
    rounds: int = 1,
) -> dict[str, Any]:
    """Texts/s of the naive loop and of each embedder on the same texts, in one run; each one's
    speedup over the naive loop and its largest absolute difference from `reference`'s vectors.

    Each is warmed up (loaded, exported) on a few texts first, untimed. With several rounds the
    backends take turns and each keeps its fastest round: on cores shared with other work, the
    load moves during a run, and turns spread it over all backends instead of the first timed.
    """
    encoders = {"naive": naive, **{name: e.encode for name, e in embedders.items()}}
    for encode in encoders.values():
        encode(list(texts[:8]))
    seconds = dict.fromkeys(encoders, float("inf"))
    vectors: dict[str, np.ndarray] = {}
    for round_ in range(rounds):
        for name, encode in encoders.items():
            started = time.perf_counter()
            vectors[name] = encode(texts)
            seconds[name] = min(seconds[name], time.perf_counter() - started)
            _progress(f"backends, round {round_ + 1}: {name} {len(texts) / seconds[name]:.1f} texts/s (best so far)")
    truth = vectors[reference]
    return {
        "backends": {
            "texts": len(texts),
            "distinct_texts": len(set(texts)),
            "reference": reference,
            "rounds": rounds,
            "rows": [
                {
                    "backend": name,
                    "texts_per_s": round(len(texts) / seconds[name], 1),
                    "speedup_vs_naive": round(seconds["naive"] / seconds[name], 2),
                    "max_abs_diff": float(np.abs(vectors[name] - truth).max()),
                }
                for name in seconds
            ],
        }
    }


def _embedder_memory(kind: str, model_path: str | None, cache_dir: str, conn: Connection) -> None:
    """A worker that loads one backend and encodes one text, then reports its own memory."""
    from .embedder import new_embedder

    new_embedder(kind, model_path=model_path, cache_dir=cache_dir).encode(["Senior data engineer"])
    conn.send({**memory_of(), "torch_imported": "torch" in sys.modules})
    conn.recv()


def backend_memory(kinds: Sequence[str], *, model_path: str | None, cache_dir: str) -> list[dict[str, Any]]:
    """Rss and Pss of one fresh process per backend after loading the model and encoding one text."""
    context = multiprocessing.get_context("spawn")
    rows = []
    for kind in kinds:
        parent, child = context.Pipe()
        process = context.Process(target=_embedder_memory, args=(kind, model_path, cache_dir, child), daemon=True)
        process.start()
        report = parent.recv()
        parent.send("stop")
        process.join(30)
        rows.append(
            {
                "backend": kind,
                "rss_mb": round(report["rss"], 1),
                "pss_mb": round(report["pss"], 1),
                "torch_imported": report["torch_imported"],
            }
        )
    return rows


def bench_backends(
    count: int, *, model_path: str | None, cache_dir: str, rounds: int = 1, seed: int = 0
) -> dict[str, Any]:
    """The real model through every backend on `count` profile texts, then each backend's memory."""
    from .bench import naive_encode
    from .embedder import SentenceTransformerEmbedder, new_embedder

    torch_path = SentenceTransformerEmbedder(model_path)
    embedders: dict[str, Embedder] = {"sentence-transformers": torch_path}
    for kind in ("onnx", "onnx-int8"):
        embedders[kind] = new_embedder(kind, model_path=model_path, cache_dir=cache_dir)
    texts = profile_texts(count, seed=seed)
    result = compare_embedders(
        texts, "sentence-transformers", embedders, lambda batch: naive_encode(torch_path, batch), rounds=rounds
    )
    result["backends"]["model"] = torch_path.model_name
    result["backends"]["arithmetic"] = arithmetic = model_arithmetic(texts, torch_path.model_path)
    for row in result["backends"]["rows"]:
        row["gflop_per_s"] = round(arithmetic["gflop"] * row["texts_per_s"] / len(texts), 1)
    result["backends"]["memory"] = backend_memory(list(embedders), model_path=model_path, cache_dir=cache_dir)
    return result


def model_arithmetic(texts: Sequence[str], model_path: str | os.PathLike[str]) -> dict[str, Any]:
    """What one pass over the distinct texts asks of the cores: their tokens (truncated as the model
    truncates, no padding) and the BERT encoder's floating-point operations on them (two per
    multiply-add: the projections and the feed-forward layers per token, attention per token pair),
    beside this machine's float32 matrix product rate (NumPy's BLAS on every core), measured now."""
    from tokenizers import Tokenizer

    folder = Path(model_path)
    config = json.loads((folder / "config.json").read_text())
    limit = int(json.loads((folder / "sentence_bert_config.json").read_text()).get("max_seq_length", 256))
    hidden, inner, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(limit)
    tokenizer.no_padding()
    lengths = np.array([len(e.ids) for e in tokenizer.encode_batch(list(dict.fromkeys(texts)))], dtype=np.float64)
    per_token = layers * (4 * hidden * hidden + 2 * hidden * inner)
    attention = layers * 2 * hidden * lengths**2
    flop = 2 * (per_token * lengths.sum() + attention.sum())
    return {"tokens": int(lengths.sum()), "gflop": round(flop / 1e9, 2), "matmul_gflop_per_s": matmul_rate()}


def matmul_rate(size: int = 1536, repeats: int = 6) -> float:
    """GFLOP/s of a float32 square matrix product on this machine, best of `repeats`."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((size, size), dtype=np.float32) for _ in range(2))
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - started)
    return round(2 * size**3 / best / 1e9, 1)


def print_serving(result: dict[str, Any]) -> None:
    s = result["serving"]
    print(
        f"\nServing one saved index: n={s['n']:,}, {s['index']}, file {s['file_mb']:.1f} MB "
        f"(sha256 check {s['verify_sha256_s']:.2f} s), MB summed over workers"
    )
    print(
        f"{'workers':>7} {'mode':>8} {'rss_total':>10} {'pss_total':>10} {'pss_anon':>9} {'pss_file':>9} "
        f"{'ready_s':>8} {'open_s':>8} {'p95_ms':>7}"
    )
    for r in s["workers"]:
        print(
            f"{r['workers']:>7} {r['mode']:>8} {r['rss_total_mb']:>10.1f} {r['pss_total_mb']:>10.1f} "
            f"{r['pss_anon_total_mb']:>9.1f} {r['pss_file_total_mb']:>9.1f} {r['ready_s']:>8.3f} "
            f"{r['open_s']:>8.4f} {r['p95_ms']:>7.3f}"
        )
    print("  time to ready, one fresh process (start to first answer):")
    for r in s["ready"]:
        cache = "cold" if r["cold"] else "warm"
        print(f"    {r['mode']:>8} {cache} page cache  ready {r['ready_s']:.3f} s (open {r['open_s']:.4f} s)")


def print_backends(result: dict[str, Any]) -> None:
    b = result["backends"]
    print(
        f"\nEmbedding backends: {b['model']}, {b['texts']} texts ({b['distinct_texts']} distinct), "
        f"best of {b['rounds']} interleaved rounds"
    )
    print(f"{'backend':>22} {'texts/s':>8} {'vs naive':>8} {'max_abs_diff':>12} {'GFLOP/s':>8}")
    for r in b["rows"]:
        print(
            f"{r['backend']:>22} {r['texts_per_s']:>8.1f} {r['speedup_vs_naive']:>7.2f}x {r['max_abs_diff']:>12.1e} "
            f"{r['gflop_per_s']:>8.1f}"
        )
    a = b["arithmetic"]
    print(
        f"  one pass: {a['tokens']:,} tokens, {a['gflop']:.1f} GFLOP; a float32 matrix product on this machine: "
        f"{a['matmul_gflop_per_s']:.1f} GFLOP/s"
    )
    print("  one process after loading the model and encoding one text:")
    for m in b["memory"]:
        torch = "torch imported" if m["torch_imported"] else "no torch"
        print(f"{m['backend']:>24}  rss {m['rss_mb']:>7.1f} MB  pss {m['pss_mb']:>7.1f} MB  ({torch})")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
