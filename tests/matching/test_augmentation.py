"""Augmentation focus: lexicon cues both ways, negation, other scripts, and reading by meaning."""

from __future__ import annotations

import pytest

from matching import augmentation
from matching.augmentation import (
    augmentation_focus,
    augmentation_focuses,
    need_lean,
    skill_augmentation_focus,
    text_augmentation,
)
from matching.embedder import FakeEmbedder
from matching.types import NeedDoc, ProfileDoc, SkillRef


def words_found(focus) -> list[str]:
    return [e.text.lower() for e in focus.evidence]


def test_coaching_and_pairing_read_as_augmentation():
    text = "I coach product teams, pair with engineers and run workshops so people keep humans in the loop."
    focus = text_augmentation(text, "bio")
    assert focus.score > 0.85
    assert {"coach", "pair with", "workshops", "humans in the loop"} <= set(words_found(focus))
    assert all(e.weight > 0 and e.source == "bio" and e.text in text for e in focus.evidence)


def test_replacing_people_reads_as_automation():
    text = (
        "We replace the call-centre agents with a fully automated bot: lights-out processing, "
        "no human intervention, and a 40% headcount reduction."
    )
    focus = text_augmentation(text, "ai_usage")
    assert focus.score < 0.1
    assert {
        "replace the call-centre agents",
        "fully automated",
        "lights-out",
        "no human intervention",
        "headcount",
    } <= set(words_found(focus))
    assert all(e.weight < 0 for e in focus.evidence)


def test_negated_automation_counts_for_augmentation():
    focus = text_augmentation("I help teams adopt AI without replacing anyone.", "bio")
    assert ("without replacing anyone", pytest.approx(0.8 * 0.6 * 1.2)) in [(e.text, e.weight) for e in focus.evidence]
    assert focus.score > 0.6
    assert text_augmentation("Instead of cutting staff, we redesign the work.", "bio").score > 0.6


def test_negated_augmentation_counts_for_nothing():
    focus = text_augmentation("This project is not about coaching.", "bio")
    assert focus.evidence == () and focus.score == 0.5
    mixed = text_augmentation("No mentoring needed; the bots take over the jobs.", "bio")
    assert "mentoring" not in " ".join(words_found(mixed))
    assert mixed.score < 0.5


def test_a_repeated_cue_counts_twice_at_most():
    assert len(text_augmentation("coaching coaching coaching coaching coaching", "bio").evidence) == 2


def test_where_cues_overlap_the_longest_wins():
    focus = text_augmentation("Robotic process automation for invoices.", "bio")
    assert words_found(focus) == ["robotic process automation"]
    review = text_augmentation("Replies go out without human review.", "bio")  # not a negated "human review"
    assert [(e.text, e.weight) for e in review.evidence] == [("without human review", pytest.approx(-1.0 * 0.8))]


def test_score_is_the_squashed_sum_of_weights():
    focus = text_augmentation("I mentor analysts.", "headline")
    assert focus.score == pytest.approx(0.5 + 0.5 * __import__("math").tanh(1.0 / 2), abs=1e-4)


OTHER_SCRIPTS = [
    "Робот заменяет людей на складе.",
    "我们帮助团队学习人工智能。",
    "نحن نساعد الفرق على التعلم",
    "🤖🤝👩‍💻",
]


@pytest.mark.parametrize("text", ["", "   ", "a" * 5000, *OTHER_SCRIPTS])
def test_empty_text_and_other_scripts_stay_near_neutral(text):
    assert text_augmentation(text, "bio").score == 0.5
    assert abs(text_augmentation(text, "bio", FakeEmbedder(384)).score - 0.5) <= 0.1


def test_profile_focus_collects_evidence_from_every_field():
    profile = ProfileDoc(
        1,
        headline="AI coach for finance teams",
        bio="I set up copilots.",
        ai_usage="Human review of every output.",
        skills=(SkillRef("change management"), SkillRef("Python")),
    )
    focus = augmentation_focus(profile)
    assert {e.source for e in focus.evidence} == {"headline", "bio", "ai_usage", "skill"}
    assert ("skill", "change management") in [(e.source, e.text) for e in focus.evidence]
    assert focus.score > 0.9
    assert augmentation_focus(profile) == focus  # deterministic


def test_skill_names_alone_have_a_focus():
    assert skill_augmentation_focus("coaching") > 0.7
    assert skill_augmentation_focus("robotic process automation") < 0.4
    assert skill_augmentation_focus("Python") == 0.5


def test_meaning_reader_adds_evidence_for_sentences_the_lexicon_missed():
    embedder = FakeEmbedder(384)
    prototype = augmentation.AUTOMATE_PROTOTYPES[7]  # "Machines now do the work that people used to be paid for."
    assert text_augmentation(prototype, "bio").evidence == ()  # no cue word in it
    focus = text_augmentation(prototype + " I mentor analysts.", "bio", embedder)
    meaning = [e for e in focus.evidence if e.text == prototype]
    assert len(meaning) == 1 and meaning[0].weight < 0
    assert [e.text for e in focus.evidence if e.weight > 0] == ["mentor"]  # the cue sentence is not re-read


def test_many_profiles_read_together_as_each_alone_in_one_encode_call():
    class CountingEmbedder(FakeEmbedder):
        calls = 0

        def encode(self, texts):
            CountingEmbedder.calls += 1
            return super().encode(texts)

    embedder = CountingEmbedder(384)
    augmentation._prototype_vectors(embedder)  # the prototypes are encoded once per process, before
    profiles = [
        ProfileDoc(id=1, headline="Analyst", bio=augmentation.AUTOMATE_PROTOTYPES[7] + " I mentor analysts."),
        ProfileDoc(id=2, headline="Coach", ai_usage="Quarterly revenue grew in Lisbon and Porto despite the weather."),
        ProfileDoc(id=3, headline="Automation engineer", skills=(SkillRef("robotic process automation"),)),
    ]
    CountingEmbedder.calls = 0
    together = augmentation_focuses(profiles, embedder)
    assert CountingEmbedder.calls == 1
    assert together == [augmentation_focus(profile, embedder) for profile in profiles]
    assert augmentation_focuses([], embedder) == []


def test_meaning_reader_ignores_sentences_far_from_every_prototype():
    focus = text_augmentation(
        "Quarterly revenue grew in Lisbon and Porto despite the weather.", "bio", FakeEmbedder(384)
    )
    assert focus.evidence == ()


# Written after the prototypes and thresholds were fixed, in words the lexicon does not know.
HELD_OUT_AUGMENT = [
    "I sit in on your underwriters' reviews and show them where the model's hints are worth trusting.",
    "Every reply the tool suggests is read and edited by a support rep before it is sent.",
    "Within two months your surveyors will calibrate the scanners themselves.",
    "Your teachers stay in charge of marking; the software just flags essays worth a second look.",
]
HELD_OUT_AUTOMATE = [
    "From next spring, no clerk will handle a single expense claim: the software books them all.",
    "The packing line now runs through the night with the lights off and nobody on the floor.",
    "We phased out the translators; the engine now localises every page unaided.",
    "Loan applications are approved or declined by the model alone, with no officer involved.",
]


@pytest.mark.model
def test_real_model_reads_held_out_phrasing_the_right_way():
    """Measured: 3 of 8 read right, the rest left at 0.5, none wrong. With the earlier thresholds
    (0.30 / 0.08) it read 6 of 8; the thresholds now come from cross-validation on 300 sentences,
    which favours leaving a sentence alone over reading it the wrong way (see augmentation.py).
    These 8 were not among them."""
    from matching.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    right = 0
    for sign, texts in ((1, HELD_OUT_AUGMENT), (-1, HELD_OUT_AUTOMATE)):
        for text in texts:
            lean = (text_augmentation(text, "bio", embedder).score - 0.5) * sign
            assert lean >= 0, f"read the wrong way: {text}"
            right += lean > 0
    assert right >= 3
    assert all(text_augmentation(text, "bio", embedder).score == 0.5 for text in OTHER_SCRIPTS)


# --- reading people, not words (written before the reader was changed for them) ------------


def test_automation_as_a_topic_beside_upskilling_is_not_automating_people_away():
    focus = text_augmentation("Automation and upskilling for the claims team.", "description")
    assert focus.score > 0.6
    assert all(e.weight > 0 for e in focus.evidence)


def test_automating_tasks_so_people_can_do_better_work_reads_as_augmentation():
    focus = text_augmentation(
        "Automate the monthly reports so analysts can spend their time with clients.", "description"
    )
    assert focus.score > 0.55
    assert not [e for e in focus.evidence if e.weight < 0]


def test_working_together_and_handing_over_read_as_augmentation():
    for text in (
        "We write the tests together, and by the end the team owns the pipeline.",
        "After the handover your analysts run the models themselves.",
        "The adjusters review the model's suggestions and make the final call.",
    ):
        assert text_augmentation(text, "bio").score > 0.55, text


def test_contradictory_text_gives_a_middle_lean_with_both_pieces():
    focus = text_augmentation("Automate the reports, coach the team.", "description")
    assert 0.3 < focus.score < 0.7
    assert {e.weight > 0 for e in focus.evidence} == {True, False}


def test_a_skills_own_lean_is_evidence():
    profile = ProfileDoc(
        1, headline="Consultant", skills=(SkillRef("AI literacy training", "urn:x:lit"), SkillRef("bots", "urn:x:rpa"))
    )
    focus = augmentation_focus(profile, skill_leans={"urn:x:lit": 1.0, "urn:x:rpa": -1.0})
    by_text = {e.text: e.weight for e in focus.evidence if e.source == "skill"}
    assert by_text["AI literacy training"] > 0 and by_text["bots"] < 0


def test_a_needs_lean_is_read_from_its_title_description_and_learning_goals():
    need = NeedDoc(
        1,
        title="Claims copilot",
        description="Teach our adjusters to review the model's suggestions, not cut the team.",
        learning_goals="The adjusters can judge and correct the model's drafts on their own.",
    )
    lean = need_lean(need)
    assert lean.score > 0.7
    assert {"description", "learning_goals"} <= {e.source for e in lean.evidence}
    assert (
        need_lean(
            NeedDoc(2, title="Replace the call centre", description="A bot answers every call; we cut the agents.")
        ).score
        < 0.3
    )


@pytest.mark.parametrize(
    "text",
    ["We need a data warehouse in Snowflake by June.", "Καλύτερη ανάλυση δεδομένων για την ομάδα.", "x" * 10_000, ""],
)
def test_a_need_without_cues_stays_neutral(text):
    assert need_lean(NeedDoc(1, title="", description=text)).score == 0.5
    assert abs(need_lean(NeedDoc(1, title="", description=text), FakeEmbedder(384)).score - 0.5) <= 0.1


NEED_AUGMENT = [
    "Help our nurses use the triage assistant without giving up their own clinical judgement.",
    "By the end, our planners should be tuning the forecasting model themselves.",
    "We want the caseworkers to understand what the tool suggests and when to overrule it.",
]
NEED_AUTOMATE = [
    "Once this is live we no longer need the night shift in the warehouse.",
    "The goal is that no one touches supplier invoices again.",
    "Shrink the back office from twenty people to three.",
]


@pytest.mark.model
def test_real_model_reads_needs_written_the_way_leaders_write_them():
    from matching.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    for sign, texts in ((1, NEED_AUGMENT), (-1, NEED_AUTOMATE)):
        for text in texts:
            lean = (need_lean(NeedDoc(1, title="", description=text), embedder).score - 0.5) * sign
            assert lean > 0, f"read the wrong way or not at all: {text}"
    together = "We write the tests together, and by the end the team owns the pipeline."
    assert text_augmentation(together, "bio", embedder).score > 0.55
