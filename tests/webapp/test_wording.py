"""The record's sentence on a card: said when there is a record, left out when there is none."""

from __future__ import annotations

from matching import Match, TrackRecord, transfer_record
from webapp.wording import record_sentence


def card(record: TrackRecord) -> Match:
    return Match(id=1, score=0.5, parts={"relevance": 0.5, "record": 1.0}, record=record)


def test_a_newcomer_card_says_nothing_of_a_record_and_a_record_is_said_in_words():
    assert record_sentence(card(transfer_record([]))) == ""
    three = TrackRecord(engagements=3, score=0.7, spread=0.1, prior=0.5, kept=0.8)
    assert record_sentence(card(three)).startswith("Track record: 3 engagements")
