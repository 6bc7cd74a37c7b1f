"""A real SMTP server for tests (aiosmtpd on a free local port) that keeps what it receives."""

from __future__ import annotations

import logging
import socket
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    refuse_next: list[str] = field(default_factory=list)  # SMTP answers to give instead of accepting

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next:
            return self.refuse_next.pop(0)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(user: str | None = None, password: str | None = None):
    """Yields (inbox, port). With a user, the server requires that login (over plain text: tests only)."""
    inbox = Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == (
            user,
            password,
        )
        return AuthResult(success=ok)

    options = {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False} if user else {}
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line
    warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def smtp_config(port: int, **extra) -> dict:
    return {
        "TANDEM_SMTP_HOST": "127.0.0.1",
        "TANDEM_SMTP_PORT": port,
        "TANDEM_SMTP_STARTTLS": False,
        "TANDEM_SMTP_SSL": False,
        "TANDEM_MAIL_INLINE": True,
        "TANDEM_SMTP_BACKOFF_S": 0,
    } | extra
