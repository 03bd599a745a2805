"""HTTP for the waiting-room display `/layar/` (docs/flow.md "Waiting-room display"): a page of
its own for a TV, with no login. Its token is in the URL fragment, which the browser never
sends; the page's script sends it in a header to the feed (backend/api/flow/display.py). No
service worker: a screen without the network has nothing to show."""

from __future__ import annotations

from flask import Blueprint, Response, render_template_string

from backend.pwa.routes import _page_headers, shell
from backend.pwa.shell import PWA_ROOT

bp = Blueprint("layar_page", __name__)
ROOT = PWA_ROOT / "layar"


@bp.get("/layar/")
def page():
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    response = _page_headers(Response(render_template_string(html, shell=shell()),
                                      mimetype="text/html"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
