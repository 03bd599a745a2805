"""The installable offline web app (pwa/): served at `/` with its service worker (docs/pwa.md)."""

from __future__ import annotations

from flask import Flask

from backend.pwa.family import bp as family_bp
from backend.pwa.layar import bp as layar_bp
from backend.pwa.routes import bp
from backend.pwa.shell import build_shell


def init_app(app: Flask) -> None:
    app.extensions["siklus.pwa"] = build_shell()
    app.register_blueprint(bp)
    app.register_blueprint(family_bp)
    app.register_blueprint(layar_bp)
