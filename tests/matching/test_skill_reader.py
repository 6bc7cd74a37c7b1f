"""Skills read from prose: candidate phrases, one skill a phrase, the words quoted."""

from __future__ import annotations

from matching.skill_reader import LIMIT, MAX_PHRASES, SkillReader, candidate_phrases

from .conftest import AI, URI


def test_phrases_come_from_clauses_and_runs_of_content_words():
    phrases = candidate_phrases("We need someone to build RAG pipelines, and to teach our analysts.")
    assert "build RAG pipelines" in phrases and "RAG" in phrases and "teach our analysts" in phrases
    assert "We" not in phrases and "need" not in phrases and "to" not in phrases


def test_a_long_text_gives_a_bounded_number_of_phrases():
    assert len(candidate_phrases("coach the team on SQL and machine learning. " * 100)) <= MAX_PHRASES
    assert candidate_phrases("") == [] and candidate_phrases("🚀 — !!") == []


def test_suggestions_quote_the_words_they_came_from(normaliser):
    text = "Our adjusters need help. Build RAG pipelines with us, and teach our analysts; SQL databases too."
    suggestions = SkillReader(normaliser).read(text)
    by_uri = {s.skill.uri: s for s in suggestions}
    assert by_uri[AI + "rag"].words.lower() in {"rag", "build rag pipelines"}
    assert by_uri[URI + "sql"].words.lower() in {"sql", "sql databases"}
    assert AI + "lit" in by_uri  # "teach our analysts"
    assert len(suggestions) <= LIMIT
    assert all(s.score >= 0.5 for s in suggestions)


def test_skills_already_chosen_are_not_suggested_again(normaliser):
    suggestions = SkillReader(normaliser).read("SQL databases and RAG", exclude={URI + "sql"})
    assert URI + "sql" not in {s.skill.uri for s in suggestions}


def test_text_about_nothing_suggests_nothing(normaliser):
    assert SkillReader(normaliser).read("The weather was lovely on Tuesday afternoon.") == []
