"""/admin/outbox: the messages Tandem wrote instead of sending (no SMTP host configured), so that
on a demo or a developer's machine someone can still open the link a message carries."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from ..access import roles
from ..models import Role
from .mailbox import outbox, waiting

bp = Blueprint("mail", __name__, url_prefix="/admin")
_URL = re.compile(r"(https?://[^\s<>\"']+)")


def linked(text: str) -> list[tuple[str, bool]]:
    """The body cut into (text, is_link) pieces, so the template can make the links clickable."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(_URL.split(text)) if piece]


@bp.route("/outbox")
@roles(Role.ADMIN)
def show_outbox():
    """The messages written to the outbox (no SMTP host) that belong to the admin's organisation or to none."""
    # An admin reads their organisation's messages and those that belong to none (accounts).
    mine = [message for message in outbox() if message.organisation_id in (None, current_user.organisation_id)]
    return render_template(
        "mail/outbox.html",
        messages=mine,
        linked=linked,
        waiting=waiting(),
        smtp_host=current_app.config.get("TANDEM_SMTP_HOST"),
    )
