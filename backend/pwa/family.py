"""HTTP for the family page `/keluarga/` (docs/push.md, "Family subscription and consent"): its
own page, manifest and service worker, so its scope (/keluarga/) and its installed app are the
family's, apart from the staff app at `/`. The app's worker (/sw.js) answers only `/` and the
shell's own URLs, so it never serves or caches this page."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template_string

from backend.pwa.routes import _page_headers, shell
from backend.pwa.shell import PWA_ROOT

bp = Blueprint("family_page", __name__)
ROOT = PWA_ROOT / "family"


@bp.get("/keluarga/")
def page():
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    return _page_headers(Response(render_template_string(html, shell=shell()),
                                  mimetype="text/html"))


@bp.get("/keluarga/manifest.webmanifest")
def manifest():
    return _page_headers(Response((ROOT / "manifest.webmanifest").read_bytes(),
                                  mimetype="application/manifest+json"))


@bp.get("/keluarga/sw.js")
def service_worker():
    """The family page's worker, with the shell version prepended: a deploy changes its bytes,
    so the browser updates it (and it drops the old version's cache)."""
    head = json.dumps({"version": shell().version})
    source = (ROOT / "sw.js").read_text(encoding="utf-8")
    return _page_headers(Response(f"const FAMILY = {head};\n{source}",
                                  mimetype="text/javascript"))
