"""The document store and its CouchDB replication endpoints under /sync."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from backend.sync.cli import COMMANDS  # noqa: PLC0415  (import the app's modules late)
    from backend.sync.http import bp  # noqa: PLC0415

    app.register_blueprint(bp)
    for command in COMMANDS:
        app.cli.add_command(command)
