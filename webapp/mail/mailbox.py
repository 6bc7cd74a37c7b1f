"""Where messages wait and where they end up, all under TANDEM_MAIL_DIR.

A use case commits first and posts its messages after: each is written to `queue/` (a temporary
file renamed into place, so a reader never sees half a message) and delivery starts. With an
SMTP host, delivery sends each queued message and deletes it once the server took it; a message
the server could not take stays queued, with its next try in its name, until a later run (one
after the next post, or `flask mail worker`) gets it through. Refused for good, it moves to
`failed/`. Without an SMTP host, delivery moves messages to `outbox/`, one .eml file each, which
admins read at /admin/outbox: what a demo on one machine uses instead of a mail server.

A delivery run claims a message by renaming it, so two runs (two threads, two processes sharing
the folder) never send the same one twice.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from flask import current_app

from . import transport
from .letters import INTERNAL_HEADERS, KIND_HEADER, ORGANISATION_HEADER, masked_address

log = logging.getLogger("tandem.mail")
MAX_TRIES = 12  # runs, each with transport.RETRIES quick tries; backoff caps at an hour: about half a day
CLAIM_STALE_S = 600  # a claim this old belonged to a run that died: the message is due again


def mail_dir() -> Path:
    return Path(current_app.config["TANDEM_MAIL_DIR"])


def _folder(name: str) -> Path:
    folder = mail_dir() / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def smtp_settings() -> transport.SmtpSettings | None:
    config = current_app.config
    if not config.get("TANDEM_SMTP_HOST"):
        return None
    return transport.SmtpSettings(
        host=config["TANDEM_SMTP_HOST"],
        port=config["TANDEM_SMTP_PORT"],
        user=config.get("TANDEM_SMTP_USER"),
        password=config.get("TANDEM_SMTP_PASSWORD"),
        starttls=config["TANDEM_SMTP_STARTTLS"],
        ssl=config["TANDEM_SMTP_SSL"],
    )


def _write(folder: Path, name: str, message: EmailMessage) -> Path:
    tmp = folder / f".{name}.tmp"
    tmp.write_bytes(message.as_bytes(policy=policy.SMTP))
    os.replace(tmp, folder / name)
    return folder / name


def _queue_name(due: float, tries: int, key: str) -> str:
    return f"{int(due):012d}-{tries:02d}-{key}.eml"


def post(messages: list[EmailMessage]) -> None:
    """Queues the messages and starts their delivery. Call it after the commit they report."""
    queue = _folder("queue")
    for message in messages:
        _write(queue, _queue_name(0, 0, uuid.uuid4().hex), message)
    deliver_soon()


def deliver_soon() -> None:
    """Without SMTP the outbox folder is written at once; with it, in the background (a job)."""
    if smtp_settings() is None or current_app.config.get("TANDEM_MAIL_INLINE"):
        deliver_pending()
        return
    from ..jobs import enqueue  # here, not at the top: the jobs module runs this one's deliveries (a cycle)

    enqueue("deliver-mail")


def _due(queue: Path, now: float) -> list[Path]:
    due = []
    for path in sorted(queue.glob("*.eml")):
        if int(path.name.split("-", 1)[0]) <= now:
            due.append(path)
    for path in queue.glob("*.sending"):
        if now - path.stat().st_mtime > CLAIM_STALE_S:
            due.append(path)
    return due


def _claim(path: Path) -> Path | None:
    claimed = path.with_name(f"{path.name.removesuffix('.sending')}.{uuid.uuid4().hex[:8]}.sending")
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None  # another run took it
    os.utime(claimed)
    return claimed


def deliver_pending(now: float | None = None) -> dict[str, int]:
    """Delivers every message that is due; returns how many were sent, kept for later and failed."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    settings = smtp_settings()
    for path in _due(_folder("queue"), now or time.time()):
        claimed = _claim(path)
        if claimed is not None:
            counts[_deliver(claimed, settings)] += 1
    return counts


def _tries_of(path: Path) -> int:
    return int(path.name.split("-")[1])


def _key_of(path: Path) -> str:
    return path.name.split("-")[2].split(".")[0]


def _deliver(claimed: Path, settings: transport.SmtpSettings | None) -> str:
    message = message_from_bytes(claimed.read_bytes(), policy=policy.default)
    kind = message.get(KIND_HEADER, "mail")
    if settings is None:
        _write(_folder("outbox"), f"{_stamp()}-{_key_of(claimed)}.eml", message)
        claimed.unlink()
        _log("written to the outbox", message, kind, tries=1)
        return "sent"
    for header in INTERNAL_HEADERS:
        del message[header]
    tries = _tries_of(claimed) + 1
    try:
        quick = transport.send(
            message, settings, backoff=current_app.config.get("TANDEM_SMTP_BACKOFF_S", transport.BACKOFF_S)
        )
    except transport.Refused as refusal:
        os.replace(claimed, _folder("failed") / f"{_stamp()}-{_key_of(claimed)}.eml")
        _log("refused", message, kind, tries=tries, level=logging.ERROR, error=str(refusal)[:200])
        return "failed"
    except Exception as error:  # whatever went wrong, the message must not be lost
        return _keep_for_later(claimed, message, kind, tries, error)
    claimed.unlink()
    _log("sent", message, kind, tries=tries, quick_tries=quick)
    return "sent"


def _keep_for_later(claimed: Path, message: EmailMessage, kind: str, tries: int, error: Exception) -> str:
    if tries >= MAX_TRIES:
        os.replace(claimed, _folder("failed") / f"{_stamp()}-{_key_of(claimed)}.eml")
        _log("given up", message, kind, tries=tries, level=logging.ERROR, error=type(error).__name__)
        return "failed"
    due = time.time() + min(3600, 60 * 2 ** (tries - 1))
    os.replace(claimed, claimed.parent / _queue_name(due, tries, _key_of(claimed)))
    _log("kept for a later try", message, kind, tries=tries, level=logging.WARNING, error=type(error).__name__)
    return "retry"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")


def _log(outcome: str, message: EmailMessage, kind: str, *, tries: int, level: int = logging.INFO, **extra) -> None:
    # One line per message: what it was and where it went, never its body (it can hold a link).
    fields = {
        "mail": kind,
        "to": masked_address(str(message.get("To", ""))),
        "tries": tries,
        "message_id": str(message.get("Message-ID", "")),
        **extra,
    }
    log.log(level, "mail %s", outcome, extra={"fields": fields})


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    subject: str
    to: str
    sent_at: datetime | None
    body: str
    organisation_id: int | None


def outbox(limit: int = 100) -> list[OutboxMessage]:
    """The newest messages written to the outbox folder."""
    names = sorted((path for path in _folder("outbox").glob("*.eml")), reverse=True)[:limit]
    return [_read_outbox(path) for path in names]


def _read_outbox(path: Path) -> OutboxMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    organisation = message.get(ORGANISATION_HEADER)
    date = message.get("Date")
    return OutboxMessage(
        name=path.name,
        subject=str(message.get("Subject", "")),
        to=str(message.get("To", "")),
        sent_at=parsedate_to_datetime(date) if date else None,
        body=body.get_content() if body else "",
        organisation_id=int(organisation) if organisation and organisation.isdigit() else None,
    )


def waiting() -> dict[str, int]:
    """How many messages wait in the queue and how many failed for good."""
    return {name: sum(1 for _ in _folder(name).glob("*.eml*")) for name in ("queue", "failed")}
