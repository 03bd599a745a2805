"""The sasaran screen in Chromium against the real server: the kapus at a desk (1440 px)
downloads the template, uploads a bad CSV (every bad row listed as "Baris N: alasan", nothing
stored, the table as it was), a file over the size limit (the limit said in megabytes), then a
good one (the new figures, source "sasaran resmi", who/when/which file); the table at 1280 px;
the Pustu midwife on a 360 px phone sees her own desa read-only, with no upload. Screenshots
in test-artifacts/screenshots/pws-sasaran-*.png."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction, write_transaction
from backend.pws.tables import sasaran
from tests import factories as f
from tests.e2e.conftest import TABLET, login
from tests.e2e.posyandu_phone import PHONES, assert_fits
from tests.e2e.screens import audit
from tests.e2e.test_loop import device
from tests.e2e.test_pws import go, no_leaks

pytestmark = pytest.mark.slow

DESK = {"width": 1440, "height": 900}
YEAR = dt.date.today().year     # the screen's default year (the browser's, same day in tests)


def csv_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


BAD = csv_file("sasaran-salah.csv", (
    "kode_desa;nama_desa;tahun;bumil;balita\n"
    f"{f.DESA_A};Cikalong;{YEAR};45;300\n"           # line 2: good, still not stored
    f"9999999999;Entah;{YEAR};1;1\n"                 # 3: unknown desa
    f"{f.DESA_B};Mekarjaya;{YEAR};empat;1\n"))       # 4: not a number
GOOD = csv_file("sasaran-2026-dinkes.csv", (
    "kode_desa;nama_desa;tahun;bumil;balita\n"
    f"{f.DESA_A};Cikalong;{YEAR};45;300\n"
    f"{f.DESA_B};Mekarjaya;{YEAR};38;\n"))


def stored(app) -> list[sa.Row]:
    with app.app_context(), read_transaction() as conn:
        return conn.execute(sa.select(sasaran).where(sasaran.c.year == YEAR)).all()


@pytest.fixture(scope="module")
def clean_sasaran(e2e_app):
    """The world has no official target of this year before and after these tests (other
    e2e modules count against registered persons)."""
    assert stored(e2e_app) == []
    yield
    with e2e_app.app_context(), write_transaction() as conn:
        conn.execute(sa.delete(sasaran).where(sasaran.c.year == YEAR))


def group_row(page: Page, desa: str, group: str):
    card = page.locator(f'[data-testid="sasaran-desa"][data-desa="{desa}"]')
    return card.locator(f'tr[data-group="{group}"]')


def tab(page: Page, name: str):
    return page.get_by_role("navigation", name="Bagian PWS").get_by_role("link", name=name)


def upload(page: Page, file: dict) -> None:
    page.get_by_label("Berkas CSV").set_input_files(file)
    page.get_by_role("button", name="Unggah").click()


def test_kapus_imports_the_official_targets(browser, server, village, e2e_app, clean_sasaran):
    context, desk = device(browser, server, DESK, phone=False)
    try:
        login(desk, "kapus")
        go(desk, "#/pws")
        tab(desk, "Sasaran").click()
        expect(desk.get_by_test_id("sasaran-desa")).to_have_count(2)
        bumil = group_row(desk, f.DESA_A, "bumil")
        expect(bumil).to_contain_text("Ibu hamil")
        expect(bumil).to_contain_text("Belum ada")
        expect(bumil).not_to_have_attribute("data-source", "resmi")
        before = bumil.inner_text()
        no_leaks(desk)

        with desk.expect_download() as download:
            desk.get_by_test_id("sasaran-template").click()
        assert download.value.suggested_filename == f"sasaran-{YEAR}.csv"
        template = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert template.startswith("kode_desa;nama_desa;tahun;") and f.DESA_A in template

        # A bad file: every bad row in words, nothing stored, the table as it was.
        upload(desk, BAD)
        errors = desk.get_by_test_id("sasaran-errors").locator("li")
        expect(errors).to_have_count(2)
        expect(errors.nth(0)).to_have_text(re.compile(r"^Baris 3: .*kode desa tidak dikenal"))
        expect(errors.nth(1)).to_have_text(re.compile(r"^Baris 4: .*bukan angka"))
        expect(desk.get_by_test_id("sasaran-result")).to_contain_text(
            "Tidak ada angka dari berkas ini yang disimpan")
        assert bumil.inner_text() == before
        assert stored(e2e_app) == []
        audit(desk, "pws-sasaran-refused-1440")

        # Too large: refused before it is read, the limit in megabytes.
        upload(desk, csv_file("besar.csv", "kode_desa;tahun;bumil\n" + "x" * 2_300_000))
        expect(desk.get_by_test_id("sasaran-result")).to_contain_text(
            "Berkas terlalu besar: paling besar 2 MB. Tidak ada yang disimpan.")
        assert stored(e2e_app) == []

        # A good file: the new figures, official, with who, when and which file.
        upload(desk, GOOD)
        notice = desk.get_by_test_id("sasaran-stored")
        expect(notice).to_contain_text("Tersimpan: 3 angka dari 2 baris desa")
        expect(notice).to_contain_text("Ibu hamil, Balita 0-59 bulan")
        expect(bumil).to_have_attribute("data-source", "resmi")
        expect(bumil).to_contain_text("45")
        expect(bumil).to_contain_text("sasaran resmi")
        expect(bumil).to_contain_text("sasaran-2026-dinkes.csv, oleh kapus")
        # An empty cell is no official figure: Mekarjaya's balita stays estimated or counted.
        expect(group_row(desk, f.DESA_B, "balita")).not_to_have_attribute("data-source", "resmi")
        expect(group_row(desk, f.DESA_B, "bumil")).to_contain_text("38")
        assert len(stored(e2e_app)) == 3
        no_leaks(desk)
        audit(desk, "pws-sasaran-stored-1440")

        desk.set_viewport_size(TABLET)
        desk.evaluate("window.scrollTo(0, 0)")
        audit(desk, "pws-sasaran-1280")
    finally:
        context.close()


def test_pustu_sees_her_desa_read_only(browser, server, village, clean_sasaran):
    context, phone = device(browser, server, PHONES[0], phone=True)
    try:
        login(phone, "pustu_a")
        go(phone, "#/pws/grid")
        expect(phone.get_by_test_id("pws-grid")).to_be_visible()
        tab(phone, "Sasaran").click()
        cards = phone.get_by_test_id("sasaran-desa")
        expect(cards).to_have_count(1)
        expect(cards).to_contain_text("Cikalong")
        expect(phone.locator("main")).not_to_contain_text("Mekarjaya")
        expect(group_row(phone, f.DESA_A, "bumil")).to_contain_text("Ibu hamil")
        expect(phone.get_by_test_id("sasaran-read-only")).to_be_visible()
        expect(phone.get_by_test_id("sasaran-upload")).to_have_count(0)
        expect(phone.get_by_test_id("sasaran-template")).to_have_count(0)
        no_leaks(phone)
        assert_fits(phone, "pws-sasaran-pustu-360")
    finally:
        context.close()
