"""The demo's words and catalogues, read from the YAML files in data/: organisations and teams,
freelancers' domains, the problems needs are about, the words of engagements, names and places,
skills. Every text there is written for Tandem's demo; the Python modules only compose them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict:
    """data/<name>.yaml, parsed once per process."""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def pairs(mapping: dict) -> tuple[tuple[str, int], ...]:
    """{label: weight} as the (label, weight) pairs the builders take, in the file's order."""
    return tuple((label, int(weight)) for label, weight in mapping.items())
