"""The document store and its CouchDB replication endpoints under /sync."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from backend.sync.http import bp  # noqa: PLC0415

    app.register_blueprint(bp)
