"""A tiny benchmark in BEIR's layout, and ESCO occupations to bridge it, for the evaluation's tests."""

from __future__ import annotations

import json
from pathlib import Path


def write_beir(folder: Path) -> Path:
    corpus = [
        {"_id": "cio", "text": "Chief Information Officer (CIO). Level: expert. Tools: SharePoint, SAP."},
        {"_id": "baker", "title": "Baker", "text": "Bakes bread, cakes and pastries every morning."},
        {"_id": "nurse", "text": "Registered Nurse. Cares for patients on the ward."},
        {"_id": "dev", "text": "Web Developer. Builds websites and web applications."},
    ]
    queries = [
        {"_id": "q-web", "text": "Build websites and web applications. Test the web pages."},
        {"_id": "q-bread", "text": "Bake bread and pastries for the morning."},
        {"_id": "q-unjudged", "text": "Nobody graded this one."},
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(row) for row in corpus) + "\n")
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(row) for row in queries) + "\n")
    (folder / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq-web\tdev\t3\nq-web\tcio\t1\nq-bread\tbaker\t3\nq-bread\tnurse\t0\n"
    )
    return folder


def write_occupations(path: Path) -> Path:
    path.write_text(
        "id,description\n"
        "http://data.europa.eu/esco/occupation/1,web developer Web developers build websites.\n"
        "http://data.europa.eu/esco/occupation/2,baker Bakers bake bread and pastries.\n"
    )
    return path
