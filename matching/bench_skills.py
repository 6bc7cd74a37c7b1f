"""How fast and how big skill normalisation is, warm, on the real model and the whole taxonomy.

    python -m matching.bench_skills [--cache DIR] [--esco-data DIR] [--labels N] [--texts N]
                                    [--backends onnx,torch] [--json]

Reads the taxonomy (ESCO and the extension), loads its cached vectors (or builds them: minutes),
warms the model, then times in one run, for each backend (ONNX Runtime, the default, and torch):
- `label`: normalising one label at a time (`SkillNormaliser.normalise`), --labels mentions,
  none of them an exact name and each one new (what the normaliser remembers is forgotten
  before each), so each one is encoded and searched;
- `label_again`: the same labels once more, as when a skill is typed on another profile;
- `text`: reading skills from a 1,000-character need description (`SkillReader.read`),
  --texts different texts, each one new (remembered phrases forgotten before each);
- `typing`: a description read as it is written, every 60 characters, up to 1,000, the
  phrases of its earlier reads remembered (the debounced suggestions on the forms);
- `baseline_label` and `baseline_text`, in the same run: the plain method, one encode call and
  the nearest preferred label by exact cosine (for a label), and every candidate phrase encoded
  and searched as deeply as a label (for a text), nothing remembered; timed in turn with the
  normaliser on each input, so that load that comes and goes weighs on both.
It reports p50/p95 of each in ms, the vectors' size in memory (`SkillVectors.nbytes`) and how
much the process grew while loading them (resident memory, a cross-check).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matching.bench import _ms, _progress, _rss_bytes
from matching.embedder import Embedder, SentenceTransformerEmbedder, bundled_model_path
from matching.onnx_embedder import OnnxEmbedder
from matching.skill_catalogue import read_catalogue
from matching.skill_normaliser import SkillNormaliser
from matching.skill_reader import SkillReader, candidate_phrases
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
    "The second half of the work is governance: map where automated decisions touch customers, keep "
    "an audit trail of prompts and outputs, and agree with legal how risk is assessed. Help our "
    "managers plan the change, answer staff worries honestly and redesign two workflows with the "
    "people who run them. Dashboards in Power BI, some Azure, and a habit of writing things down help. "
    "We value patience, clear writing and someone who listens before proposing tools."
)
# Swapped into the description so that each timed text has phrases of its own.
TEAMS = ("claims", "billing", "support", "logistics", "payroll", "underwriting", "procurement", "marketing")
TOOLS = ("Python", "Rust", "Excel", "Tableau", "Kotlin", "Power BI", "Scala", "Go")
TYPING_STEP = 60


def texts_to_read(count: int) -> list[str]:
    """`count` 1,000-character descriptions, each with words of its own."""
    texts = []
    for n in range(count):
        team, tool = TEAMS[n % len(TEAMS)], TOOLS[(n // len(TEAMS)) % len(TOOLS)]
        text = DESCRIPTION.replace("claims", team).replace("Python", tool)[: 1000 - len(str(n)) - 1]
        texts.append(f"{text} {n}")
    return texts


def bench(normaliser: SkillNormaliser, labels: int, texts: int) -> dict[str, Any]:
    reader = SkillReader(normaliser)
    mentions = [f"{MENTIONS[i % len(MENTIONS)]} {i // len(MENTIONS) or ''}".strip() for i in range(labels)]
    descriptions = texts_to_read(texts)
    normaliser.normalise("warm up the model")
    reader.read(descriptions[0])
    baseline = PlainMethod(normaliser)
    times: dict[str, list[float]] = {}
    times["baseline_label"], times["label"] = _paired(baseline.normalise, normaliser.normalise, mentions, normaliser)
    normaliser.normalise_many(mentions)
    times["label_again"] = _each(normaliser.normalise, mentions)
    times["baseline_text"], times["text"] = _paired(baseline.read, reader.read, descriptions, normaliser)
    normaliser.forget()
    written = descriptions[-1]
    times["typing"] = _each(reader.read, [written[:end] for end in range(TYPING_STEP, len(written) + 1, TYPING_STEP)])
    return {f"{name}_{p}_ms": _ms(values, p) for name, values in times.items() for p in (50, 95)}


class PlainMethod:
    """What the normaliser is measured against: one encode call and an exact search, nothing remembered."""

    def __init__(self, normaliser: SkillNormaliser) -> None:
        assert normaliser.vectors is not None and normaliser.embedder is not None
        self.embedder: Embedder = normaliser.embedder
        self.vectors = normaliser.vectors
        self.labels = normaliser.vectors.label_vectors()

    def normalise(self, text: str) -> int:
        """The nearest preferred label by cosine (exact search over every skill's label)."""
        return int(np.argmax(self.labels @ self.embedder.encode([text])[0]))

    def read(self, text: str) -> int:
        """Every candidate phrase encoded in one call and searched as deeply as a label."""
        phrases = candidate_phrases(text)
        return len(self.vectors.search(self.embedder.encode(phrases), 2))


def _each(call: Callable[[str], object], inputs: Sequence[str]) -> list[float]:
    times = []
    for item in inputs:
        started = time.perf_counter()
        call(item)
        times.append(time.perf_counter() - started)
    return times


def _paired(
    baseline: Callable[[str], object],
    method: Callable[[str], object],
    inputs: Sequence[str],
    normaliser: SkillNormaliser,
) -> tuple[list[float], list[float]]:
    """Both timed on each input in turn, each on a normaliser that remembers nothing: on a busy
    machine, load that comes and goes then weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for item in inputs:
        for call, kept in zip((baseline, method), times):
            normaliser.forget()
            kept.extend(_each(call, [item]))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.bench_skills", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", default="instance/cache", help="where the skill vectors are kept")
    parser.add_argument("--esco-data", default="../shared/data/esco", help="ESCO's clean label list")
    parser.add_argument("--labels", type=int, default=200, help="labels normalised one at a time")
    parser.add_argument("--texts", type=int, default=40, help="1,000-character texts read")
    parser.add_argument("--backends", default="onnx,torch", help="comma-separated: onnx, torch")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    esco_data = args.esco_data if Path(args.esco_data).is_dir() else None
    taxonomy = read_catalogue(esco_data=esco_data).taxonomy()
    makers: dict[str, Callable[[], Embedder]] = {
        "onnx": lambda: OnnxEmbedder(bundled_model_path(), args.cache),
        "torch": SentenceTransformerEmbedder,
    }
    backends = {name: makers[name]() for name in args.backends.split(",")}
    before = _rss_bytes()
    vectors = SkillVectors.for_taxonomy(taxonomy, next(iter(backends.values())), args.cache)
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
        return 0
    print(
        f"{report['skills']} skills, {report['names']} names: vectors {report['vectors_mb']} MB "
        f"(resident memory grew {report['rss_delta_loading_mb']} MB while loading them)"
    )
    print(f"{'backend':<8}{'timed':<16}{'p50_ms':>9}{'p95_ms':>9}")
    for name in backends:
        for timed in ("baseline_label", "label", "label_again", "baseline_text", "text", "typing"):
            r = report[name]
            print(f"{name:<8}{timed:<16}{r[f'{timed}_50_ms']:>9.2f}{r[f'{timed}_95_ms']:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
