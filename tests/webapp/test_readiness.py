"""/readyz: the database answers and this process's indexes are loaded with every committed
change applied; a cold model is loaded in the background, never inside the check."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, insert, select

from matching.embedder import FakeEmbedder
from tests import factories
from webapp.extensions import db
from webapp.models import IndexChange, ItemKind
from webapp.search import indexes, readiness


class ColdModel(FakeEmbedder):
    """Fake vectors behind a model that must be loaded first, like the real one."""

    def __init__(self) -> None:
        super().__init__(384)
        self.loaded = False
        self.release = threading.Event()

    def model(self):
        self.release.wait(10)  # the test decides when loading ends
        self.loaded = True

    def encode(self, texts):
        assert self.loaded, "encoded before the model was loaded"
        return super().encode(texts)


@pytest.fixture
def cold_model(app):
    model = ColdModel()
    app.config.update(TANDEM_EMBEDDER="cold", TANDEM_OCCUPATION_BRIDGE="off")
    state = app.extensions["tandem.search"]
    state.embedders[("cold", app.config["TANDEM_MODEL_PATH"])] = model
    yield model
    model.release.set()
    # The warm-up thread may still be reading the database: let it finish before the tables are emptied.
    if state.warming.acquire(timeout=30):
        state.warming.release()


def test_ready_when_indexes_are_loaded_and_current(client):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["index"] == {"profile": "ready", "need": "ready"}
    assert indexes.loaded(ItemKind.PROFILE) is not None and len(indexes.loaded(ItemKind.PROFILE).index) == 1


def test_readiness_tells_anonymous_callers_nothing_about_how_many_profiles_exist(client):
    for i in range(3):
        factories.ProfileFactory(headline=f"Coach {i}")
    db.session.commit()
    body = client.get("/readyz").get_data(as_text=True)
    assert "3" not in body and "items" not in body and "seq" not in body


def test_readiness_applies_changes_committed_by_other_processes(client):
    assert client.get("/readyz").status_code == 200
    before = indexes.loaded(ItemKind.PROFILE).applied_seq
    factories.ProfileFactory(headline="Joined through another worker")
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert len(indexes.loaded(ItemKind.PROFILE).index) == 1
    assert indexes.loaded(ItemKind.PROFILE).applied_seq > before


@pytest.mark.commits  # the warm-up thread embeds the profile on a connection of its own
def test_not_ready_while_the_model_loads_in_the_background(client, cold_model):
    factories.ProfileFactory(headline="Needs embedding first")
    db.session.commit()
    waiting = client.get("/readyz")
    assert not cold_model.loaded  # answered without waiting: loading cannot end before the test releases it
    assert waiting.status_code == 503 and waiting.json["database"] == "ok"
    assert waiting.json["index"]["profile"] == "loading"

    cold_model.release.set()
    for _ in range(100):
        ready = client.get("/readyz")
        if ready.status_code == 200:
            break
        time.sleep(0.1)
    assert ready.status_code == 200, ready.json
    assert ready.json["index"]["profile"] == "ready"


def test_a_change_to_an_item_that_is_gone_is_applied_and_the_index_reported_ready(app, client):
    assert client.get("/readyz").status_code == 200
    db.session.execute(insert(IndexChange), [{"kind": ItemKind.PROFILE, "item_id": 999_999}])
    db.session.commit()
    seq = db.session.scalar(select(func.max(IndexChange.seq)))
    response = client.get("/readyz")  # applied at once: nothing to embed
    assert response.status_code == 200, response.json
    assert response.json["index"] == {"profile": "ready", "need": "ready"}
    live = indexes.loaded(ItemKind.PROFILE)
    assert live.applied_seq == seq and 999_999 not in live.index
    assert readiness.pending_changes(ItemKind.PROFILE, live) == 0


@pytest.mark.commits  # preloading disposes of the engine's connections, as gunicorn's master must
def test_preloading_in_the_master_loads_once_and_leaves_no_thread_or_connection_to_fork(app):
    threads_before = threading.active_count()
    assert readiness.preload(app)
    assert threading.active_count() == threads_before  # a fork copies no running thread
    assert db.engine.pool.checkedout() == 0  # no connection is inherited by the workers
    state = app.extensions["tandem.search"]
    assert state.embedders  # the workers find the model already there


def test_with_torch_each_worker_loads_its_own_model(app):
    app.config["TANDEM_EMBEDDER"] = "sentence-transformers"
    assert not readiness.preload(app)
    assert not app.extensions["tandem.search"].embedders
