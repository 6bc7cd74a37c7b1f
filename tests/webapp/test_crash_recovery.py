"""Data lives in the database; indexes are derived. A Tandem process SIGKILLed in the middle of
`flask index rebuild` or of a profile update loses nothing, and the next process ranks exactly
as the text in the database says (real processes, killed at the worst moments)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys

import numpy as np
import pytest
from sqlalchemy import select

from matching.documents import encode_needs, encode_profiles
from matching.embedder import FakeEmbedder
from matching.index import VectorIndex
from tests import factories
from webapp.extensions import db
from webapp.models import FreelancerProfile, ItemKind
from webapp.search.docs import need_doc, profile_doc
from webapp.search.indexes import rankable_ids
from webapp.search.kinds import load_needs, load_profiles

from .processes import ROOT, tandem_env, wait_until

# The killed processes read and write the database on their own connections.
pytestmark = [pytest.mark.slow, pytest.mark.commits]
WORDS = (
    "data",
    "pairing",
    "analytics",
    "coaching",
    "prompt",
    "workshop",
    "python",
    "finance",
    "support",
    "forecasting",
    "agents",
    "review",
    "design",
    "research",
    "sales",
    "operations",
    "teaching",
    "ethics",
)


def add_profiles(count: int, rng: random.Random, start: int = 0) -> None:
    for number in range(start, start + count):
        words = rng.sample(WORDS, 4)
        factories.ProfileFactory(
            headline=f"{words[0]} {words[1]} {words[2]} coach no. {number}", skill_labels=(words[2], words[3])
        )
    db.session.commit()


def add_need() -> int:
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org)
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Pairing and coaching for data analytics",
        skill_labels=("analytics",),
    )
    db.session.commit()
    return need.id


def exact_top(need_id: int, k: int) -> list[int]:
    """What any correct index answers: cosine over vectors embedded now from the stored text."""
    db.session.expire_all()
    ids = rankable_ids(ItemKind.PROFILE)
    profiles = load_profiles(ids)
    model = FakeEmbedder(384)
    vectors = encode_profiles([profile_doc(profiles[i]) for i in ids], model)
    query = encode_needs([need_doc(load_needs([need_id])[need_id])], model)[0]
    return [ids[row] for row in np.argsort(-(vectors @ query), kind="stable")[:k]]


class Tandem:
    """Runs the crashing driver against the test's database and index folder."""

    def __init__(self, database_url: str, tmp_path) -> None:
        self.env = tandem_env(database_url, tmp_path / "index")
        self.index_dir = tmp_path / "index"
        self.marker = tmp_path / "paused"

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tests.webapp.crashing", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def kill_at(self, pause: str, *args: str) -> None:
        """Starts the driver, waits for it to reach `pause`, and SIGKILLs it there."""
        self.marker.unlink(missing_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.webapp.crashing", *args, "--pause-at", pause, "--marker", str(self.marker)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_until(lambda: self.marker.exists() or process.poll() is not None, 90, f"the pause at {pause}")
            assert process.poll() is None, process.communicate()[1]
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        assert process.returncode == -signal.SIGKILL

    def rank(self, need_id: int, k: int) -> dict:
        return json.loads(self.run("rank", str(need_id), str(k)).strip().splitlines()[-1])


def snapshot() -> list[tuple]:
    db.session.expire_all()
    return [
        (p.id, p.headline, tuple(sorted(s.label for s in p.skills)))
        for p in db.session.scalars(select(FreelancerProfile).order_by(FreelancerProfile.id))
    ]


def saved_manifest_seq(index_dir) -> int:
    return VectorIndex.load(index_dir / "profile")[1]["change_seq"]


def test_rebuild_killed_while_embedding_or_saving_loses_nothing(app, tmp_path, database_url):
    rng = random.Random(6)
    need_id = add_need()
    add_profiles(120, rng)
    tandem = Tandem(database_url, tmp_path)
    tandem.run("rebuild")
    first_seq = saved_manifest_seq(tandem.index_dir)
    add_profiles(600, rng, start=120)  # three batches of fresh text to embed
    for profile in db.session.scalars(select(FreelancerProfile).limit(10)):
        profile.headline = f"forecasting finance review coach, edited {profile.id}"
    db.session.commit()
    before = snapshot()

    tandem.kill_at("embedding", "rebuild")
    assert snapshot() == before
    assert saved_manifest_seq(tandem.index_dir) == first_seq  # the old files are still the saved ones

    tandem.kill_at("manifest", "rebuild")  # everything embedded, new files half in place
    assert snapshot() == before
    assert saved_manifest_seq(tandem.index_dir) == first_seq

    answer = tandem.rank(need_id, 20)
    assert answer["count"] == len(before)
    assert [item_id for item_id, _ in answer["hits"]] == exact_top(need_id, 20)


def test_profile_update_killed_before_or_after_commit_is_all_or_nothing(app, tmp_path, database_url):
    rng = random.Random(7)
    need_id = add_need()
    add_profiles(40, rng)
    tandem = Tandem(database_url, tmp_path)
    tandem.run("rebuild")
    target = db.session.scalars(select(FreelancerProfile).order_by(FreelancerProfile.id.desc())).first()
    before = snapshot()
    new_headline = "Pairing and coaching for data analytics teams"

    tandem.kill_at("commit", "save-profile", str(target.id), new_headline, "analytics", "coaching")
    assert snapshot() == before  # not half-written: old headline, old skills
    assert [item_id for item_id, _ in tandem.rank(need_id, 10)["hits"]] == exact_top(need_id, 10)

    tandem.kill_at("indexing", "save-profile", str(target.id), new_headline, "analytics", "coaching")
    after = {row[0]: row[1:] for row in snapshot()}
    assert after[target.id] == (new_headline, ("analytics", "coaching"))
    answer = tandem.rank(need_id, 10)  # a new process: catches up from the saved index
    assert answer["hits"][0][0] == target.id
    assert [item_id for item_id, _ in answer["hits"]] == exact_top(need_id, 10)
