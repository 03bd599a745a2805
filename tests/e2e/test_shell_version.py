"""The shell version is a digest of every shell file: any change is a new version, nothing
else is (no browser needed; the browser side of updates is in test_shell.py)."""

from __future__ import annotations

import shutil

import pytest

from backend.pwa import shell
from backend.settings import PROJECT_ROOT


@pytest.fixture
def copied(tmp_path, monkeypatch):
    """The shell's sources copied aside, with backend.pwa.shell pointed at the copy."""
    pwa = tmp_path / "pwa"
    shutil.copytree(PROJECT_ROOT / "pwa", pwa)
    shutil.copytree(PROJECT_ROOT / "config" / "ilp", tmp_path / "ilp")
    monkeypatch.setattr(shell, "PWA_ROOT", pwa)
    monkeypatch.setattr(shell, "STATIC_ROOT", pwa / "static")
    monkeypatch.setattr(shell, "ICONS_ROOT", pwa / "icons")
    monkeypatch.setattr(shell, "ILP_ROOT", tmp_path / "ilp")
    return tmp_path


@pytest.mark.parametrize("path", ["pwa/static/js/sync.js", "pwa/sw.js", "pwa/index.html",
                                  "pwa/static/css/app.css", "ilp/screenings.json"])
def test_any_shell_file_change_makes_a_new_version(copied, path):
    before = shell.build_shell()
    target = copied / path
    original = target.read_bytes()
    target.write_bytes(original + b"\n")
    assert shell.build_shell().version != before.version
    target.write_bytes(original)
    assert shell.build_shell().version == before.version


def test_precache_lists_versioned_assets_but_not_the_api_docs(copied):
    built = shell.build_shell()
    urls = built.precache_urls()
    assert "/" in urls and f"/app/{built.version}/js/main.js" in urls
    assert f"/ilp/{built.ilp_version}/manifest.json" in urls
    assert not [url for url in urls if "swagger" in url or url.endswith(".map")]


def test_missing_build_output_is_named(copied):
    (copied / "pwa" / "static" / "vendor" / "pouchdb.indexeddb.min.js").unlink()
    assert shell.build_shell().missing == ("vendor/pouchdb.indexeddb.min.js",)
