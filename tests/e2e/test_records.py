"""Registration, person page, screening, drafts, tasks, refusals, scope exits and logout."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction
from backend.projections.tables import encounters, persons, screenings, tasks
from backend.search import name_key
from tests import factories
from tests.conftest import Login
from tests.e2e.conftest import login, shot, wait_synced

# In the default run too (`make test`); `-m "not slow"` skips them while iterating.
pytestmark = pytest.mark.slow


def import_app_module(page: Page, module: str, call: str, *args):
    """Calls an export of one of the app's own modules, the very instance the app runs."""
    return page.evaluate("""async ([module, call, args]) => {
        const version = document.documentElement.dataset.version;
        const loaded = await import(`/app/${version}/js/${module}`);
        return loaded[call](...args);
    }""", [module, call, list(args)])


def server_rows(app, statement):
    with app.app_context(), read_transaction() as conn:
        return conn.execute(statement).all()


def test_person_page_shows_due_list_growth_chart_and_immunization_card(page, village):
    login(page, "pustu_a")
    child = village["children"][0]
    page.goto(f"/#/person/{child['_id']}")
    expect(page.get_by_role("heading", name=child["name"])).to_be_visible()
    expect(page.get_by_test_id("due-list")).to_be_visible()
    # BB/U, PB/U-TB/U and BB/PB-BB/TB (no head circumference was measured: no LK/U chart).
    expect(page.locator("svg.growth-chart")).to_have_count(3)
    expect(page.locator("svg.growth-chart circle.child-point").first).to_be_visible()
    expect(page.get_by_role("heading", name="Kartu imunisasi")).to_be_visible()
    shot(page, "person-child")
    page.get_by_role("link", name="Kunjungan baru").click()
    # Exact: until the visit form replaces the person page, its growth charts ("Berat badan
    # menurut umur …") also answer to "Berat badan".
    page.get_by_label("Berat badan", exact=True).fill("9,8")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("BB 9,8 kg")
    mother = village["mother"]
    page.goto(f"/#/person/{mother['_id']}")
    expect(page.get_by_role("heading", name="Kehamilan")).to_be_visible()
    expect(page.get_by_text("Usia kehamilan")).to_be_visible()
    shot(page, "person-pregnant")


def test_registration_validates_and_keeps_typed_input_across_reload_and_lock(page, e2e_app):
    login(page, "kader_a")
    page.get_by_role("link", name="Warga", exact=True).click()
    page.get_by_role("link", name="Daftar warga baru").click()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text("Periksa isian berikut")
    expect(page.get_by_text("Wajib diisi.").first).to_be_visible()
    shot(page, "register-errors")
    page.get_by_label("Nama lengkap").fill("Wulan Sari")
    page.get_by_label("NIK").fill("320419")
    page.reload()
    expect(page.get_by_label("Nama lengkap")).to_have_value("Wulan Sari")
    page.get_by_role("button", name="Kunci").click()
    page.get_by_label("PIN").fill("246810")
    page.get_by_role("button", name="Buka", exact=True).click()
    expect(page.get_by_label("NIK")).to_have_value("320419")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("NIK harus 16 angka.").first).to_be_visible()
    # A NIK whose date disagrees with the birth date warns and still saves (docs/domain.md §10).
    page.get_by_label("NIK").fill("3204195501950003")
    page.get_by_label("Perempuan", exact=True).check()
    page.get_by_label("Tanggal lahir", exact=True).fill("1994-03-12")
    page.get_by_label("Keluarga baru").check()
    page.get_by_label("Nama kepala keluarga").fill("Wulan Sari")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status").filter(has_text="NIK")).to_contain_text(
        "NIK tidak cocok dengan tanggal lahir")
    shot(page, "register-nik-warning")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Wulan Sari")).to_be_visible()
    page.get_by_role("link", name="Warga", exact=True).click()
    page.get_by_role("link", name="Daftar warga baru").click()
    expect(page.get_by_label("Nama lengkap")).to_have_value("")  # saved: the draft is gone
    wait_synced(page)
    rows = server_rows(e2e_app, sa.select(persons.c.nik).where(persons.c.name == "Wulan Sari"))
    assert [row.nik for row in rows] == ["3204195501950003"]


def test_screening_scores_as_answered_and_is_saved_as_an_encounter(page, village, e2e_app):
    login(page, "kader_a")
    elder = next(p for p in village["persons"] if p["name"].startswith("Mbah"))
    page.goto(f"/#/person/{elder['_id']}/screening/aks")
    result = page.get_by_test_id("screening-result")
    expect(result).to_contain_text("Terjawab 0 dari 10")
    for fieldset in page.locator("fieldset.field").all():
        fieldset.locator("input[type=radio]").last.check()
    expect(result).to_contain_text("Skor: 20")
    expect(result).to_contain_text("Mandiri (A)")
    shot(page, "screening-aks")
    page.get_by_role("button", name="Simpan hasil skrining").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("AKS: mandiri (A) (skor 20)")
    wait_synced(page)
    rows = server_rows(e2e_app, sa.select(screenings.c.score, screenings.c.result)
                       .join(encounters, encounters.c.id == screenings.c.encounter_id)
                       .where(encounters.c.person_id == elder["_id"],
                              screenings.c.instrument == "aks"))
    assert [(row.score, row.result) for row in rows] == [(20, "mandiri")]


def test_pustu_records_task_outcome_which_reaches_the_server(page, village, e2e_app):
    login(page, "pustu_a")
    page.get_by_role("link", name="Tugas", exact=True).click()
    tabs = page.get_by_role("navigation", name="Status tugas")
    tabs.get_by_role("link", name=re.compile("Terlambat")).click()
    # The village's overdue task (other tests of the session add their own tasks).
    page.get_by_test_id("task-list").get_by_role("link").filter(
        has_text=village["task"]["reason"]).click()
    page.get_by_label("Selesai", exact=True).check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tulis hasilnya sebelum menandai selesai.").first).to_be_visible()
    page.get_by_label("Hasil tindak lanjut").fill("Sudah dikunjungi, DPT-HB-Hib 1 diberikan.")
    page.get_by_label("Datang dan dilayani").check()
    shot(page, "task-outcome")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Tugas Pustu")).to_be_visible()
    wait_synced(page)
    [row] = server_rows(e2e_app, sa.select(tasks.c.status, tasks.c.outcome, tasks.c.done_at)
                        .where(tasks.c.id == village["task"]["_id"]))
    assert row.status == "done" and row.outcome.startswith("Sudah dikunjungi") and row.done_at


def test_refused_document_is_listed_with_its_reason(page):
    login(page, "kader_a")
    # A record for a desa outside kader_a's area, as a tablet whose user was moved would hold.
    import_app_module(page, "db.js", "create", "person", factories.DESA_B,
                      {"name": "Dokumen Luar Wilayah", "sex": "P", "birth_date": "1990-01-01"})
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text("1 ditolak")
    indicator.click()
    refused = page.get_by_test_id("refused-list")
    expect(refused).to_contain_text("Dokumen Luar Wilayah")
    expect(refused).to_contain_text("Data ini di luar wilayah kerja Anda.")
    expect(refused).to_contain_text("outside your area")
    shot(page, "sync-refused")
    refused.get_by_role("button", name="Hapus dari perangkat").click()
    page.get_by_role("dialog").get_by_role("button", name="Hapus dari perangkat").click()
    expect(page.get_by_text("Tidak ada data yang ditolak.")).to_be_visible()
    expect(indicator).to_have_text("Terbaru")


def test_person_moved_out_of_the_area_is_purged_from_the_device(page, village, e2e_app):
    login(page, "kader_a")
    moved = village["persons"][-4]
    admin = Login(e2e_app, "admin")
    current = admin.get(f"/api/v1/persons/{moved['_id']}").json
    response = admin.patch(f"/api/v1/persons/{moved['_id']}",
                           json={"_rev": current["_rev"], "desa": factories.DESA_B,
                                 "household": None})  # she leaves her desa-A household
    assert response.status_code == 200, response.json
    page.get_by_role("link", name="Sinkron", exact=True).click()
    page.get_by_role("button", name="Sinkron sekarang").click()
    expect(page.get_by_text("Warga pindah dari desa Cikalong")).to_be_visible()
    assert import_app_module(page, "app.js", "canWrite", "person")  # the app is still in use
    left = page.evaluate("""async (id) => {
        const version = document.documentElement.dataset.version;
        const { db } = await import(`/app/${version}/js/db.js`);
        return db().get(id).then(() => 'still there', (error) => error.status);
    }""", moved["_id"])
    assert left == 404
    page.get_by_role("link", name="Warga", exact=True).click()
    page.get_by_label("Cari nama, NIK atau no. KK").fill(moved["name"])
    expect(page.get_by_test_id("search-results")).to_contain_text("Tidak ditemukan")


def test_logout_warns_about_unsynced_documents_and_wipes_the_device(page, context):
    login(page, "kader_a")
    context.set_offline(True)
    page.get_by_role("link", name="Warga", exact=True).click()
    page.get_by_role("link", name="Daftar warga baru").click()
    page.get_by_label("Nama lengkap").fill("Belum Terkirim")
    page.get_by_label("Laki-laki", exact=True).check()
    page.get_by_label("Atau umur (tahun)").fill("40")
    page.get_by_label("Keluarga baru").check()
    page.get_by_label("Nama kepala keluarga").fill("Belum Terkirim")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("2 menunggu")
    page.get_by_role("link", name="Warga", exact=True).click()
    page.get_by_role("link", name="Daftar warga baru").click()
    page.get_by_label("Nama lengkap").fill("Draf yang belum disimpan")
    page.get_by_role("link", name="Pengaturan").click()
    page.get_by_role("button", name="Keluar dan hapus data perangkat").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("2 data belum terkirim")
    shot(page, "logout-warning")
    dialog.get_by_role("button", name="Batal").click()
    expect(page.get_by_role("heading", name="Pengaturan")).to_be_visible()
    page.get_by_role("button", name="Keluar dan hapus data perangkat").click()
    page.get_by_role("dialog").get_by_role("button", name="Hapus data dan keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke Siklus")).to_be_visible()
    names = page.evaluate("async () => (await indexedDB.databases()).map((db) => db.name)")
    assert not [name for name in names if "kader_a" in name]
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('draft'))") == []
    assert page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open('siklus-device');
        open.onsuccess = () => {
            const read = open.result.transaction('kv').objectStore('kv').count();
            read.onsuccess = () => resolve(read.result);
        };
    })""") == 0


def test_search_key_folds_names_exactly_as_the_server_does(page):
    page.goto("/")
    names = ["Djoko Soesilo", "  Siti   Nur'aini ", "Tjahjo Kumolo", "Ñoño Éclair",
             "Sjamsul Chairul", "Nyoman-Agung", "Oemar Bakri 2"]
    keys = [import_app_module(page, "search.js", "nameKey", name) for name in names]
    assert keys == [name_key(name) for name in names]


def test_puskesmas_admin_reviews_records_and_conflicts(page):
    # Staff accounts moved from this read-only tab to the admin screens (tests/e2e/test_admin.py).
    login(page, "admin")
    page.get_by_role("link", name="Tinjauan", exact=True).click()
    expect(page.get_by_test_id("review-queue")).to_contain_text("Belum ditinjau")
    page.get_by_role("link", name="Konflik").click()
    expect(page.get_by_test_id("review-conflicts")).to_contain_text("Konflik terbuka")
    shot(page, "review-conflicts")
