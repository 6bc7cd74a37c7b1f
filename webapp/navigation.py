"""The navigation each role sees."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from .models import Role

NAV = {
    Role.LEADER: [("needs.index", "Needs"), ("needs.new", "Post a need"), ("engagements.index", "Engagements"), ("programs.dashboard", "Outcomes"), ("search.index", "Search")],
    Role.FREELANCER: [("profiles.needs_for_me", "Needs for me"), ("profiles.my_invitations", "Invitations"), ("engagements.index", "Engagements"), ("profiles.show", "My profile"), ("search.index", "Search")],
    Role.PROGRAM_MANAGER: [("programs.dashboard", "Outcomes"), ("engagements.index", "Engagements")],
    Role.ADMIN: [("programs.dashboard", "Outcomes"), ("mail.show_outbox", "Outbox")],
}


def nav_links() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return NAV[current_user.role]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
