"""`flask --app backend import-sasaran FILE`: the upload's import for the server's console
(docs/pws.md, "Sasaran"). Every bad row is printed as `baris N: reason`, one per line, and the
command exits 1 with nothing stored."""

from __future__ import annotations

import getpass
import os
import sys

import click
from flask import current_app

from backend.db import write_transaction
from backend.pws import sasaran as rules


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no login name (a container without /etc/passwd entry)
        return "?"


@click.command("import-sasaran")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "imported_by", default=None,
              help="Who imports (stored with each figure); default cli:<login name>.")
def import_sasaran_command(path: str, imported_by: str | None) -> None:
    """Import official targets (sasaran) per desa and year from a CSV file, all or nothing."""
    limit = current_app.config["SASARAN_MAX_BYTES"]
    try:
        rules.check_size(os.path.getsize(path), limit)
        with open(path, "rb") as stream:
            data = rules.read_limited(stream, limit)
        with write_transaction() as conn:
            result = rules.import_csv(conn, data, filename=os.path.basename(path), actor=None,
                                      imported_by=imported_by or f"cli:{_operator()}")
    except rules.SasaranError as exc:
        click.echo(f"{path}: {exc.message}", err=True)
        for line, reason in exc.errors:
            click.echo(f"baris {line}: {reason}" if line else reason, err=True)
        sys.exit(1)
    click.echo(f"Sasaran disimpan: {result.figures} angka dari {result.rows} baris, tahun "
               f"{', '.join(map(str, result.years)) or '-'}, {len(result.desa)} desa.")
