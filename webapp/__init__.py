"""Tandem's web app. `create_app()` reads like a table of contents."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

PACKAGE = Path(__file__).resolve().parent


def app_folder(name: str) -> Path:
    """templates/, static/ or migrations/: inside the package when installed from a wheel (setup.py
    copies them there), beside it in a checkout."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(app_folder("templates")),
        static_folder=str(app_folder("static")),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    # The app's parts are imported here, not at the top, as in Flask's tutorial: importing
    # `webapp` (or webapp.config) stays cheap, and webapp.jobs can import create_app.
    from . import config

    app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    app.config.from_mapping(overrides or {})
    # Chosen after the overrides: the options depend on which database was finally picked.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", config.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))

    from . import access, auth, errors, extensions, forms_common, health, htmx, logs, navigation, security, wording
    from .cli import register_cli
    from .search import changes as search_changes
    from .search import state as search_state

    logs.init_app(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(app_folder("migrations")))
    extensions.login_manager.init_app(app)
    extensions.csrf.init_app(app)
    extensions.htmx.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    access.init_app(app)
    htmx.init_app(app)
    errors.init_app(app)
    navigation.init_app(app)
    forms_common.init_app(app)
    wording.init_app(app)
    search_changes.install()
    search_state.init_app(app)
    register_blueprints(app)
    health.init_app(app)
    register_cli(app)
    return app


def register_blueprints(app: Flask) -> None:
    # Imported here for the reason create_app gives.
    from .auth.routes import bp as auth_bp
    from .engagements.activity.routes import bp as engagement_log_bp
    from .engagements.checkins.routes import bp as checkins_bp
    from .engagements.followups.routes import bp as followups_bp
    from .engagements.followups.routes import leader_bp as engagement_followup_bp
    from .engagements.plan.routes import bp as engagement_plan_bp
    from .engagements.routes import bp as engagements_bp
    from .freelancers.routes import bp as freelancers_bp
    from .home.routes import bp as home_bp
    from .mail.routes import bp as mail_bp
    from .matches.routes import bp as matches_bp
    from .needs.routes import bp as needs_bp
    from .profiles.routes import bp as profiles_bp
    from .programs.api import bp as program_api_bp
    from .programs.routes import bp as programs_bp
    from .search.routes import bp as search_bp
    from .skills.routes import bp as skills_bp

    for blueprint in (
        auth_bp,
        home_bp,
        needs_bp,
        matches_bp,
        freelancers_bp,
        profiles_bp,
        search_bp,
        skills_bp,
        engagements_bp,
        engagement_plan_bp,
        engagement_log_bp,
        checkins_bp,
        followups_bp,
        engagement_followup_bp,
        programs_bp,
        program_api_bp,
        mail_bp,
    ):
        app.register_blueprint(blueprint)
