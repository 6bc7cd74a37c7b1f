"""The front door: the landing page and each role's home."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from ..access import public
from ..models import Role

bp = Blueprint("home", __name__)

HOME_OF = {
    Role.LEADER: "needs.index",
    Role.FREELANCER: "profiles.needs_for_me",
    Role.PROGRAM_MANAGER: "programs.dashboard",
    Role.ADMIN: "programs.dashboard",
}


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_OF[current_user.role]))
    return render_template("home/landing.html")
