"""Each process's index follows the shared change sequence: changes of the other kind are
stepped over at once, never left as gaps that stall it."""

from __future__ import annotations

from tests import factories
from webapp.extensions import db
from webapp.models import ItemKind
from webapp.search import indexes


def test_a_need_change_moves_the_profile_index_to_the_latest_change(app):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org)
    need = factories.NeedFactory(organisation=org, created_by=leader)
    factories.ProfileFactory(headline="Data analytics coach")
    db.session.commit()
    indexes.live_index(ItemKind.PROFILE)

    need.title = "Coach the analysts on forecasting"
    db.session.commit()
    indexes.live_index(ItemKind.PROFILE)

    assert indexes.loaded(ItemKind.PROFILE).applied_seq == indexes.latest_seq()
    assert not indexes.loaded(ItemKind.PROFILE).seen_above


def test_a_cached_candidate_card_follows_the_profiles_changes(client, auth):
    org = factories.OrganisationFactory()
    factories.UserFactory(leader=True, organisation=org, email="lead@example.org")
    need = factories.NeedFactory(organisation=org, created_by=factories.UserFactory(leader=True, organisation=org))
    coach = factories.ProfileFactory(headline="Data analytics coach", hourly_rate=90)
    db.session.commit()
    auth.sign_in("lead@example.org")
    assert "Data analytics coach" in client.get(f"/needs/{need.id}/matches?max_rate=100").get_data(as_text=True)

    coach.hourly_rate = 150
    db.session.commit()
    assert "Data analytics coach" not in client.get(f"/needs/{need.id}/matches?max_rate=100").get_data(as_text=True)

    coach.user.is_active_account = False
    coach.hourly_rate = 50
    db.session.commit()
    assert "Data analytics coach" not in client.get(f"/needs/{need.id}/matches").get_data(as_text=True)


def test_a_read_that_overlapped_a_forget_is_not_kept():
    from matching.types import AugmentationFocus, ProfileDoc
    from webapp.models import Visibility
    from webapp.search.cards import CardCache, ProfileCard

    cache = CardCache(size=2)
    card = ProfileCard(ProfileDoc(1, "old", focus=AugmentationFocus(0.5)), Visibility.PUBLIC)
    _, generation = cache.get([1])
    cache.forget([1])
    cache.put({1: card}, generation)
    assert cache.get([1])[0] == {}
    _, generation = cache.get([1, 2, 3])
    cache.put(dict.fromkeys((1, 2, 3), card), generation)
    assert set(cache.get([1, 2, 3])[0]) == {2, 3}  # bounded: the oldest went first


def test_the_compressed_index_is_built_when_configured(app):
    app.config["TANDEM_INDEX_KIND"] = "hnsw_sq8"
    factories.ProfileFactory(headline="Data analytics coach")
    db.session.commit()
    assert indexes.live_index(ItemKind.PROFILE).backend == "hnsw_sq8"


def test_what_embedding_derives_records_no_second_change(app):
    profile = factories.ProfileFactory(headline="Data analytics coach", ai_usage="I pair with analysts on prompts")
    db.session.commit()
    seq = indexes.latest_seq()
    indexes.live_index(ItemKind.PROFILE)  # embeds it, storing its augmentation focus
    assert profile.augmentation_focus is not None
    assert indexes.latest_seq() == seq

    profile.headline = "Forecasting coach"
    db.session.commit()
    assert indexes.latest_seq() == seq + 1  # a change to the text itself is recorded
