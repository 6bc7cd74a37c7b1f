"""How fast and how big skill normalisation is, warm, on the real model and the whole taxonomy.

    python -m matching.bench_skills [--cache DIR] [--esco-data DIR] [--labels N] [--texts N] [--json]

Reads the taxonomy (ESCO and the extension), loads its cached vectors (or builds them: minutes),
warms the model, then times in one run, for each backend (ONNX Runtime, the default, and torch):
- normalising one label at a time (`SkillNormaliser.normalise`) on --labels mentions never seen
  before, none of them an exact name, so each one is encoded and searched;
- reading skills from a 1,000-character need description (`SkillReader.read`), --texts times,
  each text a little different so nothing is reused.
It reports p50/p95 of each, the vectors' size in memory (`SkillVectors.nbytes`) and how much the
process grew while loading them (resident memory, a cross-check).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from matching.bench import _ms, _progress, _rss_bytes
from matching.embedder import Embedder, SentenceTransformerEmbedder, bundled_model_path
from matching.onnx_embedder import OnnxEmbedder
from matching.skill_catalogue import read_catalogue
from matching.skill_normaliser import SkillNormaliser
from matching.skill_reader import SkillReader
from matching.skill_vectors import SkillVectors

MENTIONS = (
    "kubernetes operators",
    "coaching junior analysts",
    "prompt writing for claims triage",
    "sql srver",
    "data pipeline upkeep",
    "customer empathy",
    "python scripting",
    "credit risk modelling",
    "agile coaching",
    "vector search tuning",
    "budget forecasting",
    "talking to stakeholders",
    "azure devops pipelines",
    "excel modelling",
    "writing grant bids",
    "forklift driving",
    "cold calling",
    "ux research interviews",
    "fine-tuning language models",
    "change management for AI",
)
DESCRIPTION = (
    "Our claims team of twelve adjusters wants to use AI without losing its judgement. We need someone to "
    "build retrieval-augmented generation over our policy documents, design human review steps so "
    "adjusters stay in control, and coach the team in prompt design and LLM evaluation. Experience with "
    "Python, SQL and vector databases matters; knowledge of GDPR and the EU AI Act is a plus. You will "
    "run workshops, pair with our analysts, write playbooks and measure adoption, so that by the end the "
    "team owns the pipeline, can judge the model's suggestions and trains new joiners itself. "
)


def bench(normaliser: SkillNormaliser, labels: int, texts: int) -> dict[str, Any]:
    normaliser.normalise("warm up the model")
    mentions = [f"{MENTIONS[i % len(MENTIONS)]} {i // len(MENTIONS) or ''}".strip() for i in range(labels)]
    label_times = _each(normaliser.normalise, mentions)
    reader = SkillReader(normaliser)
    description = (DESCRIPTION * 2)[:1000]
    reader.read(description)
    read_times = _each(reader.read, [description[: -len(str(i))] + str(i) for i in range(texts)])
    return {
        "normalise_p50_ms": _ms(label_times, 50),
        "normalise_p95_ms": _ms(label_times, 95),
        "read_1000_chars_p50_ms": _ms(read_times, 50),
        "read_1000_chars_p95_ms": _ms(read_times, 95),
    }


def _each(call: Callable[[str], object], inputs: Sequence[str]) -> list[float]:
    times = []
    for item in inputs:
        started = time.perf_counter()
        call(item)
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.bench_skills", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", default="instance/cache", help="where the skill vectors are kept")
    parser.add_argument("--esco-data", default="../shared/data/esco", help="ESCO's clean label list")
    parser.add_argument("--labels", type=int, default=200, help="labels normalised one at a time")
    parser.add_argument("--texts", type=int, default=40, help="1,000-character texts read")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    esco_data = args.esco_data if Path(args.esco_data).is_dir() else None
    taxonomy = read_catalogue(esco_data=esco_data).taxonomy()
    backends: dict[str, Embedder] = {
        "onnx": OnnxEmbedder(bundled_model_path(), args.cache),
        "torch": SentenceTransformerEmbedder(),
    }
    before = _rss_bytes()
    vectors = SkillVectors.for_taxonomy(taxonomy, backends["onnx"], args.cache)
    assert vectors is not None  # built when the cache has none
    report: dict[str, Any] = {
        "skills": len(taxonomy),
        "names": vectors.index.ntotal,
        "vectors_mb": round(vectors.nbytes / 1e6, 1),
        "rss_delta_loading_mb": round((_rss_bytes() - before) / 1e6, 1),
    }
    for name, embedder in backends.items():
        _progress(f"timing with {name}")
        report[name] = bench(SkillNormaliser(taxonomy, vectors, embedder), args.labels, args.texts)
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['skills']} skills, {report['names']} names: vectors {report['vectors_mb']} MB "
            f"(resident memory grew {report['rss_delta_loading_mb']} MB while loading them)"
        )
        for name in backends:
            r = report[name]
            print(
                f"{name:>6}: one label p50 {r['normalise_p50_ms']:.1f} ms, p95 {r['normalise_p95_ms']:.1f} ms; "
                f"1,000 characters read p50 {r['read_1000_chars_p50_ms']:.0f} ms, p95 {r['read_1000_chars_p95_ms']:.0f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
