"""HTTP for the PWA: the page at `/`, the service worker, the manifest and versioned assets.

Caching: `/`, `/sw.js` and the manifest are `no-cache` (revalidated every time, so a deploy is
seen at once); `/app/<version>/…` and `/ilp/<version>/…` never change under their URL and are
cached for a year. A request for another version than the current one is a 404, never the
current bytes under an old name.
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template_string,
    send_from_directory,
)

from backend.pwa.shell import ICONS_ROOT, ILP_ROOT, PWA_ROOT, STATIC_ROOT, Shell

bp = Blueprint("pwa", __name__)

YEAR = 365 * 24 * 3600
# No inline script or style anywhere in the shell; data only travels to our own origin.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def shell() -> Shell:
    return current_app.extensions["siklus.pwa"]


def _page_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _immutable(response: Response) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/")
def index():
    current = shell()
    if current.missing:
        abort(503, f"The PWA build output is missing ({', '.join(current.missing)}): "
                   "run `make assets`.")
    page = (PWA_ROOT / "index.html").read_text(encoding="utf-8")
    return _page_headers(Response(render_template_string(page, shell=current),
                                  mimetype="text/html"))


@bp.get("/sw.js")
def service_worker():
    response = Response(shell().worker_source(), mimetype="text/javascript")
    # Served from the root so its scope may be the whole origin.
    response.headers["Service-Worker-Allowed"] = "/"
    return _page_headers(response)


@bp.get("/manifest.webmanifest")
def manifest():
    response = send_from_directory(PWA_ROOT, "manifest.webmanifest",
                                   mimetype="application/manifest+json")
    return _page_headers(response)


@bp.get("/icons/<name>")
def icon(name: str):
    if name not in shell().icons:
        abort(404)
    response = send_from_directory(ICONS_ROOT, name, max_age=24 * 3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _versioned(root: Path, version: str, current: str, name: str, allowed: tuple[str, ...]):
    if version != current or name not in allowed:
        abort(404)
    return _immutable(send_from_directory(root, name, max_age=YEAR))


@bp.get("/app/<version>/<path:path>")
def asset(version: str, path: str):
    current = shell()
    return _versioned(STATIC_ROOT, version, current.version, path, current.assets)


@bp.get("/ilp/<version>/<name>")
def ilp_config(version: str, name: str):
    current = shell()
    return _versioned(ILP_ROOT, version, current.ilp_version, name, current.ilp_files)
