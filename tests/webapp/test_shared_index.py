"""The saved index is shared by every process of a machine: each maps the file read-only, keeps
what changed since in a delta, maps a newer file once another process writes one, and never
builds what another process is already building."""

from __future__ import annotations

import logging
import threading

import pytest

from matching import VectorIndex
from tests import factories
from webapp.extensions import db
from webapp.models import ItemKind
from webapp.search import index_files, indexes

PROFILE = ItemKind.PROFILE


def saved_files(app) -> list[str]:
    with app.app_context():
        return sorted(path.name for path in index_files.index_path(PROFILE).glob("index-*.faiss"))


def another_process() -> None:
    """What a fresh worker starts from: nothing in memory, the files on disk."""
    indexes.forget_all()


def test_a_worker_maps_the_saved_file_and_keeps_changes_in_its_delta(app):
    first = factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    indexes.build_fresh(PROFILE)
    another_process()
    index = indexes.live_index(PROFILE)
    assert index.mapped and first.id in index

    second = factories.ProfileFactory(headline="Forecasting mentor")
    db.session.commit()
    index = indexes.live_index(PROFILE)
    assert second.id in index and index.unmerged_rows == 1
    assert index.search(index.vector(second.id), 1)[0][0] == second.id


def test_with_mapping_off_each_worker_loads_its_own_copy(app):
    app.config["TANDEM_INDEX_MAPPED"] = False
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    indexes.build_fresh(PROFILE)
    another_process()
    assert not indexes.live_index(PROFILE).mapped


@pytest.mark.commits  # other threads read the database through their own connections
def test_a_delta_past_the_merge_size_is_written_to_a_fresh_file_that_every_worker_maps(app):
    app.config["TANDEM_INDEX_MERGE_ROWS"] = 2
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    indexes.build_fresh(PROFILE)
    before = saved_files(app)
    for headline in ("Forecasting mentor", "Prompt design trainer"):
        factories.ProfileFactory(headline=headline)
        db.session.commit()
        indexes.live_index(PROFILE)
    state = app.extensions["tandem.search"]
    assert state.merging.acquire(timeout=30)  # the background merge has finished
    state.merging.release()

    after = saved_files(app)
    assert after != before and len(after) == 1
    index = indexes.live_index(PROFILE)
    assert index.mapped and index.unmerged_rows == 0 and len(index) == 3


def test_a_file_written_by_another_process_is_mapped_on_the_next_query(app):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    indexes.build_fresh(PROFILE)
    serving = indexes.loaded(PROFILE)
    newcomer = factories.ProfileFactory(headline="Forecasting mentor")
    db.session.commit()
    with app.app_context():  # another process rebuilds the file
        indexes._build_and_save(PROFILE)
    index = indexes.live_index(PROFILE)
    assert index is not serving.index and index.unmerged_rows == 0 and newcomer.id in index


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "other model", "missing labels"])
def test_a_damaged_file_is_detected_logged_and_rebuilt_once_never_served(app, caplog, damage):
    coach = factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    indexes.build_fresh(PROFILE)
    with app.app_context():
        folder = index_files.index_path(PROFILE)
        data = next(folder.glob("index-*.faiss"))
        if damage == "truncated":
            data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
        elif damage == "corrupt":
            raw = bytearray(data.read_bytes())
            raw[len(raw) // 2] ^= 0xFF
            data.write_bytes(bytes(raw))
        elif damage == "other model":
            manifest = folder / "manifest.json"
            manifest.write_text(manifest.read_text().replace('"fake-', '"another-model-'))
        else:
            next(folder.glob("labels-*.npy")).unlink()
    built = []
    rebuild = indexes._build_and_save
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexes, "_build_and_save", lambda kind, **kw: built.append(kind) or rebuild(kind, **kw))
        with caplog.at_level(logging.WARNING, logger="webapp.search.indexes"):
            another_process()
            index = indexes.live_index(PROFILE)
            another_process()  # a second worker finds the repaired file
            again = indexes.live_index(PROFILE)
    assert built == [PROFILE]
    assert "unusable" in caplog.text
    assert coach.id in index and coach.id in again and again.mapped
    with app.app_context():
        VectorIndex.load(index_files.index_path(PROFILE))  # what is on disk now is sound


def test_while_another_process_builds_the_only_file_readiness_says_building_and_builds_nothing(app, client):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    held = threading.Event()
    release = threading.Event()

    def other_builder() -> None:  # another process holding the build lock (a second open file)
        with app.app_context(), index_files.build_lock(PROFILE):
            held.set()
            release.wait(30)

    builder = threading.Thread(target=other_builder)
    builder.start()
    try:
        assert held.wait(30)
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json["index"]["profile"] == "building"
        with app.app_context():
            assert not index_files.index_path(PROFILE).joinpath("manifest.json").exists()
    finally:
        release.set()
        builder.join(30)
    assert client.get("/readyz").status_code == 200


@pytest.mark.commits  # other threads read the database through their own connections
def test_two_rebuilds_started_at_once_write_one_file(app):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    built = []
    rebuild = indexes._build_and_save
    barrier = threading.Barrier(2)

    def rebuild_in_own_context() -> None:
        with app.app_context():
            barrier.wait(10)
            indexes.build_fresh(PROFILE)
            db.session.remove()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexes, "_build_and_save", lambda kind, **kw: built.append(kind) or rebuild(kind, **kw))
        threads = [threading.Thread(target=rebuild_in_own_context) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert built == [PROFILE]
    assert len(saved_files(app)) == 1


def test_a_file_ahead_of_the_database_is_rebuilt_not_served(app, caplog):
    coach = factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    indexes.build_fresh(PROFILE)
    with app.app_context():  # as after restoring an older backup of the database
        manifest = index_files.index_path(PROFILE) / "manifest.json"
        manifest.write_text(manifest.read_text().replace('"change_seq": ', '"change_seq": 1000'))
    another_process()
    with caplog.at_level(logging.WARNING, logger="webapp.search.indexes"):
        index = indexes.live_index(PROFILE)
    assert "ahead of the database" in caplog.text
    assert indexes.loaded(PROFILE).applied_seq == indexes.latest_seq() and coach.id in index
