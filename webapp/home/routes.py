"""The front door: the landing page, each role's home and the site icon."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user

from matching import (
    CALIBRATION,
    MIN_ENGAGEMENTS,
    PARTIAL_SCORE,
    PRIOR_STRENGTH,
    STRONG_SCORE,
    Weights,
    augmentation_factor,
)

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
    """The landing page, or the signed-in role's own home."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME_OF[current_user.role]))
    return render_template("home/landing.html")


@bp.route("/favicon.ico")
@public
def favicon():
    """Browsers ask for /favicon.ico before reading any page, so it is served at that address."""
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86_400
    )


@bp.route("/help/scores")
@public
def scores_help():
    """What a score and its label mean, and the evidence behind them."""
    weights = Weights()
    return render_template(
        "home/scores_help.html",
        calibration=CALIBRATION,
        partial=PARTIAL_SCORE,
        strong=STRONG_SCORE,
        augmentation_moves=augmentation_factor(1.0, weights.augmentation) - 1,
        fit_takes=weights.fit,
        record_moves=weights.record,
        prior_strength=f"{PRIOR_STRENGTH:g}",
        min_engagements=MIN_ENGAGEMENTS,
        newcomer_floor=current_app.config.get("TANDEM_NEWCOMER_FLOOR"),
    )
