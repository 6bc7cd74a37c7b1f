"""The front door: the landing page and each role's home."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from ..access import public, roles
from ..models import Role
from . import services

bp = Blueprint("home", __name__)

HOME_OF = {
    Role.LEADER: "needs.index",
    Role.FREELANCER: "profiles.needs_for_me",
    Role.PROGRAM_MANAGER: "home.program",
    Role.ADMIN: "home.program",
}


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_OF[current_user.role]))
    return render_template("home/landing.html")


@bp.route("/program")
@roles(Role.PROGRAM_MANAGER, Role.ADMIN)
def program():
    return render_template(
        "home/program.html", engagements=services.engagements_of_organisation(current_user)
    )
