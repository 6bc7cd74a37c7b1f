"""Free-text skills to taxonomy skills: exact names, meaning, confidence, and any input at all."""

from __future__ import annotations

from matching.skill_normaliser import (
    AUTO_CONFIDENCE,
    MAX_CHARS,
    PHRASES_A_CALL,
    SkillNormaliser,
    confidence,
    match_features,
)
from matching.skill_reader import MAX_PHRASES
from matching.skill_vectors import NameHit

from .conftest import AI, URI


def test_a_preferred_label_maps_with_certainty_however_it_is_typed(normaliser):
    result = normaliser.normalise("  sql server ")
    assert result.skill.uri == URI + "sqls" and result.confidence == 1.0
    assert result.candidates[0].via == "label"


def test_a_clean_alternative_label_maps_almost_as_surely(normaliser):
    result = normaliser.normalise("RAG")
    assert result.skill.uri == AI + "rag" and result.confidence == 0.98


def test_a_mention_close_to_one_skill_is_mapped_by_meaning(normaliser):
    result = normaliser.normalise("coaching staff")
    assert result.skill.uri == URI + "coach"
    assert result.confidence >= AUTO_CONFIDENCE
    assert result.candidates[0].via == "coach employees"
    assert normaliser.normalise("mentoring staff").candidates[0].via == "mentor staff"  # a hidden label


def test_a_mention_between_skills_is_kept_as_typed_with_suggestions(normaliser):
    result = normaliser.normalise("database work")
    assert result.skill is None and result.text == "database work"
    assert result.confidence < AUTO_CONFIDENCE
    assert {s.uri for s in result.suggestions[:3]} == {URI + "sql", URI + "sqls", URI + "pg"}


def test_many_texts_are_encoded_in_one_call_and_exact_ones_not_at_all(normaliser, embedder):
    embedder.calls.clear()
    results = normaliser.normalise_many(["SQL", "coaching staff", "database work", "C#"])
    assert [r.skill.uri if r.skill else None for r in results] == [URI + "sql", URI + "coach", None, URI + "cs"]
    assert embedder.calls == [["coaching staff", "database work"]]


def test_punctuation_that_names_things_is_kept(normaliser):
    assert [normaliser.normalise(t).skill.uri for t in ("C++", "c#", ".net")] == [URI + "cpp", URI + "cs", URI + "net"]


def test_any_input_gets_a_sensible_answer(normaliser, embedder):
    for text in ("", "   ", "\x00\x07", "🚀🔥✨", "----"):
        result = normaliser.normalise(text)
        assert result.skill is None and result.candidates == ()
    long = normaliser.normalise("data " * 1000)
    assert long.skill is None and len(long.text) <= MAX_CHARS
    for text in ("Ανάλυση δεδομένων", "机器学习", "تعلم الآلة", "Обработка данных"):
        result = normaliser.normalise(text)
        assert result.text == text and result.skill is None  # near nothing in an English taxonomy
    many = normaliser.normalise_many([f"skill {n}" for n in range(200)])
    assert len(many) == 200 and all(r.skill is None for r in many)


def test_without_vectors_only_exact_names_are_known(taxonomy):
    plain = SkillNormaliser(taxonomy)
    assert plain.normalise("SQL").skill.uri == URI + "sql"
    result = plain.normalise("coaching staff")
    assert result.skill is None and result.candidates == ()


def test_confidence_grows_with_closeness_and_with_the_lead_over_the_next_skill():
    def at(score, lead):
        return confidence({"score": score, "lead": lead})

    assert at(0.95, 0.2) > at(0.95, 0.0) > at(0.7, 0.0)
    assert at(0.3, 0.0) < 0.25 < AUTO_CONFIDENCE < at(1.0, 0.3)
    assert at(0.9, 0.0) < AUTO_CONFIDENCE  # close to two skills alike is not sure of either


def test_a_text_normalised_again_gets_the_same_answer_without_another_encode(normaliser, embedder):
    first = normaliser.normalise("coaching staff")
    embedder.calls.clear()
    assert normaliser.normalise("  coaching   staff ") == first
    assert normaliser.normalise_many(["database work", "coaching staff"])[1] == first
    assert embedder.calls == [["database work"]]


def test_forgetting_encodes_again_and_answers_alike(normaliser, embedder):
    first = normaliser.normalise("coaching staff")
    normaliser.forget()
    embedder.calls.clear()
    assert normaliser.normalise("coaching staff") == first
    assert embedder.calls == [["coaching staff"]]


def test_confidence_never_falls_as_the_lead_or_the_closeness_grows():
    steps = [n / 20 for n in range(21)]
    for agrees in (0.0, 1.0):
        by_lead = [confidence({"score": 0.8, "lead": lead, "label_agrees": agrees}) for lead in steps]
        by_score = [confidence({"score": score, "lead": 0.05, "label_agrees": agrees}) for score in steps]
        assert by_lead == sorted(by_lead) and by_lead[0] < by_lead[-1]
        assert by_score == sorted(by_score) and by_score[0] < by_score[-1]


def test_the_labels_agreeing_with_the_names_raises_the_confidence():
    # Skill 0 leads by a name; its preferred label is the nearest label too, or skill 1's is.
    agreeing = [NameHit(0, 0.82, "an alternative label", label_score=0.8), NameHit(1, 0.76, "b", label_score=0.76)]
    disagreeing = [NameHit(0, 0.82, "an alternative label", label_score=0.6), NameHit(1, 0.76, "b", label_score=0.76)]
    assert match_features("x", agreeing)["label_agrees"] == 1.0
    assert match_features("x", disagreeing)["label_agrees"] == 0.0
    assert match_features("x", disagreeing, 1)["label_agrees"] == 1.0
    assert confidence(match_features("x", agreeing)) > confidence(match_features("x", disagreeing))


def test_a_search_reports_the_cosine_of_each_skills_preferred_label(normaliser, vectors, embedder):
    hits = vectors.search(embedder.encode(["mentoring staff"]), 3)[0]
    coach = next(hit for hit in hits if hit.name == "mentor staff")  # the hidden label won
    label_cosine = float(embedder.encode(["mentoring staff"])[0] @ embedder.encode(["coach employees"])[0])
    assert abs(coach.label_score - label_cosine) < 0.02  # the index keeps 8-bit vectors


def test_a_sentence_is_ranked_by_its_phrases_and_by_its_whole_meaning_in_turn(normaliser):
    plainly_coaching = "Build RAG pipelines and help our whole team grow"
    ranked = normaliser.rank([plainly_coaching])[0]
    assert [c.skill.uri for c in ranked[:2]] == [URI + "coach", AI + "rag"]  # a sure whole meaning leads
    assert ranked[1].words.lower() in {"rag", "build rag pipelines"}
    assert normaliser.normalise(plainly_coaching).skill.uri == URI + "coach"

    less_surely = "We want someone to build RAG pipelines for us and then to help our whole team grow with confidence"
    ranked = normaliser.rank([less_surely])[0]
    assert [c.skill.uri for c in ranked[:2]] == [AI + "rag", URI + "coach"]
    assert len({c.skill.uri for c in ranked}) == len(ranked)
    result = normaliser.normalise(less_surely)
    assert result.skill is None and result.candidates[0].skill.uri == AI + "rag"  # a phrase's skill is suggested


def test_a_short_mention_is_ranked_by_its_whole_meaning_only(normaliser, embedder):
    embedder.calls.clear()
    assert normaliser.rank(["coaching staff"])[0][0].skill.uri == URI + "coach"
    assert embedder.calls == [["coaching staff"]]


def test_the_phrases_read_in_one_call_are_bounded_and_the_other_sentences_ranked_whole(taxonomy, vectors, embedder):
    normaliser = SkillNormaliser(taxonomy, vectors, embedder, phrase_budget=PHRASES_A_CALL)  # as the web app's
    sentences = [f"we want people who build RAG pipelines for team {n} and coach them well" for n in range(60)]
    embedder.calls.clear()
    ranked = normaliser.rank(sentences)
    encoded = [text for call in embedder.calls for text in call]
    assert len(encoded) <= len(sentences) + PHRASES_A_CALL + MAX_PHRASES  # the wholes, then phrases until the budget
    assert len(ranked) == 60 and all(ranked)
    assert ranked[0][0].words and not ranked[-1][0].words  # the first read by its phrases, the last whole


def test_a_file_of_many_sentences_is_read_phrase_by_phrase_to_the_last(normaliser):
    # The evaluation's normaliser (and any without a phrase budget) reads every sentence it is
    # given in one call: a file of sentences must not lose its phrases after the first few.
    sentences = [f"we want people who build RAG pipelines for team {n} and coach them well" for n in range(60)]
    ranked = normaliser.rank(sentences)
    assert all(r[0].words for r in ranked)
