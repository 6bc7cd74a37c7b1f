"""Reading what Tandem wrote to the outbox folder (no SMTP host in tests), like a person reading their mail."""

from __future__ import annotations

import re

from webapp.mail import mailbox

CHECKIN_LINK = re.compile(r"http://\S+/checkin/([A-Za-z0-9_\-]+)")


def messages(to: str | None = None) -> list[mailbox.OutboxMessage]:
    found = list(reversed(mailbox.outbox(limit=10_000)))  # oldest first
    return [m for m in found if to is None or m.to == to]


def checkin_tokens(subject_part: str = "") -> dict[str, str]:
    """Each recipient's check-in token, from the newest check-in messages."""
    tokens = {}
    for message in messages():
        if (match := CHECKIN_LINK.search(message.body)) and subject_part in message.subject:
            tokens[message.to] = match.group(1)
    return tokens


def clear() -> None:
    for path in (mailbox.mail_dir() / "outbox").glob("*.eml"):
        path.unlink()


SIGN_UP_LINK = re.compile(r"http://\S+/signup/confirm/([A-Za-z0-9_\-]+)")


def sign_up_token(to: str) -> str | None:
    """The token of the newest sign-up confirmation link sent to `to`, if any."""
    tokens = [match.group(1) for message in messages(to) if (match := SIGN_UP_LINK.search(message.body))]
    return tokens[-1] if tokens else None


FOLLOWUP_LINK = re.compile(r"http://\S+/followup/([A-Za-z0-9_\-]+)")


def followup_tokens() -> dict[str, str]:
    """Each recipient's follow-up token, from the newest follow-up messages."""
    return {message.to: match.group(1) for message in messages() if (match := FOLLOWUP_LINK.search(message.body))}
