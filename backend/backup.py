"""`flask --app backend backup FILE`: a consistent copy of the database while Siklus runs.

A plain file copy of a live SQLite database in WAL mode can miss commits that are still in
the `-wal` file or catch the main file half-way through a checkpoint; the copy then opens as
an older or corrupt database. SQLite's online backup API copies a consistent snapshot page by
page while readers and writers carry on, so it is used here. PostgreSQL is dumped with
`pg_dump` (custom format, for `pg_restore`). Either way the backup is written beside its final
name and renamed only once complete, so a crash never leaves a half backup under that name;
it holds health data, so it is readable by its owner only. See docs/operations.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from backend.db import engine


class BackupError(Exception):
    """The backup could not be made; nothing was left under the target name."""


def backup_database(bind: sa.Engine, target: Path) -> str:
    """Write a backup of the database behind `bind` to `target` (which must not exist);
    returns a one-line summary of what was written."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if bind.dialect.name == "sqlite":
            summary = _sqlite_backup(bind, partial)
        else:
            summary = _pg_dump(bind, partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _owner_only_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_backup(bind: sa.Engine, partial: Path) -> str:
    _owner_only_file(partial)
    raw, copy = bind.raw_connection(), sqlite3.connect(partial)
    try:
        raw.driver_connection.backup(copy)  # one step: a single consistent snapshot
        # One self-contained file: no -wal beside it to forget when moving it elsewhere.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        documents = copy.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        copy.close()
        raw.close()
    if check != "ok":
        raise BackupError(f"the copy failed SQLite's integrity check: {check}")
    return f"SQLite backup with {documents} documents"


def _pg_dump(bind: sa.Engine, partial: Path) -> str:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump not found: install the PostgreSQL client (postgresql-client)")
    with bind.connect() as conn:
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    url = bind.url.set(drivername="postgresql")
    _owner_only_file(partial)
    env = {**os.environ, "PGPASSWORD": url.password or os.environ.get("PGPASSWORD", "")}
    # Siklus's own schema only (an installation normally uses `public`: the whole database).
    only = [] if schema == "public" else [f"--schema={schema}"]
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *only,
               f"--file={partial}", url.set(password=None).render_as_string(hide_password=False)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return f"PostgreSQL dump of schema {schema} (restore with pg_restore)"


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Back up the database to a new file, safely while Siklus is running."""
    try:
        summary = backup_database(engine(), target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{summary}: {target}")
    secrets = Path(current_app.instance_path) / "secrets.json"
    if secrets.exists():
        click.echo(f"Keep a copy of {secrets} too (secret key, VAPID keys); it does not change.")
