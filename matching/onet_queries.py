"""More O*NET ranking queries, built the way the benchmark's were, for occupations it leaves out.

    python -m matching.onet_queries [--onet DIR] [--benchmark DIR] [--out DIR] [--per-occupation 5] [--seed 0]

The benchmark in ../shared/eval/onet ranks its corpus (three profiles per O*NET occupation) for
needs of 24 IT, data and AI-adjacent occupations, each need three of the occupation's core task
statements; a profile of the same occupation is grade 3, of an O*NET "Primary-Short" related
occupation 2, of a "Primary-Long" one 1. Tandem is also measured on further queries of that
construction for occupations not in the folder. This writes such a set, for the adjacent
occupations the benchmark leaves out (OCCUPATION_PREFIXES), beside the same corpus: queries.jsonl
and qrels.tsv in --out, and a corpus.jsonl linked to the benchmark's. Nothing here is ever used
to choose a constant: it only measures how the ranking holds on occupations it was not tuned on.
Data: O*NET 29.2 (CC BY 4.0; ../shared/data/onet/SOURCE.txt).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Computer and mathematical occupations, IT management, business and financial specialists,
# and office work that AI transformation touches first.
OCCUPATION_PREFIXES = ("15-", "11-3021", "11-2", "13-1", "13-2", "43-9", "43-4", "27-3042", "27-3043", "19-3022")
TASKS_PER_QUERY = 3
GRADES = {"Primary-Short": 2, "Primary-Long": 1}


def build(
    onet: Path, benchmark: Path, per_occupation: int, seed: int
) -> tuple[list[dict[str, Any]], list[tuple[str, str, int]]]:
    """The new queries and their qrels."""
    corpus = [
        json.loads(line)["_id"]
        for line in (benchmark / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    profiles: dict[str, list[str]] = defaultdict(list)
    for doc in corpus:
        profiles[doc.split("#")[0]].append(doc)
    seen = {
        json.loads(line)["_id"].split("#")[0]
        for line in (benchmark / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    tasks: dict[str, list[str]] = defaultdict(list)
    for row in _tsv(onet / "Task_Statements.tsv"):
        if row["Task Type"] == "Core":
            tasks[row["O*NET-SOC Code"]].append(row["Task"])
    related: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in _tsv(onet / "Related_Occupations.tsv"):
        if row["Relatedness Tier"] in GRADES:
            related[row["O*NET-SOC Code"]].append((row["Related O*NET-SOC Code"], GRADES[row["Relatedness Tier"]]))
    rng = random.Random(seed)
    queries, qrels = [], []
    for code in sorted(profiles):
        if code in seen or not code.startswith(OCCUPATION_PREFIXES) or len(tasks[code]) < TASKS_PER_QUERY + 1:
            continue
        for n in range(per_occupation):
            query_id = f"{code}#u{n}"
            queries.append({"_id": query_id, "text": " ".join(rng.sample(tasks[code], TASKS_PER_QUERY))})
            qrels += [(query_id, doc, 3) for doc in profiles[code]]
            qrels += [(query_id, doc, grade) for other, grade in related[code] for doc in profiles.get(other, ())]
    return queries, qrels


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle, delimiter="\t")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.onet_queries", description=__doc__.split("\n\n")[0])
    parser.add_argument("--onet", default="../shared/data/onet", type=Path)
    parser.add_argument("--benchmark", default="../shared/eval/onet", type=Path)
    parser.add_argument("--out", default="instance/eval/onet-unseen", type=Path)
    parser.add_argument("--per-occupation", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    queries, qrels = build(args.onet, args.benchmark, args.per_occupation, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "queries.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(q) + "\n" for q in queries)
    with open(args.out / "qrels.tsv", "w", encoding="utf-8") as handle:
        handle.write("query-id\tcorpus-id\tscore\n")
        handle.writelines(f"{q}\t{d}\t{g}\n" for q, d, g in qrels)
    corpus = args.out / "corpus.jsonl"
    if not corpus.exists():
        os.symlink((args.benchmark / "corpus.jsonl").resolve(), corpus)
    occupations = len({q["_id"].split("#")[0] for q in queries})
    print(f"{len(queries)} queries of {occupations} occupations the benchmark leaves out, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
