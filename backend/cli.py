"""Command-line tasks: `flask --app backend <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from backend import migrate, writes
from backend.auth.accounts import change_account, create_account
from backend.auth.roles import ROLES
from backend.auth.users import UserError, get_user
from backend.backup import backup_command
from backend.db import engine, read_transaction, write_transaction
from backend.followup.cli import derive_followup_command
from backend.pws.sasaran_cli import import_sasaran_command
from backend.sync import reads
from backend.worker.cli import COMMANDS as WORKER_COMMANDS


@click.command("init-db")
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest migration."""
    migrate.upgrade(engine())
    click.echo(f"Database ready: {current_app.config['DATABASE_URL']}")


@click.command("reproject")
def reproject_command() -> None:
    """Rebuild every read-model table from the winning document revisions."""
    with write_transaction() as conn:
        count = writes.rebuild_projections(conn)
    click.echo(f"Projected {count} documents.")


@click.command("seed-demo")
@click.option("--scale", default=1.0, show_default=True,
              help="Multiply the number of desa (8 per unit; 0.125 is one desa).")
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database holds documents.")
def seed_demo_command(scale: float, seed: int, if_empty: bool) -> None:
    """Fill an empty database with a realistic demo Puskesmas and its staff logins."""
    from backend.demo import seed as seed_demo  # noqa: PLC0415  (heavy, CLI-only)
    from backend.demo.loader import DemoLoadError  # noqa: PLC0415

    migrate.upgrade(engine())
    with read_transaction() as conn:
        doc_count = reads.info(conn, "")["doc_count"]
    if doc_count and if_empty:
        click.echo(f"Database already holds {doc_count} documents; demo not loaded.")
        return
    try:
        click.echo(seed_demo(scale=scale, seed=seed))
    except DemoLoadError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True)
@click.option("--cluster", default=None)
@click.option("--desa", "scopes", multiple=True,
              help="Kemendagri desa code (repeatable). Left out for a Puskesmas-wide role "
                   "(klaster, kapus, admin, dinkes): every desa the Puskesmas has now.")
def create_user_command(username, password, display_name, role, cluster, scopes) -> None:
    """Create a staff account."""
    try:
        with write_transaction() as conn:
            user = create_account(conn, None, dict(
                username=username, password=password, role=role, display_name=display_name,
                cluster=cluster, scopes=list(scopes)))
    except UserError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    click.echo(f"Created {user.username} ({user.role}) for {len(user.scopes)} desa.")


@click.command("set-password")
@click.option("--username", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password_command(username, password) -> None:
    """Set a staff account's password (e.g. a forgotten admin password); ends its sessions."""
    try:
        with write_transaction() as conn:
            found = get_user(conn, username=username)
            if found is None:
                raise UserError("username", f"no user {username!r}", status=404)
            change_account(conn, None, found[0].id, {"password": password})
    except UserError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    click.echo(f"Password of {username} set; their sessions have ended.")


def init_app(app: Flask) -> None:
    for command in (init_db_command, reproject_command, seed_demo_command, create_user_command,
                    set_password_command, derive_followup_command, import_sasaran_command):
        app.cli.add_command(command)
    app.cli.add_command(backup_command)
    for command in WORKER_COMMANDS:
        app.cli.add_command(command)
