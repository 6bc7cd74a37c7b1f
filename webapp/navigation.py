"""The navigation each role sees, with counts of what is new or waiting beside some items."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from .home.news import menu_counts
from .models import Role

NAV = {
    Role.LEADER: [
        ("needs.index", "Needs"),
        ("needs.new", "Post a need"),
        ("engagements.index", "Engagements"),
        ("programs.dashboard", "Outcomes"),
        ("search.index", "Search"),
    ],
    Role.FREELANCER: [
        ("profiles.needs_for_me", "Needs for me"),
        ("profiles.my_invitations", "Invitations"),
        ("engagements.index", "Engagements"),
        ("profiles.show", "My profile"),
        ("search.index", "Search"),
    ],
    Role.PROGRAM_MANAGER: [
        ("programs.dashboard", "Outcomes"),
        ("engagements.index", "Engagements"),
        ("programs.exposure", "Exposure"),
    ],
    Role.ADMIN: [("programs.dashboard", "Outcomes"), ("programs.exposure", "Exposure"), ("mail.show_outbox", "Outbox")],
}
COUNT_WORDS = {"profiles.my_invitations": "waiting for your answer", "engagements.index": "with news for you"}


def nav_links() -> list[tuple[str, str, int, str]]:
    """(endpoint, label, count, what the count means) for the signed-in viewer."""
    if not current_user.is_authenticated:
        return []
    counts = menu_counts(current_user)
    return [
        (endpoint, label, counts.get(endpoint, 0), COUNT_WORDS.get(endpoint, ""))
        for endpoint, label in NAV[current_user.role]
    ]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
