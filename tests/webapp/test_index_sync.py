"""Each process's index follows the shared change sequence: changes of the other kind are
stepped over at once, never left as gaps that stall it."""
from __future__ import annotations

from tests import factories
from webapp.extensions import db
from webapp.models import ItemKind, Role
from webapp.search import indexes


def test_a_need_change_moves_the_profile_index_to_the_latest_change(app):
    org = factories.organisation()
    leader = factories.user(Role.LEADER, org)
    need = factories.need(org, leader)
    factories.freelancer(headline="Data analytics coach")
    db.session.commit()
    indexes.live_index(ItemKind.PROFILE)

    need.title = "Coach the analysts on forecasting"
    db.session.commit()
    indexes.live_index(ItemKind.PROFILE)

    assert indexes.loaded(ItemKind.PROFILE).applied_seq == indexes.latest_seq()
    assert not indexes.loaded(ItemKind.PROFILE).seen_above


def test_storing_a_profiles_augmentation_focus_records_no_change(app):
    profile = factories.freelancer(headline="Data analytics coach")
    db.session.commit()
    before = indexes.latest_seq()
    profile.augmentation_focus = 0.9
    profile.augmentation_evidence = [{"source": "bio", "text": "coach", "weight": 1.0}]
    db.session.commit()
    assert indexes.latest_seq() == before
    profile.weekly_hours = 12
    db.session.commit()
    assert indexes.latest_seq() > before
