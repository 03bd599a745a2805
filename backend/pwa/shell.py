"""The app shell: the files the service worker precaches and the version that names them.

The version is a digest of every shell file (the page, the worker, the manifest, icons, our
JavaScript and CSS, the vendored PouchDB, the WHO tables and the clinical config), so any
deployed change yields a new service worker and the "Muat ulang" offer; nothing else bumps it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from backend.settings import PROJECT_ROOT

PWA_ROOT = PROJECT_ROOT / "pwa"
STATIC_ROOT = PWA_ROOT / "static"
ICONS_ROOT = PWA_ROOT / "icons"
ILP_ROOT = PROJECT_ROOT / "config" / "ilp"
PAGE_FILES = ("index.html", "sw.js", "manifest.webmanifest")
# Served from /static for the API docs only; the PWA never loads it.
NOT_SHELL = ("vendor/swagger-ui/",)
REQUIRED_VENDOR = ("vendor/pouchdb.min.js", "vendor/pouchdb.indexeddb.min.js")


@dataclass(frozen=True)
class Shell:
    version: str
    ilp_version: str
    assets: tuple[str, ...]       # paths under pwa/static, served at /app/<version>/<path>
    icons: tuple[str, ...]        # file names under pwa/icons, served at /icons/<name>
    ilp_files: tuple[str, ...]    # file names under config/ilp, served at /ilp/<version>/<name>
    missing: tuple[str, ...] = ()  # build output not found (`make assets` not run)

    def asset_url(self, path: str) -> str:
        return f"/app/{self.version}/{path}"

    def precache_urls(self) -> list[str]:
        return ["/", "/manifest.webmanifest",
                *(f"/icons/{name}" for name in self.icons),
                *(self.asset_url(path) for path in self.assets),
                *(f"/ilp/{self.ilp_version}/{name}" for name in self.ilp_files)]

    def worker_source(self) -> str:
        """sw.js with the version and precache list it needs, so its bytes change with them."""
        head = json.dumps({"version": self.version, "urls": self.precache_urls()})
        return f"const SHELL = {head};\n{(PWA_ROOT / 'sw.js').read_text(encoding='utf-8')}"


def _files(root: Path) -> list[str]:
    # os.walk, not Path.rglob: rglob does not follow a symlinked directory (3.11), and the
    # build output (vendor/, data/) may be a link to a shared copy.
    found = ((Path(top) / name).relative_to(root).as_posix()
             for top, _, names in os.walk(root, followlinks=True) for name in names)
    return sorted(p for p in found if not p.endswith(".map") and not p.startswith(NOT_SHELL)
                  and not any(part.startswith(".") for part in p.split("/")))


def build_shell() -> Shell:
    assets = _files(STATIC_ROOT)
    manifest = json.loads((ILP_ROOT / "manifest.json").read_text(encoding="utf-8"))
    ilp_files = ("manifest.json", *sorted(entry["file"] for entry in manifest["files"].values()))
    icons = tuple(_files(ICONS_ROOT))
    digest = hashlib.sha256()
    for root, names in ((PWA_ROOT, PAGE_FILES), (ICONS_ROOT, icons), (STATIC_ROOT, assets),
                        (ILP_ROOT, ilp_files)):
        for name in names:
            digest.update(name.encode())
            digest.update((root / name).read_bytes())
    return Shell(version=digest.hexdigest()[:12], ilp_version=manifest["version"],
                 assets=tuple(assets), icons=icons, ilp_files=ilp_files,
                 missing=tuple(path for path in REQUIRED_VENDOR if path not in assets))
