"""HTTP for the family page `/keluarga/` (docs/push.md, "Family subscription and consent"): its
own page, manifest and service worker, so its scope (/keluarga/) and its installed app are the
family's, apart from the staff app at `/`. The app's worker (/sw.js) answers only `/` and the
shell's own URLs, so it never serves or caches this page."""

from __future__ import annotations

import json
import posixpath
import re
from functools import lru_cache

from flask import Blueprint, Response, render_template_string

from backend.pwa.routes import _page_headers, shell
from backend.pwa.shell import PWA_ROOT, STATIC_ROOT

bp = Blueprint("family_page", __name__)
ROOT = PWA_ROOT / "family"
ENTRY = "js/family/main.js"
STYLES = ("css/app.css", "css/family.css")
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'""", re.M)


@lru_cache(maxsize=4)
def page_assets(version: str) -> tuple[str, ...]:
    """The static files the family page loads (its styles and the module graph from
    js/family/main.js, found by its static imports), for its worker to keep offline."""
    seen: list[str] = []
    todo = [ENTRY]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        source = (STATIC_ROOT / path).read_text(encoding="utf-8")
        todo += [posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
                 for spec in IMPORT.findall(source) if spec.startswith(".")]
    return (*STYLES, *sorted(seen))


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
    """The family page's worker, with the shell version and the page's files prepended: a
    deploy changes its bytes, so the browser updates it (and it drops the old version's
    cache)."""
    current = shell()
    urls = ["/keluarga/", "/keluarga/manifest.webmanifest", "/icons/icon.svg",
            "/icons/icon-192.png", *(current.asset_url(p) for p in page_assets(current.version))]
    head = json.dumps({"version": current.version, "urls": urls})
    source = (ROOT / "sw.js").read_text(encoding="utf-8")
    return _page_headers(Response(f"const FAMILY = {head};\n{source}",
                                  mimetype="text/javascript"))
