"""`flask mail deliver|worker`: retry the queue by hand, or keep delivering (and reminding)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from ..engagements.checkins.mail import send_due_reminders
from ..engagements.followups.services import open_due_followups
from ..extensions import db
from .mailbox import deliver_pending, waiting

mail_cli = AppGroup("mail", help="Outgoing e-mail (queued under TANDEM_MAIL_DIR).")


@mail_cli.command("deliver")
def deliver() -> None:
    """Deliver every queued message that is due."""
    click.echo(f"{deliver_pending()}; now waiting: {waiting()}")


@mail_cli.command("worker")
@click.option("--every", default=60, show_default=True, help="Seconds between runs.")
@click.option("--once", is_flag=True, help="One run, then stop.")
def worker(every: int, once: bool) -> None:
    """Open follow-ups and send check-in reminders that are due, and deliver the queue, every few seconds."""
    while True:
        followups = open_due_followups()
        reminded = send_due_reminders()
        delivered = deliver_pending()
        db.session.remove()
        if once:
            click.echo(f"opened {followups} follow-ups; reminded {reminded} rounds; {delivered}")
            return
        time.sleep(every)
