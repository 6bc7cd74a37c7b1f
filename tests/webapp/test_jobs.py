"""Background jobs: on the RQ queue with REDIS_URL (run by `flask jobs worker`), in-process without."""

from __future__ import annotations

import secrets
import threading

import pytest

from tests import factories
from webapp import jobs
from webapp.extensions import db

REDIS = "redis://127.0.0.1:6379/0"


def saved_profile_index(app) -> bool:
    from pathlib import Path

    return (Path(app.config["TANDEM_INDEX_DIR"]) / "profile" / "manifest.json").exists()


@pytest.mark.commits  # the job's thread reads the profile on a connection of its own
def test_without_redis_a_job_runs_in_a_thread_of_this_process(app):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    where = jobs.enqueue("rebuild-indexes")
    assert where.startswith("thread:")
    job = next(t for t in threading.enumerate() if t.name == where.removeprefix("thread:"))
    job.join(20)
    assert not job.is_alive() and saved_profile_index(app)


def test_enqueue_without_redis_runs_in_the_foreground(app, runner):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    result = runner.invoke(args=["jobs", "enqueue", "reembed"])
    assert result.exit_code == 0 and "'profile': 1" in result.output, result.output


@pytest.fixture
def queue(app, monkeypatch):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS).ping()
    except RedisDown:
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setattr(jobs, "QUEUE", f"tandem-test-{secrets.token_hex(4)}")  # the server is shared
    app.config["REDIS_URL"] = REDIS
    yield jobs._queue()
    jobs._queue().empty()
    jobs._queue().delete(delete_jobs=True)


def test_with_redis_the_worker_runs_queued_jobs(app, runner, queue):
    factories.ProfileFactory(headline="Data coach")
    db.session.commit()
    queued = runner.invoke(args=["jobs", "enqueue", "rebuild-indexes"])
    assert queued.exit_code == 0 and "Queued rebuild-indexes as rq:" in queued.output
    assert queue.count == 1 and not saved_profile_index(app)
    worked = runner.invoke(args=["jobs", "worker", "--burst"])
    assert worked.exit_code == 0, worked.output
    assert queue.count == 0 and saved_profile_index(app)


def test_the_worker_needs_redis(app, runner):
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output
