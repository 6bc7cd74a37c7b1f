"""Composing Tandem's e-mails: a plain-text body from templates/mail/, absolute links built from
TANDEM_BASE_URL (never from the request's Host header, which a client chooses), and the
organisation the message belongs to, which the admin outbox page filters on."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template

from ..models import utcnow

KIND_HEADER = "X-Tandem-Kind"
ORGANISATION_HEADER = "X-Tandem-Organisation"
INTERNAL_HEADERS = (KIND_HEADER, ORGANISATION_HEADER)  # removed before a message goes out


@dataclass(frozen=True)
class Letter:
    kind: str  # names templates/mail/<kind>.txt
    to: str
    subject: str
    organisation_id: int | None = None


def absolute_url(endpoint: str, **values) -> str:
    """A link for an e-mail: the route's path under TANDEM_BASE_URL."""
    base = urlsplit(current_app.config["TANDEM_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def compose(letter: Letter, **context) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["TANDEM_MAIL_FROM"]
    message["To"] = letter.to
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="tandem")
    message[KIND_HEADER] = letter.kind
    if letter.organisation_id is not None:
        message[ORGANISATION_HEADER] = str(letter.organisation_id)
    message.set_content(render_template(f"mail/{letter.kind}.txt", **context))
    return message


def masked_address(address: str) -> str:
    """For logs: enough to tell messages apart, not the whole address."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"
