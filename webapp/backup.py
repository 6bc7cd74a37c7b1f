"""Backups of the database, the only thing that needs one (indexes are derived from it).

PostgreSQL: pg_dump's custom format, restored by pg_restore in one transaction, so a failed
restore leaves the database as it was. SQLite: the sqlite3 online backup API, both ways, so a
copy is consistent even while the app writes. Connection details reach pg_dump through libpq's
environment variables: a password never shows on a command line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """The backup or restore did not happen; the message says why."""


def backup(database_url: str, target: Path) -> int:
    """Writes a backup of the database to `target` (complete or not at all); returns its size."""
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)], url)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Replaces the database's contents with the backup in `source`."""
    url = make_url(database_url)
    with source.open("rb") as handle:
        head = handle.read(16)
    if url.get_backend_name() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not an SQLite backup (made from another database?)")
        _sqlite_copy(source, _sqlite_path(url))
        return
    if not head.startswith(PG_DUMP_MAGIC):
        raise BackupError(f"{source} is not a pg_dump custom-format backup (made from another database?)")
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            url.database or "",
            str(source),
        ],
        url,
    )


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"SQLite backup from {source} failed: {error}") from error
    finally:
        writer.close()
        reader.close()


def libpq_environment(url: URL) -> dict[str, str]:
    """The connection as PG* variables for pg_dump and pg_restore."""
    settings = {
        "PGHOST": url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    # A restore waits at most this long for a lock held by a running Tandem process, then fails.
    return {"PGOPTIONS": "-c lock_timeout=10s", **{name: str(value) for name, value in settings.items() if value}}


def _run(command: list[str], url: URL) -> None:
    try:
        done = subprocess.run(
            command, env={**os.environ, **libpq_environment(url)}, capture_output=True, text=True, timeout=3600
        )
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)") from error
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")
