"""Background jobs: bulk re-embedding, index rebuilds and e-mail delivery.

With REDIS_URL set they go on an RQ queue in Redis and `flask jobs worker` runs them, on any
machine that shares the database (and, for rebuilt index files, TANDEM_INDEX_DIR). Without it
they run in a thread of the process that asked: one machine needs no queue."""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask, current_app, has_app_context
from flask.cli import AppGroup
from redis import Redis
from rq import Queue, SimpleWorker

from . import create_app
from .extensions import db
from .mail import deliver_pending
from .models import ItemKind
from .search.indexes import build_fresh, rankable_ids
from .search.vectors import ensure_embeddings

log = logging.getLogger(__name__)
QUEUE = "tandem"
JOB_TIMEOUT_S = 6 * 3600
jobs_cli = AppGroup("jobs", help="Background jobs (an RQ queue with REDIS_URL, else in-process).")


def rebuild_indexes() -> dict:
    """Embeds what is stale, then builds, saves and swaps in fresh index files."""
    return {kind.value: len(build_fresh(kind).index) for kind in (ItemKind.PROFILE, ItemKind.NEED)}


def reembed_all() -> dict:
    """Embeds every rankable need and profile whose text or model changed (after a model change)."""
    return {kind.value: ensure_embeddings(kind, rankable_ids(kind)) for kind in ItemKind}


def deliver_mail() -> dict:
    """Sends the queued e-mails that are due (see webapp/mail/mailbox.py)."""
    return deliver_pending()


JOBS = {"rebuild-indexes": rebuild_indexes, "reembed": reembed_all, "deliver-mail": deliver_mail}


def run_job(name: str) -> dict:
    """What the worker calls: the job, inside an app context (the worker's own, or a new one)."""
    if has_app_context():
        return JOBS[name]()
    with create_app().app_context():
        return JOBS[name]()


def _queue():
    return Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def enqueue(name: str) -> str:
    """Queues job `name`; returns where it went (an RQ job id, or the local thread's name)."""
    if name not in JOBS:
        raise KeyError(name)
    if current_app.config.get("REDIS_URL"):
        job = _queue().enqueue_call(
            "webapp.jobs.run_job", args=(name,), timeout=JOB_TIMEOUT_S, description=f"tandem {name}"
        )
        return f"rq:{job.id}"
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's own way to the app
    thread = threading.Thread(target=_run_here, args=(app, name), name=f"tandem-job-{name}", daemon=True)
    thread.start()
    return f"thread:{thread.name}"


def _run_here(app: Flask, name: str) -> None:
    with app.app_context():
        try:
            log.info("job %s done: %s", name, JOBS[name]())
        except Exception:
            log.exception("job %s failed", name)
        finally:
            db.session.remove()


@jobs_cli.command("enqueue")
@click.argument("name", type=click.Choice(sorted(JOBS)))
def enqueue_command(name: str) -> None:
    """Queue a job for the worker (or run it here, in the foreground, without REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        click.echo(f"No REDIS_URL: running {name} here. {JOBS[name]()}")
        return
    click.echo(f"Queued {name} as {enqueue(name)}.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run queued jobs (needs REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: jobs run in the process that asks for them.")
    queue = _queue()
    # SimpleWorker runs jobs in this process instead of a fork per job, so the model loaded by
    # one job stays loaded for the next.
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)
