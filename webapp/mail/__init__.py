"""E-mail: letters composed from templates, queued after the commit they report, delivered by
SMTP (or, with no SMTP host, written to an outbox folder that admins read). See mailbox.py."""

from .letters import Letter, absolute_url, compose
from .mailbox import deliver_pending, post

__all__ = ["Letter", "absolute_url", "compose", "deliver_pending", "post"]
