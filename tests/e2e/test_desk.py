"""Desk mode: a Kepala Puskesmas works online against the API and the browser holds no
replicated kecamatan; a Pustu tablet still replicates its desa."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction
from backend.projections.tables import persons, tasks
from backend.sync import reads
from backend.writes import save_docs
from tests import factories as f
from tests.e2e.conftest import login, wait_synced

pytestmark = pytest.mark.slow

SHOTS = Path(os.environ.get("DESK_SHOTS", "/tmp/h5-shots"))
WIDTHS = {"phone": 360, "tablet": 1280, "desk": 1440}


def local_doc_count(page: Page) -> int:
    """Documents in the app's own PouchDB (IndexedDB) for the logged-in user."""
    return page.evaluate("""async () => {
        const version = document.documentElement.dataset.version;
        const db = await import(`/app/${version}/js/db.js`);
        return (await db.db().info()).doc_count;
    }""")


def shots(page: Page, name: str) -> None:
    """The current screen at a phone's, a tablet's and a desk monitor's width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture(scope="module")
def mekarjaya(e2e_app) -> dict:
    """A family in desa B (Mekarjaya), outside the e2e village of desa A: a baby weighed
    last month and its mother."""
    today = dt.date.today()
    household = f.household(f.DESA_B, head_name="Ujang Sutisna", rt="003", rw="001")
    baby = f.person(f.DESA_B, name="Nining Sutisna", sex="P", household=household["_id"],
                    birth_date=(today - dt.timedelta(days=150)).isoformat(), relation="anak")
    mother = f.person(f.DESA_B, name="Euis Sutisna", household=household["_id"],
                      relation="istri")
    visit = f.encounter(baby, date=(today - dt.timedelta(days=30)).isoformat(),
                        measurements={"weight_kg": 6.4, "height_cm": 62.0})
    with e2e_app.app_context():
        results = save_docs([household, baby, mother, visit], None)
    assert all(r.get("ok") for r in results), results
    return {"household": household, "baby": baby, "mother": mother}


def test_kapus_finds_opens_and_sends_a_task_without_replicating(page, context, village,
                                                                 mekarjaya, e2e_app):
    login(page, "kapus")
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_have_text("Online")
    expect(page.get_by_test_id("desk-notice")).to_be_visible()
    expect(page.get_by_test_id("tile-tasks")).to_contain_text(re.compile(r"\d+ terbuka"))
    assert local_doc_count(page) == 0  # 48 persons of desa A and desa B stay on the server
    shots(page, "home")

    page.get_by_role("link", name="Warga", exact=True).click()
    page.get_by_label("Cari nama, NIK atau no. KK").fill("nining")
    result = page.get_by_test_id("search-results").get_by_role("link", name=re.compile("Nining"))
    expect(result).to_contain_text("Mekarjaya")
    shots(page, "search")
    result.click()

    baby = mekarjaya["baby"]
    expect(page.get_by_role("heading", name="Nining Sutisna")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("6,4 kg")
    expect(page.get_by_test_id("due-list")).to_be_visible()
    expect(page.locator("svg.growth-chart")).to_have_count(3)  # BB/U, PB/TB/U, BB/PB-BB/TB
    shots(page, "person")
    page.get_by_role("link", name="Keluarga Ujang Sutisna").click()
    expect(page.get_by_role("heading", name="Keluarga Ujang Sutisna")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Euis Sutisna"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Nining Sutisna")).click()
    expect(page.get_by_role("heading", name="Nining Sutisna")).to_be_visible()

    page.get_by_role("link", name="Buat tugas tindak lanjut").click()
    page.get_by_label("Alasan").fill("Timbang ulang: berat tidak naik")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Nining Sutisna")).to_be_visible()
    expect(page.get_by_role("link", name="Timbang ulang: berat tidak naik")).to_be_visible()
    wait_synced(page)
    expect(indicator).to_have_text("Online")
    [row] = _rows(e2e_app, sa.select(tasks.c.desa, tasks.c.status)
                  .where(tasks.c.person_id == baby["_id"]))
    assert (row.desa, row.status) == (f.DESA_B, "open")  # the Mekarjaya Pustu receives it
    assert local_doc_count(page) == 1  # only what this desk wrote

    page.get_by_role("link", name="Tugas", exact=True).click()
    tabs = page.get_by_role("navigation", name="Status tugas")
    tabs.get_by_role("link", name="Belum dikerjakan").click()
    expect(page.get_by_test_id("task-list")).to_contain_text("Timbang ulang")
    shots(page, "tasks")


def test_desk_says_where_tablet_screens_are_and_when_it_is_offline(page, context, mekarjaya):
    login(page, "klaster2")
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav.get_by_role("link", name="Posyandu")).to_have_count(0)
    expect(nav.get_by_role("link", name="Jatuh tempo")).to_have_count(0)
    page.goto("/#/due")
    expect(page.get_by_test_id("desk-tablet-only")).to_contain_text("tablet Pustu")
    shots(page, "due-at-desk")
    context.set_offline(True)
    page.goto(f"/#/person/{mekarjaya['mother']['_id']}")
    expect(page.get_by_test_id("desk-offline")).to_contain_text("server belum bisa dihubungi")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Offline — perlu koneksi")
    shots(page, "offline")
    context.set_offline(False)
    page.get_by_role("button", name="Coba lagi").click()
    expect(page.get_by_role("heading", name="Euis Sutisna")).to_be_visible()
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Online")


def test_desk_edit_of_a_server_record_arrives_as_its_next_revision(page, mekarjaya, e2e_app):
    """The record is copied with its history before the edit, so the push is an ordinary
    child revision: no conflict for the server to merge."""
    login(page, "klaster2")
    mother = mekarjaya["mother"]
    page.goto(f"/#/person/{mother['_id']}")
    page.get_by_role("link", name="Ubah").click()
    page.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Euis Sutisna")).to_be_visible()
    wait_synced(page)
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Online")
    [row] = _rows(e2e_app, sa.select(persons.c.phone).where(persons.c.id == mother["_id"]))
    assert row.phone == "081234567890"
    with e2e_app.app_context(), read_transaction() as conn:
        doc = reads.get_doc(conn, mother["_id"], None, reads.ReadOptions(conflicts=True))
    assert doc["_rev"].startswith("2-") and "_conflicts" not in doc


def test_pustu_tablet_still_replicates_its_desa(page, village):
    login(page, "pustu_a")
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Terbaru")
    assert local_doc_count(page) >= len(village["persons"])


def _rows(app, statement):
    with app.app_context(), read_transaction() as conn:
        return conn.execute(statement).all()
