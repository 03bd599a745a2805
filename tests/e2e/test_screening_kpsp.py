"""KPSP in the browser: the form of the child's age is asked (its official questions, its
domains), scored and saved offline, reaches the server; a child without a form is refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.clinical import default_config
from backend.clinical.dates import add_months
from backend.db import read_transaction, write_transaction
from backend.projections.tables import encounters, screenings
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import SYNC_TIMEOUT_MS, login, shot, wait_synced

pytestmark = pytest.mark.slow

SHOTS = Path("/tmp/shots/instruments")
WIDTHS = (360, 412, 1280)


@pytest.fixture(scope="module")
def kids(e2e_app) -> dict:
    """A toddler of 25 months and 5 days (KPSP 24 bulan) and a baby of 40 days (no form)."""
    today = dt.date.today()
    toddler = f.person(name="Raka Pratama", sex="L",
                       birth_date=(add_months(today, -25) - dt.timedelta(days=5)).isoformat())
    baby = f.person(name="Nayla Putri", sex="P",
                    birth_date=(today - dt.timedelta(days=40)).isoformat())
    with e2e_app.app_context(), write_transaction() as conn:
        assert all(r.get("ok") for r in write_docs(conn, [toddler, baby], None))
    return {"toddler": toddler, "baby": baby}


def _shots(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}-screen.png"))   # what the eye sees
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map((el) => `${el.tagName}.${el.className}: ${el.textContent.slice(0, 40)}`)""")
        assert wide == [], f"{name} at {width} px: wider than the screen: {wide}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_kpsp_asks_the_form_of_the_childs_age_offline_and_saves_it(page, context, kids, e2e_app):
    login(page, "kader_a")
    context.set_offline(True)   # a kader at a Posyandu without signal
    toddler = kids["toddler"]
    page.goto(f"/#/person/{toddler['_id']}/screening/kpsp")
    expect(page.get_by_test_id("screening-form-age")).to_have_text(
        "Formulir KPSP 24 bulan (umur anak 25 bulan)")
    form24 = next(form for form in default_config()["instruments"]["instruments"]["kpsp"]["forms"]
                  if form["months"] == 24)
    legends = page.locator("fieldset.field legend")
    expect(legends).to_have_count(10)
    first = " ".join(form24["items"][0]["text"].split())
    expect(legends.first).to_contain_text(f"1. {first}")
    expect(page.locator("fieldset.field").first.locator(".hint")).to_have_text("Gerak halus")
    result = page.get_by_test_id("screening-result")
    for index, fieldset in enumerate(page.locator("fieldset.field").all()):
        fieldset.locator("input[type=radio]").nth(1 if index in (3, 7) else 0).check()
    expect(result).to_contain_text("Skor: 8")
    expect(result).to_contain_text("Meragukan")
    expect(result).to_contain_text("Aspek yang belum dicapai (beri stimulasi): Gerak kasar, "
                                   "Bicara dan bahasa")
    _shots(page, "kpsp-24-bulan")
    page.get_by_role("button", name="Simpan hasil skrining").click()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_contain_text(re.compile(r"\d+ menunggu"))   # saved on the device
    context.set_offline(False)
    wait_synced(page)
    expect(indicator).to_have_text("Terbaru", timeout=SYNC_TIMEOUT_MS)
    with e2e_app.app_context(), read_transaction() as conn:
        rows = conn.execute(sa.select(screenings.c.score, screenings.c.result)
                            .join(encounters, encounters.c.id == screenings.c.encounter_id)
                            .where(encounters.c.person_id == toddler["_id"],
                                   screenings.c.instrument == "kpsp")).all()
    assert [(row.score, row.result) for row in rows] == [(8, "meragukan")]


def test_kpsp_for_a_baby_under_three_months_is_refused_and_nothing_saved(page, kids):
    login(page, "kader_a")
    page.goto(f"/#/person/{kids['baby']['_id']}/screening/kpsp")
    refused = page.get_by_test_id("screening-refused")
    expect(refused).to_have_text("Tidak ada formulir KPSP untuk umur anak ini: KPSP dipakai pada "
                                 "umur 3 sampai 72 bulan. Tidak ada yang disimpan.")
    expect(page.get_by_role("button", name="Simpan hasil skrining")).to_have_count(0)
    _shots(page, "kpsp-ditolak")
    shot(page, "kpsp-refused")


def test_skilas_asks_the_kemenkes_wording_and_names_domains_in_words(page, village):
    login(page, "kader_a")
    elder = next(p for p in village["persons"] if p["name"].startswith("Mbah"))
    page.goto(f"/#/person/{elder['_id']}/screening/skilas")
    expect(page.locator("fieldset.field legend").first).to_contain_text(
        "Mengingat tiga kata: bunga, pintu, nasi (sebagai contoh).")
    expect(page.locator("fieldset.field legend").first).to_contain_text(
        "Kedua pertanyaan dijawab benar?")
    fieldsets = page.locator("fieldset.field")
    finger = fieldsets.filter(has_text="hitung jari benar")
    for index in range(fieldsets.count()):
        if fieldsets.nth(index).is_visible():   # "Ya" to every question the form asks
            fieldsets.nth(index).locator("input[type=radio]").first.check()
    expect(finger).to_be_hidden()   # an eye problem: the form skips the finger count
    skilas = default_config()["instruments"]["instruments"]["skilas"]
    found = [d["label"] for d in skilas["domains"] if any(i["positive"] for i in d["items"])]
    result = page.get_by_test_id("screening-result")
    expect(result).to_contain_text(f"Domain bermasalah: {', '.join(found)}")
    _shots(page, "skilas")
    fieldsets.filter(has_text="masalah pada mata").get_by_text("Tidak", exact=True).click()
    expect(finger).to_be_visible()
    expect(result).to_contain_text("Terjawab 10 dari 11")
