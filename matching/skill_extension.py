"""Tandem's AI-transformation skills: a versioned extension of ESCO, read from a CSV file.

The file (`matching/data/tandem_ai_skills.csv`) opens with `# key: value` lines (version,
namespace, licence), then the header `uri,label,alt_labels,description,broader,augment_lean`,
one skill a line: alternative labels separated by `|`, broader ESCO skill URIs by spaces, and
`augment`, `automate` or nothing for the skill's lean. A bad row is reported with its line and
skipped; the rest load. A link to an ESCO skill the database does not hold is the importer's to
report (`missing_links`), since only it knows what is there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from matching.esco_skills import ESCO_SKILL_URI
from matching.taxonomy import RowError, TaxonomySkill

HEADER = ["uri", "label", "alt_labels", "description", "broader", "augment_lean"]
LEANS = {"augment": 1.0, "automate": -1.0, "": None}
REQUIRED_META = ("version", "namespace", "licence")


@dataclass(frozen=True)
class Extension:
    version: str
    namespace: str
    licence: str
    skills: tuple[TaxonomySkill, ...]
    errors: tuple[RowError, ...]


def default_extension_path() -> Path:
    return Path(__file__).resolve().parent / "data" / "tandem_ai_skills.csv"


def read_extension(path: str | Path | None = None) -> Extension:
    """The extension's skills and the rows refused; ValueError when the file itself is unusable
    (no metadata or no header)."""
    path = Path(path) if path is not None else default_extension_path()
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    meta, at = _metadata(lines)
    missing = [key for key in REQUIRED_META if not meta.get(key)]
    if missing:
        raise ValueError(f"{path}: the opening '# key: value' lines lack {', '.join(missing)}")
    if at >= len(lines) or next(csv.reader([lines[at]])) != HEADER:
        raise ValueError(f"{path}:{at + 1}: expected the header {','.join(HEADER)}")
    skills: list[TaxonomySkill] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines[at + 1 :], start=at + 2):
        if not line.strip():
            continue
        skill = _skill(line, meta["namespace"])
        if isinstance(skill, str):
            errors.append(RowError(number, skill))
        elif (earlier := seen.get(skill.uri) or seen.get(skill.label.casefold())) is not None:
            errors.append(RowError(number, f"same URI or label as line {earlier}; first kept"))
        else:
            seen[skill.uri] = seen[skill.label.casefold()] = number
            skills.append(skill)
    return Extension(meta["version"], meta["namespace"], meta["licence"], tuple(skills), tuple(errors))


def _metadata(lines: list[str]) -> tuple[dict[str, str], int]:
    meta: dict[str, str] = {}
    at = 0
    while at < len(lines) and lines[at].startswith("#"):
        key, _, value = lines[at].lstrip("#").partition(":")
        if value:
            meta.setdefault(key.strip().lower(), value.strip())
        at += 1
    return meta, at


def _skill(line: str, namespace: str) -> TaxonomySkill | str:
    """The skill on one line, or why it was refused."""
    try:
        row = next(csv.reader(io.StringIO(line)))
    except csv.Error as error:
        return f"not a CSV row: {error}"
    if len(row) != len(HEADER):
        return f"expected {len(HEADER)} columns, found {len(row)}"
    uri, label, alts, description, broader, lean = (" ".join(value.split()) for value in row)
    if not uri.startswith(namespace) or len(uri) == len(namespace):
        return f"URI {uri[:80]!r} is not in the namespace {namespace}"
    if not label:
        return "empty label"
    if lean not in LEANS:
        return f"augment_lean must be augment, automate or empty, not {lean[:40]!r}"
    links = tuple(broader.split())
    if bad := [link for link in links if not ESCO_SKILL_URI.match(link)]:
        return f"not an ESCO skill URI in broader: {bad[0][:80]!r}"
    alternatives = tuple(dict.fromkeys(a.strip() for a in alts.split("|") if a.strip() and a.strip() != label))
    return TaxonomySkill(uri, label, alternatives, description, broader=links, augment_lean=LEANS[lean])


def missing_links(skills: Iterable[TaxonomySkill], known_uris: Collection[str]) -> dict[str, tuple[str, ...]]:
    """For each extension skill with broader links the taxonomy does not hold, those links."""
    return {
        skill.uri: missing
        for skill in skills
        if (missing := tuple(link for link in skill.broader if link not in known_uris))
    }
