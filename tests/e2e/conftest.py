"""End-to-end fixtures: the real app behind a real HTTP server, and Debian's headless Chromium.

One server and one browser serve the whole e2e session (SQLite only); each test gets a fresh
browser context, so its IndexedDB, service worker and caches start empty. Tests that write
assert on their own records, never on global counts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from backend import create_app
from backend.db import write_transaction
from tests.e2e import world
from tests.live_server import serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TABLET = {"width": 1280, "height": 800}   # a 10" tablet in landscape
PIN = "246810"
# Deadlines for a hung page, not expectations of speed: every wait is on a condition (an
# element, a URL, the sync indicator). With both cores busy, a test's setup (server, browser,
# first page) took 11-17 s and the Posyandu session 77 s, so 15 s per step was too close.
ACTION_TIMEOUT_MS = 45000
SYNC_TIMEOUT_MS = 120000
expect.set_options(timeout=ACTION_TIMEOUT_MS)  # its own default is 5 s


@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory, sqlite_template):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make chromium` installs it")
    vendor = ROOT / "pwa" / "static" / "vendor"
    if not (vendor / "pouchdb.indexeddb.min.js").exists():
        pytest.fail("PWA build output missing: run `make assets`")
    base = tmp_path_factory.mktemp("e2e")
    shutil.copy(sqlite_template, base / "siklus.db")
    patch = pytest.MonkeyPatch()
    patch.setenv("SIKLUS_INSTANCE_PATH", str(base / "instance"))
    # Short longpolls: a context closed by a test must not hold a server thread for a minute.
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{base / 'siklus.db'}",
                      "LONGPOLL_TIMEOUT_MS": 5000})
    with app.app_context(), write_transaction() as conn:
        app.extensions["e2e.world"] = world.build(conn)
    yield app
    patch.undo()
    app.extensions["siklus.engine"].dispose()


@pytest.fixture(scope="session")
def server(e2e_app):
    with serve(e2e_app) as url:
        yield url


@pytest.fixture(scope="session")
def village(e2e_app) -> dict:
    return e2e_app.extensions["e2e.world"]


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright) -> Browser:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def profile_context(playwright, server, tmp_path) -> BrowserContext:
    """A browser with a real profile on disk: Chromium reports an incognito context (every
    `browser.new_context()`) as not installable, whatever the app does."""
    ctx = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=server,
        viewport=TABLET, locale="id-ID", timezone_id="Asia/Jakarta")
    yield ctx
    ctx.close()


@pytest.fixture
def context(browser, server) -> BrowserContext:
    ctx = browser.new_context(base_url=server, viewport=TABLET, locale="id-ID",
                              timezone_id="Asia/Jakarta", service_workers="allow")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Printed (pytest shows it when a test fails) and checked: a missing catalog key warns,
    # a CSP violation means the shell broke its own policy.
    page.on("console", lambda msg: print(f"console.{msg.type}: {msg.text}"))
    page.on("console", lambda msg: errors.append(msg.text)
            if "i18n" in msg.text or "Content Security Policy" in msg.text else None)
    yield page
    assert not errors, f"errors in the page: {errors}"


def shot(page: Page, name: str) -> None:
    """Save a screenshot of the key screen under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page: Page, username: str, password: str = "rahasia-123", pin: str | None = PIN) -> None:
    """First login on a fresh device, then the PIN (or the password) for offline unlock,
    and wait until the first sync has finished."""
    page.goto("/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if pin:
        page.get_by_label("PIN baru").fill(pin)
        page.get_by_label("Ulangi PIN").fill(pin)
        page.get_by_role("button", name="Simpan PIN").click()
    else:
        page.get_by_role("button", name="Pakai kata sandi saja").click()
    wait_synced(page)


def wait_synced(page: Page, timeout: float = SYNC_TIMEOUT_MS) -> None:
    page.wait_for_selector('[data-testid="sync-indicator"][data-phase="idle"]', timeout=timeout)



def enter_high_pressure_and_glucose(page: Page) -> None:
    """The adult the follow-up tests measure: TD 168/98 and GDS 215 mg/dL."""
    page.get_by_label("Tekanan darah sistolik").fill("168")
    page.get_by_label("Tekanan darah diastolik").fill("98")
    page.get_by_label("Gula darah", exact=True).fill("215")
    page.get_by_label("Jenis pemeriksaan gula").select_option("GDS")
