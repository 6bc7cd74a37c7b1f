"""ESCO URIs of the curated demo skills by preferred label (data/skills.yaml), taken from the ESCO
skills file the taxonomy import reads (shared/data/esco).

Resolving by URI holds even where the imported taxonomy split a run-together label differently."""

from __future__ import annotations

from .catalogue import load

ESCO_SKILL = "http://data.europa.eu/esco/skill/"

URIS: dict[str, str] = {label: ESCO_SKILL + uuid for label, uuid in load("skills")["esco_uris"].items()}
