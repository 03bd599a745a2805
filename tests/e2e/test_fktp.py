"""Jejaring FKTP in Chromium: the clinic's login opens on "Laporan kasus FKTP", finds an
elder by name, reports hypertension (I10, TD 170/100) and sees in "Kasus saya" the follow-up
the server derived for desa A's Pustu; the bidan's task list on the server has it. The clinic
holds no replicated record, and the screens are checked at 360, 1280 and 1440 px."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction
from backend.projections.tables import encounters, tasks
from tests.e2e.conftest import PIN, SCREENSHOTS
from tests.e2e.screens import audit

pytestmark = pytest.mark.slow

WIDTHS = (360, 1280, 1440)


def fktp_login(page: Page) -> None:
    """First login of the clinic on a fresh browser, with a PIN. The clinic does not
    replicate (its role reads no records), so there is no first sync to wait for."""
    page.goto("/")
    page.get_by_label("Nama pengguna").fill("fktp_a")
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("PIN baru").fill(PIN)
    page.get_by_label("Ulangi PIN").fill(PIN)
    page.get_by_role("button", name="Simpan PIN").click()
    expect(page.get_by_role("heading", name="Laporan kasus FKTP")).to_be_visible()


def widths(page: Page, name: str) -> None:
    """The screen at a phone's, the tablet's and a desk monitor's width, audited (touch
    targets, contrast, no sideways scroll) and saved under test-artifacts/screenshots/."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        audit(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 800})


def server_rows(e2e_app, query):
    with e2e_app.app_context(), read_transaction() as conn:
        return conn.execute(query).all()


def test_fktp_reports_a_hypertension_case_and_sees_the_derived_follow_up(page, village, e2e_app):
    elder = next(p for p in village["persons"] if p["name"].startswith("Mbah"))
    fktp_login(page)
    # Only the report and its own cases: no person list, no Posyandu, no tasks of the desa.
    nav = page.get_by_role("navigation")
    expect(nav).to_contain_text("Kasus saya")
    expect(nav).not_to_contain_text("Warga")
    widths(page, "fktp-report")

    page.get_by_label("NIK atau nama").fill(elder["name"].split()[1])
    page.get_by_label("Tahun lahir (bila ada)").fill(elder["birth_date"][:4])
    page.get_by_role("button", name="Cari", exact=True).click()
    results = page.get_by_test_id("fktp-results")
    expect(results).to_contain_text(elder["name"])
    widths(page, "fktp-found")
    results.get_by_role("listitem").filter(has_text=elder["name"]).get_by_role(
        "button", name="Pilih").click()
    expect(page.get_by_test_id("fktp-who")).to_contain_text(elder["name"])

    page.get_by_label("Tenaga kesehatan").fill("Bd. Neneng")
    page.get_by_label("Cari diagnosis (nama penyakit atau kode ICD-10)").fill("darah tinggi")
    page.get_by_role("button", name="I10 Hipertensi esensial").click()
    expect(page.get_by_test_id("diagnoses-chosen")).to_contain_text("I10 Hipertensi esensial")
    page.get_by_label("Penyuluhan").check()
    page.get_by_label("Tekanan darah sistolik").fill("170")
    page.get_by_label("Tekanan darah diastolik").fill("100")
    widths(page, "fktp-case-form")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_test_id("fktp-notice")).to_contain_text("terkirim")

    [case] = server_rows(e2e_app, sa.select(encounters.c.id, encounters.c.setting,
                                            encounters.c.date, encounters.c.sbp)
                         .where(encounters.c.person_id == elder["_id"],
                                encounters.c.setting == "fktp"))
    assert case.sbp == 170 and case.date <= dt.date.today() + dt.timedelta(days=1)
    [task] = server_rows(e2e_app, sa.select(tasks.c.id, tasks.c.reason, tasks.c.source,
                                            tasks.c.desa, tasks.c.status)
                         .where(tasks.c.origin_id == case.id))
    assert task.reason.startswith("Tekanan darah tinggi: TD 170/100")
    assert (task.source, task.status) == ("Temuan FKTP jejaring", "open")

    page.get_by_role("link", name="Lihat kasus saya").click()
    row = page.get_by_test_id("fktp-case-row").filter(has_text=elder["name"])
    expect(row).to_contain_text("I10 Hipertensi esensial")
    expect(row).to_contain_text("Tekanan darah tinggi")
    expect(row).to_contain_text("Terbuka")
    expect(row).to_contain_text("TD 170/100")
    widths(page, "fktp-cases")

    # The bidan of desa A has it in her task list on the server.
    client = e2e_app.test_client()
    me = client.post("/api/v1/auth/login", json={"username": "pustu_a",
                                                  "password": "rahasia-123"}).json
    listed = client.get("/api/v1/tasks", query_string={"origin": case.id}).json["items"]
    assert [(t["id"], t["person_name"]) for t in listed] == [(task.id, elder["name"])], me
    # ...and closes it: the clinic sees how it ended, in words.
    doc = client.get(f"/api/v1/tasks/{task.id}").json
    closed = client.patch(f"/api/v1/tasks/{task.id}",
                          headers={"X-CSRF-Token": me["csrf_token"]},
                          json={"_rev": doc["_rev"], "status": "done", "outcome_code": "datang",
                                "outcome": "TD 150/90, obat diminum"})
    assert closed.status_code == 200, closed.json
    page.reload()
    row = page.get_by_test_id("fktp-case-row").filter(has_text=elder["name"])
    expect(row).to_contain_text("Selesai")
    expect(row).to_contain_text("Datang dan dilayani")
    expect(row).not_to_contain_text("obat diminum")
    page.screenshot(path=str(SCREENSHOTS / "fktp-cases-closed-1280.png"), full_page=True)


def test_fktp_registers_a_person_not_found_and_reports_diarrhoea(page, e2e_app):
    fktp_login(page)
    page.get_by_label("NIK atau nama").fill("3204190101850007")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_test_id("fktp-results")).to_contain_text("Tidak ditemukan")
    page.get_by_test_id("fktp-register").click()
    page.get_by_label("Nama lengkap").fill("Asep Kurniawan")
    page.get_by_text("Laki-laki", exact=True).click()
    page.get_by_label("Tanggal lahir").fill("1985-01-01")
    page.get_by_label("NIK", exact=True).fill("3204190101850007")
    page.get_by_label("RT", exact=True).fill("2")
    page.get_by_label("RW", exact=True).fill("5")
    widths(page, "fktp-register")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    who = page.get_by_test_id("fktp-who")
    expect(who).to_contain_text("Asep Kurniawan")
    expect(who).to_contain_text("NIK ************0007")
    page.get_by_label("Cari diagnosis (nama penyakit atau kode ICD-10)").fill("diare")
    page.get_by_role("button", name="A09 Diare dan gastroenteritis").first.click()
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_test_id("fktp-notice")).to_contain_text("Asep Kurniawan")
    page.get_by_role("link", name="Lihat kasus saya").click()
    row = page.get_by_test_id("fktp-case-row").filter(has_text="Asep Kurniawan")
    expect(row).to_contain_text("A09")
    expect(row).to_contain_text("Tidak perlu tindak lanjut")


def test_fktp_screen_says_it_needs_a_connection(page, context):
    fktp_login(page)
    context.set_offline(True)
    # The clinic loses its connection with the app open and opens "Kasus saya" (a hash
    # change, not a reload: a reload before the service worker has cached the shell would
    # test the browser's offline page, not ours).
    page.evaluate("location.hash = '#/fktp/kasus'")
    expect(page.get_by_test_id("desk-offline")).to_contain_text("perlu koneksi internet")
    page.screenshot(path=str(SCREENSHOTS / "fktp-offline-1280.png"), full_page=True)
    context.set_offline(False)
