"""Siklus: the ILP information system for a Puskesmas and its villages (Flask app factory)."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from backend import cli, clock, db, edge, errors
from backend.instance_secrets import ensure_secrets
from backend.settings import PROJECT_ROOT, load_settings


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=str(PROJECT_ROOT / "pwa" / "static"),
                static_url_path="/static",
                instance_path=os.environ.get("SIKLUS_INSTANCE_PATH")
                or str(PROJECT_ROOT / "instance"))
    os.makedirs(app.instance_path, exist_ok=True)
    settings = load_settings(app.instance_path, test_config)
    for name, value in ensure_secrets(app.instance_path).items():
        if settings.get(name) is None:
            settings[name] = value
    clock.check_timezone(settings["TIMEZONE"])
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    _trust_proxies(app)
    edge.init_app(app)
    db.init_app(app)
    from backend import api, auth, pwa, sync  # noqa: PLC0415  (blueprints import the app's modules)

    auth.init_app(app)
    api.init_app(app)
    sync.init_app(app)
    pwa.init_app(app)
    cli.init_app(app)
    errors.init_app(app)  # last: replaces flask-smorest's handlers with ours
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind nginx every request comes from the proxy's address: login limits would lock out
    everyone at once. Only as many X-Forwarded-* hops as there are proxies we run are believed;
    a client can prepend anything it likes to the header."""
    hops = app.config["TRUSTED_PROXY_COUNT"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
