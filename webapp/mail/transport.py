"""Talking SMTP: one message at a time, with a few quick retries for the errors that pass.

Only the standard library: smtplib with STARTTLS or implicit TLS, and a login when a user is set.
Nothing here touches the database, so no transaction is ever held open while a server answers."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

RETRIES = 3  # tries within one delivery run; what still fails waits in the queue for the next run
BACKOFF_S = 0.5  # doubled after every failed try
TIMEOUT_S = 10


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    ssl: bool = False
    timeout: float = TIMEOUT_S


class Refused(Exception):
    """The server refused the message for good (a 5xx answer): trying again would not help."""


def _permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError)


def _send_once(message: EmailMessage, settings: SmtpSettings) -> None:
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.ssl:
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with server:
        if settings.starttls and not settings.ssl:
            server.starttls(context=context)
        if settings.user:
            server.login(settings.user, settings.password or "")
        server.send_message(message)


def send(
    message: EmailMessage,
    settings: SmtpSettings,
    *,
    retries: int = RETRIES,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Sends the message; returns how many tries it took. Raises Refused for a permanent refusal,
    or the last error once every try failed."""
    for attempt in range(1, retries + 1):
        try:
            _send_once(message, settings)
            return attempt
        except (smtplib.SMTPException, OSError) as error:
            if _permanent(error):
                raise Refused(str(error)) from error
            if attempt == retries:
                raise
            sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
