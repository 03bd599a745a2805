"""A kader runs a Posyandu session on a phone, offline: every screen fits 360 and 412 px
without sideways scrolling, every control is at least 44 px, and the stepper's counts match
the rows. Screenshots at 360, 412 and 1280 px go to /tmp/shots/posyandu/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ACTION_TIMEOUT_MS, login
from tests.e2e.posyandu_phone import PHONES, assert_check_sees_misfits, assert_fits, snap

pytestmark = pytest.mark.slow

TABLET = {"width": 1280, "height": 800}


@pytest.fixture
def phone_page(browser, server):
    ctx = browser.new_context(base_url=server, viewport=PHONES[0], locale="id-ID",
                              timezone_id="Asia/Jakarta", service_workers="allow",
                              has_touch=True, is_mobile=True, device_scale_factor=2)
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if "i18n" in msg.text else None)
    yield page
    ctx.close()
    assert not errors, errors


def every_size(page: Page, name: str) -> None:
    """The screen at both phone widths (checked) and on a tablet (screenshot only)."""
    for size in PHONES:
        page.set_viewport_size(size)
        assert_fits(page, f"{name}-{size['width']}")
    page.set_viewport_size(TABLET)
    page.wait_for_timeout(200)
    snap(page, f"{name}-1280")
    page.set_viewport_size(PHONES[0])


def register(page: Page, name: str) -> None:
    page.get_by_label("Cari nama, NIK atau no. KK").fill(name)
    row = page.locator(".result", has=page.get_by_text(name, exact=True))
    row.get_by_role("button", name="Daftarkan").first.click()
    expect(row.get_by_text("Terdaftar").first).to_be_visible()


def save(page: Page, button: str) -> None:
    """Press the table's save button and wait until the app has moved on."""
    before = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_function("(before) => location.href !== before", arg=before)


def open_first(page: Page, step: str) -> None:
    page.get_by_test_id(f"step-{step}").click()
    page.locator(f'[data-testid="queue"][data-step="{step}"] a').first.click()
    page.locator(f'[data-testid="form-{step}"]').wait_for()


def expect_counts(page: Page, **counts: int) -> None:
    for step, n in counts.items():
        expect(page.get_by_test_id(f"step-{step}").locator(".count")).to_have_text(str(n))


def open_session_offline(page: Page) -> None:
    page.context.set_offline(True)
    page.evaluate("location.hash = '#/posyandu'")
    page.get_by_role("combobox", name="Posyandu").select_option(label="Posyandu Mawar")
    page.get_by_role("button", name="Buka sesi").click()
    page.wait_for_url(re.compile(r"#/posyandu/posyandu_session:[^/]+/daftar$"))
    note = page.get_by_test_id("posyandu-sync-note")
    expect(note).to_contain_text("kemajuan dari tablet lain belum terlihat")
    expect(note).to_contain_text("Sinkron terakhir")


def weigh_first(page: Page) -> None:
    page.get_by_test_id("step-ukur").click()
    page.locator('[data-testid="queue"][data-step="ukur"] a').first.wait_for()
    every_size(page, "phone-3-antrean-ukur")
    open_first(page, "ukur")
    page.get_by_label("Berat badan").fill("11,2")
    if page.get_by_label("Panjang/tinggi badan").count():
        page.get_by_label("Panjang/tinggi badan").fill("82")
    every_size(page, "phone-4-ukur")
    save(page, "Simpan & berikutnya")


def serve_first(page: Page) -> None:
    """catat, layanan (and a questionnaire, when one is due) and penyuluhan for the first."""
    open_first(page, "catat")
    every_size(page, "phone-5-catat")
    save(page, "Sudah dicatat & berikutnya")
    open_first(page, "layanan")
    every_size(page, "phone-6-layanan")
    questionnaires = page.locator(".screen-list a")
    if questionnaires.count():
        questionnaires.first.click()
        page.locator("form.screening").wait_for()
        every_size(page, "phone-6b-kuesioner")
        page.go_back()
        page.locator('[data-testid="form-layanan"]').wait_for()
    save(page, "Simpan & berikutnya")
    open_first(page, "penyuluhan")
    page.locator("input[name=counselling]").first.check()
    every_size(page, "phone-7-penyuluhan")
    save(page, "Selesai & berikutnya")
    page.wait_for_url(re.compile(r"/penyuluhan$"))


def test_a_session_on_a_phone_fits_and_counts_match_the_rows(phone_page, village):
    page = phone_page
    login(page, "kader_a")
    open_session_offline(page)
    assert_check_sees_misfits(page)
    every_size(page, "phone-1-daftar-empty")

    children = [p for p in village["persons"] if p["relation"] == "anak"][:2]
    adult = next(p for p in village["persons"] if p["relation"] == "kepala")
    for person in [*children, adult]:
        register(page, person["name"])
    # Counts and rows from one state: 3 registered, 3 at the first table, none finished.
    expect_counts(page, daftar=3, ukur=3, catat=0)
    expect(page.locator(".lead")).to_contain_text("0 dari 3 selesai")
    expect(page.get_by_text("Di meja Timbang/ukur")).to_have_count(3)
    page.get_by_label("Cari nama, NIK atau no. KK").fill("")
    every_size(page, "phone-2-daftar")

    weigh_first(page)
    expect_counts(page, ukur=2, catat=1)
    serve_first(page)
    expect(page.locator(".lead")).to_contain_text("1 dari 3 selesai")
    page.get_by_test_id("step-daftar").click()
    expect(page.get_by_text("Di meja Timbang/ukur")).to_have_count(2)
    expect(page.locator(".result .badge", has_text="Selesai")).to_have_count(1)
    every_size(page, "phone-8-daftar-progress")

    # Closing keeps the count of who came; the two not yet weighed have nothing to save.
    page.get_by_role("button", name="Tutup sesi").click()
    page.get_by_role("button", name="Simpan dan tutup").click()
    page.wait_for_url(re.compile(r"#/posyandu$"))
    session = page.locator(".result", has_text="Posyandu Mawar").first
    expect(session).to_contain_text("3 hadir")
    expect(session).to_contain_text("Ditutup")
    every_size(page, "phone-9-sesi-ditutup")
