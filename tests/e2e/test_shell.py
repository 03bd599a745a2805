"""The installable app shell: manifest and service worker, offline cold start, updates."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PIN, ROOT, login, shot

# In the default run too (`make test`); `-m "not slow"` skips them while iterating.
pytestmark = pytest.mark.slow


def test_app_is_installable_with_no_installability_errors(profile_context):
    page = profile_context.pages[0]
    response = page.goto("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["cache-control"] == "no-cache"
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    cdp = profile_context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    data = json.loads(manifest["data"])
    assert (data["name"], data["lang"], data["display"], data["scope"]) == (
        "Siklus", "id", "standalone", "/")
    assert any(icon["purpose"] == "maskable" for icon in data["icons"])
    expect(page.get_by_role("heading", name="Masuk ke Siklus")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    shot(page, "login")


def test_service_worker_and_assets_carry_their_cache_rules(page):
    page.goto("/")
    worker = page.request.get("/sw.js")
    assert worker.headers["service-worker-allowed"] == "/"
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.text().startswith("const SHELL = ")
    version = page.evaluate("document.documentElement.dataset.version")
    asset = page.request.get(f"/app/{version}/js/main.js")
    assert "immutable" in asset.headers["cache-control"]
    assert page.request.get("/app/0000stale000/js/main.js").status == 404
    ilp_version = json.loads((ROOT / "config/ilp/manifest.json").read_text())["version"]
    config = page.request.get(f"/ilp/{ilp_version}/manifest.json")
    assert config.ok and "immutable" in config.headers["cache-control"]


def test_cold_start_offline_after_first_visit_unlocks_with_pin(page, context, village):
    login(page, "kader_a")
    # "After the first visit": the service worker has installed the shell and controls the page
    # (on a busy machine it can still be installing when the first sync ends).
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    cold = context.new_page()  # a new tab: nothing in memory, no unlocked session
    cold.goto("/")
    expect(cold.get_by_role("heading", name="Buka Siklus")).to_be_visible()
    shot(cold, "unlock-offline")
    cold.get_by_label("PIN").fill("000000")
    cold.get_by_role("button", name="Buka", exact=True).click()
    expect(cold.get_by_text("Salah. Sisa 4 kali percobaan.").first).to_be_visible()
    cold.get_by_label("PIN").fill(PIN)
    cold.get_by_role("button", name="Buka", exact=True).click()
    expect(cold.get_by_test_id("sync-indicator")).to_contain_text("Offline")
    cold.get_by_role("link", name="Warga", exact=True).click()
    name = village["children"][0]["name"]
    cold.get_by_label("Cari nama, NIK atau no. KK").fill(name.split()[0])
    expect(cold.get_by_test_id("search-results")).to_contain_text(name)
    shot(cold, "search-offline")
    cold.reload()  # same tab, still within the lock delay: straight back in, still offline
    expect(cold.get_by_role("heading", name="Warga")).to_be_visible()


def test_new_shell_version_offers_reload_banner(page, e2e_app):
    login(page, "kader_a")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    shell = e2e_app.extensions["siklus.pwa"]
    newer = dataclasses.replace(shell, version=f"{shell.version[:6]}next")
    e2e_app.extensions["siklus.pwa"] = newer  # a deploy: same files, new version
    try:
        page.reload()
        banner = page.locator("#update-banner")
        # The new worker precaches the whole shell (~80 files) before it is "installed":
        # on a busy machine that takes longer than the default wait.
        expect(banner).to_contain_text("Versi baru Siklus sudah tersedia.", timeout=60000)
        expect(page.locator("html")).to_have_attribute("data-version", shell.version)
        shot(page, "update-banner")
        banner.get_by_role("button", name="Muat ulang").click()
        expect(page.locator("html")).to_have_attribute("data-version", newer.version)
        expect(page.locator("#update-banner")).to_be_hidden()
        # The new worker deletes the old shell in its `activate` handler, which may still be
        # running when the new page shows: wait for the caches to settle, then compare.
        only_new = [f"siklus-shell-{newer.version}"]
        page.wait_for_function("async (want) => JSON.stringify(await caches.keys()) === want",
                               arg=json.dumps(only_new, separators=(",", ":")))
        assert page.evaluate("caches.keys()") == only_new
    finally:
        e2e_app.extensions["siklus.pwa"] = shell


def test_keyboard_reaches_content_through_the_skip_link(page):
    login(page, "kader_a")
    page.reload()
    expect(page.get_by_role("heading", name="Selamat bekerja, Kader A")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Langsung ke isi")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert re.match(r"Sesi Posyandu", page.evaluate("document.activeElement.textContent"))
