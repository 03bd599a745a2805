"""The findings component in the Pustu visit form: a bidan's visit of a woman 21 weeks pregnant
and of a hypertensive, hyperglycaemic man shows every finding and the follow-up it leads to as
the values are typed, at phone and tablet width, offline; unscheduled ANC links the pregnancy;
diagnoses are chosen by name; a visit saved twice is refused."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction, write_transaction
from backend.projections.tables import diagnoses, encounters
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    SCREENSHOTS,
    SYNC_TIMEOUT_MS,
    enter_high_pressure_and_glucose,
    login,
    shot,
    wait_synced,
)
from tests.e2e.test_posyandu_phone import register

pytestmark = pytest.mark.slow

# Overflow and touch targets of the visible controls (docs/pwa.md "Accessibility and layout").
LAYOUT = """() => {
  const wide = document.scrollingElement.scrollWidth > window.innerWidth;
  const controls = 'main button, main a.button, main input:not([type=hidden]), main select';
  const small = [...document.querySelectorAll(controls)]
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.height < 44 && !['checkbox', 'radio'].includes(el.type))
    .map(([el, box]) => `${el.tagName} ${el.name || el.textContent.trim()} ${box.height}`);
  // A table that scrolls sideways inside the findings hides what a finding means.
  const clipped = [...document.querySelectorAll('[data-testid=findings-panel] .table-wrap')]
    .some((el) => el.scrollWidth > el.clientWidth);
  return { wide, small, clipped };
}"""


# One family per screen width, so each run records on people of its own.
FAMILIES = {360: ("Rahayu Kartika", "Darman Sulaiman"), 1280: ("Ratna Kusuma", "Wawan Hermawan")}


@pytest.fixture
def people(e2e_app, sized) -> dict:
    """A woman 21 weeks pregnant on the e2e day and a man of 54, in the village's desa A."""
    today = dt.date.today()
    woman_name, man_name = FAMILIES[sized[2]]
    home = f.household(f.DESA_A, head_name=man_name, rt="003", rw="001")
    woman = f.person(f.DESA_A, name=woman_name, sex="P", birth_date="1999-04-12",
                     household=home["_id"], relation="istri")
    man = f.person(f.DESA_A, name=man_name, sex="L", birth_date="1972-02-03",
                   household=home["_id"], relation="kepala")
    pregnancy = f.pregnancy(woman, hpht=(today - dt.timedelta(days=147)).isoformat(),
                            gravida=1, para=0)
    with e2e_app.app_context(), write_transaction() as conn:
        results = write_docs(conn, [home, woman, man, pregnancy], None)
    assert all(r.get("ok") for r in results), results
    return {"woman": woman, "man": man, "pregnancy": pregnancy}


@pytest.fixture(params=[360, 1280], ids=["phone360", "tablet1280"])
def sized(request, browser, server):
    width = request.param
    ctx = browser.new_context(base_url=server, viewport={"width": width, "height": 900},
                              locale="id-ID", timezone_id="Asia/Jakarta", is_mobile=width < 600,
                              has_touch=width < 600)
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text)
            if "i18n" in msg.text or "Content Security Policy" in msg.text else None)
    yield ctx, page, width
    ctx.close()
    assert not errors, f"errors in the page: {errors}"


def check_layout(page: Page, name: str) -> None:
    found = page.evaluate(LAYOUT)
    assert found == {"wide": False, "small": [], "clipped": False}, f"{name}: {found}"


def go(page: Page, hash_: str) -> None:
    """A route of the app, without a page load (offline, the shell stays as it is)."""
    page.evaluate("(hash) => { location.hash = hash; }", hash_)


def open_visit(page: Page, person: dict) -> None:
    go(page, f"#/person/{person['_id']}/visit")
    expect(page.get_by_role("heading", name="Kunjungan baru")).to_be_visible()


def server_rows(app, statement):
    with app.app_context(), read_transaction() as conn:
        return conn.execute(statement).all()


def poll(read, seconds: float = SYNC_TIMEOUT_MS / 1000):
    """`read()` once it returns something: the push after reconnecting takes its time."""
    deadline = time.monotonic() + seconds
    while not (found := read()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def panel_shot(page: Page, name: str) -> None:
    """The findings component alone, readable at its real size."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("findings-panel").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def shots(page: Page, name: str, width: int) -> None:
    """Layout checked and screenshots taken at `width` (and at 412 px after a phone's 360)."""
    for size in (width, 412) if width == 360 else (width,):
        page.set_viewport_size({"width": size, "height": 900})
        # Centred, so the sticky header does not cover the panel's title in its picture.
        panel = page.get_by_test_id("findings-panel")
        panel.evaluate("(el) => el.scrollIntoView({block: 'center'})")
        check_layout(page, f"visit-{name}-{size}")
        shot(page, f"forms-visit-{name}-{size}")
        panel_shot(page, f"forms-panel-{name}-{size}")


def choose_pregnancy_diagnoses(page: Page) -> None:
    """By name, never by a typed code; an unknown code says so in Indonesian."""
    search = page.get_by_label("Cari diagnosis (nama penyakit atau kode ICD-10)")
    search.fill("X99.9")
    search.press("Enter")
    expect(page.get_by_text("Kode X99.9 tidak ada dalam daftar ICD-10 Puskesmas")).to_be_visible()
    search.fill("anemia hamil")
    page.get_by_role("button", name="O99.0 Anemia dalam kehamilan").click()
    search.fill("preeklampsia")
    page.get_by_role("button", name="O14.9 Preeklampsia").click()
    chosen = page.get_by_test_id("diagnoses-chosen")
    expect(chosen).to_contain_text("O99.0 Anemia dalam kehamilan")
    expect(chosen).to_contain_text("O14.9 Preeklampsia")


def test_bidan_visit_of_a_21_week_pregnant_woman_shows_three_findings_and_the_referral(
        sized, people, e2e_app):
    context, page, width = sized
    login(page, "pustu_a")
    context.set_offline(True)  # a home visit or a Pustu without signal
    woman = people["woman"]
    open_visit(page, woman)
    page.get_by_label("Tekanan darah sistolik").fill("150")
    page.get_by_label("Tekanan darah diastolik").fill("100")
    page.get_by_label("Lingkar lengan atas (LiLA)").fill("22,5")
    page.get_by_label("Hemoglobin (Hb)").fill("9,5")
    panel = page.get_by_test_id("findings-panel")
    for text in ("Hipertensi derajat 2", "Kurang energi kronis (KEK)", "Anemia sedang",
                 "150/100 mmHg", "22,5 cm", "9,5 g/dL"):
        expect(panel).to_contain_text(text)
    followups = page.get_by_test_id("followups")
    expect(followups).to_contain_text("Rujukan ke Puskesmas klaster 2 hari ini: ")
    expect(followups.locator("li[data-urgent=true]")).not_to_have_count(0)
    expect(page.get_by_test_id("refer-suggestion")).to_contain_text("Disarankan rujuk ke Puskesmas")
    refer = page.get_by_label("Rujuk", exact=True)
    expect(refer).to_be_checked()
    expect(page.get_by_label("Dirujuk ke")).to_have_value("Puskesmas")
    # A typo corrected: the suggested referral goes away with the finding, and comes back.
    page.get_by_label("Tekanan darah sistolik").fill("118")
    page.get_by_label("Tekanan darah diastolik").fill("78")
    expect(refer).not_to_be_checked()
    expect(page.get_by_test_id("refer-suggestion")).to_be_hidden()
    page.get_by_label("Tekanan darah sistolik").fill("150")
    page.get_by_label("Tekanan darah diastolik").fill("100")
    expect(refer).to_be_checked()
    # Unscheduled ANC: no K contact needs to be due.
    expect(page.get_by_text("Usia kehamilan 21 minggu 0 hari")).to_be_visible()
    page.get_by_label("Catat sebagai pemeriksaan kehamilan (ANC)").check()
    choose_pregnancy_diagnoses(page)
    page.get_by_label("Alasan rujukan").fill("TD 150/100 pada usia kehamilan 21 minggu")
    shots(page, "pregnant", width)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("heading", name=woman["name"])).to_be_visible()
    expect(page.get_by_test_id("sync-indicator")).to_contain_text("menunggu")
    context.set_offline(False)
    wait_synced(page)
    query = (sa.select(encounters.c.id, encounters.c.pregnancy_id, encounters.c.referral_to)
             .where(encounters.c.person_id == woman["_id"], encounters.c.setting == "pustu"))
    rows = poll(lambda: server_rows(e2e_app, query))
    assert len(rows) == 1, rows
    assert rows[0].pregnancy_id == people["pregnancy"]["_id"]
    assert rows[0].referral_to == "Puskesmas"
    codes = server_rows(e2e_app, sa.select(diagnoses.c.icd10)
                        .where(diagnoses.c.encounter_id == rows[0].id))
    assert sorted(row.icd10 for row in codes) == ["O14.9", "O99.0"]


def test_visit_of_a_man_with_td_168_98_and_gds_215_shows_both_tasks_and_is_saved_once(
        sized, people):
    _, page, width = sized
    login(page, "pustu_a")
    man = people["man"]
    open_visit(page, man)
    page.get_by_label("Tempat layanan").select_option("home")

    enter_high_pressure_and_glucose(page)
    panel = page.get_by_test_id("findings-panel")
    expect(panel).to_contain_text("Hipertensi derajat 2")
    expect(panel).to_contain_text("215 mg/dL")
    followups = page.get_by_test_id("followups")
    for reason in ("Tekanan darah tinggi", "Gula darah tinggi"):
        line = f"Tugas tindak lanjut untuk Pustu: {reason}, dalam 7 hari"
        expect(followups).to_contain_text(line)
    # For the bidan these are her own Pustu's tasks, not a referral.
    expect(page.get_by_label("Rujuk", exact=True)).not_to_be_checked()
    expect(page.get_by_test_id("refer-suggestion")).to_be_hidden()
    search = page.get_by_label("Cari diagnosis (nama penyakit atau kode ICD-10)")
    search.fill("darah tinggi")
    option = page.get_by_role("button", name="I10 Hipertensi esensial")
    expect(option).to_be_visible()
    picture = SCREENSHOTS / f"forms-icd10-search-{width}.png"
    page.locator(".icd10-picker").screenshot(path=str(picture))
    option.click()
    shots(page, "man", width)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("heading", name=man["name"])).to_be_visible()
    # The same visit again (the back button, a second tablet tap): refused, not stored twice.
    open_visit(page, man)
    page.get_by_label("Tempat layanan").select_option("home")
    enter_high_pressure_and_glucose(page)
    search.fill("I10")
    search.press("Enter")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Kunjungan yang sama sudah tersimpan")
    shot(page, f"forms-visit-duplicate-{width}")
    stored = page.evaluate("""(id) => import(
        `/app/${document.documentElement.dataset.version}/js/app.js`,
    ).then(({ app }) => app.records.encounters(id).length)""", man["_id"])
    assert stored == 1


@pytest.fixture
def phone(browser, server):
    ctx = browser.new_context(base_url=server, viewport={"width": 360, "height": 800},
                              locale="id-ID", timezone_id="Asia/Jakarta", is_mobile=True,
                              has_touch=True)
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    yield ctx, ctx.new_page()
    ctx.close()


@pytest.fixture
def visitor(e2e_app) -> dict:
    """A man of 54 who comes to the Posyandu."""
    home = f.household(f.DESA_A, head_name="Sutrisno Hadi", rt="002", rw="001")
    man = f.person(f.DESA_A, name="Sutrisno Hadi", sex="L", birth_date="1972-06-09",
                   household=home["_id"], relation="kepala")
    with e2e_app.app_context(), write_transaction() as conn:
        results = write_docs(conn, [home, man], None)
    assert all(r.get("ok") for r in results), results
    return man


def test_kader_sees_the_findings_live_at_ukur_and_as_the_record_at_catat(phone, visitor):
    context, page = phone
    login(page, "kader_a")
    context.set_offline(True)
    go(page, "#/posyandu")
    page.get_by_role("combobox", name="Posyandu").select_option(label="Posyandu Melati")
    page.get_by_role("button", name="Buka sesi").click()
    page.wait_for_url(re.compile(r"#/posyandu/posyandu_session:[^/]+/daftar$"))
    session = page.evaluate("location.hash").split("/")[2]
    register(page, visitor["name"])
    go(page, f"#/posyandu/{session}/ukur/{visitor['_id']}")
    enter_high_pressure_and_glucose(page)
    panel = page.get_by_test_id("findings-panel")
    expect(panel).to_contain_text("Hipertensi derajat 2")
    expect(page.get_by_test_id("followups")).to_contain_text(
        "Tugas tindak lanjut untuk Pustu: Gula darah tinggi, dalam 7 hari")
    shots(page, "posyandu-ukur", 360)
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "forms-visit-posyandu-ukur-1280")
    before = page.url
    page.get_by_role("button", name="Simpan & berikutnya").click()
    # The app moves on once the table's save has landed; only then is catat opened.
    page.wait_for_function("(before) => location.href !== before", arg=before)
    go(page, f"#/posyandu/{session}/catat/{visitor['_id']}")
    page.locator(f'[data-testid="form-catat"][data-person="{visitor["_id"]}"]').wait_for()
    expect(panel).to_contain_text("168/98 mmHg")
    expect(page.get_by_test_id("followups")).to_contain_text(
        "Tugas tindak lanjut untuk Pustu: Tekanan darah tinggi, dalam 7 hari")
    shots(page, "posyandu-catat", 1280)
    page.set_viewport_size({"width": 360, "height": 800})
    shots(page, "posyandu-catat", 360)
    # The same screening twice on one day: the second is refused, nothing stored twice.
    for attempt in range(2):
        go(page, f"#/person/{visitor['_id']}/screening/aks")
        expect(page.get_by_test_id("screening-result")).to_contain_text("Terjawab 0 dari 10")
        for fieldset in page.locator("fieldset.field").all():
            fieldset.locator("input[type=radio]").first.check()
        expect(page.get_by_test_id("screening-followups")).to_contain_text("Tugas tindak lanjut")
        page.get_by_role("button", name="Simpan hasil skrining").click()
        if attempt == 0:
            expect(page.get_by_role("heading", name=visitor["name"])).to_be_visible()
        else:
            expect(page.get_by_test_id("screening-recorded")).to_contain_text("sudah tercatat")
    expect(page.get_by_role("alert")).to_contain_text("sudah tercatat untuk warga ini")
    shot(page, "forms-screening-duplicate-360")
