"""The navigation each role sees."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from .models import Role

NAV = {
    Role.LEADER: [("home.leader", "Needs")],
    Role.FREELANCER: [("home.freelancer", "My profile")],
    Role.PROGRAM_MANAGER: [("home.program", "Program")],
    Role.ADMIN: [("home.program", "Program")],
}


def nav_links() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return NAV[current_user.role]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
