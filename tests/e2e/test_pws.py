"""PWS in Chromium against the real server (no mocked API): the kapus reads the graph, the
status grid, a desa's trend and morbidity at a desk (1440 and 1280 px); the Pustu midwife
sees her own desa on a 360 px phone; dinkes sees numbers and never a name; offline says so
instead of showing old numbers; and the loop — the kapus drills into a Jelek desa, creates
tasks for the Pustu, the desa's bidan syncs her tablet, closes one offline with its outcome,
syncs, and PWS shows the follow-up done."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction, write_transaction
from backend.projections.tables import duplicate_pairs, quality_flags, tasks
from backend.pws.months import current_month
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import SYNC_TIMEOUT_MS, TABLET, login
from tests.e2e.posyandu_phone import PHONES, assert_fits, snap
from tests.e2e.screens import audit
from tests.e2e.test_loop import device

pytestmark = pytest.mark.slow

DESK = {"width": 1440, "height": 900}
STATUS_WORD = re.compile(r"Baik|Kurang|Cukup|Jelek|Tanpa sasaran")
DENOMINATOR_WORDS = re.compile(
    r"sasaran resmi|perkiraan sasaran|warga terdaftar|balita yang diukur")
# What must never reach the eye: codes, ids, a JavaScript hole.
STATUS_WORDS = {"baik": "Baik", "kurang": "Kurang", "cukup": "Cukup", "jelek": "Jelek"}
LEAKS = re.compile(r"undefined|NaN|\bnull\b|pws:|person:|task:|" + f.DESA_A + "|" + f.DESA_B)


def go(page: Page, hash_: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", hash_)


def drawn(page: Page, testid: str) -> None:
    """The chart is on its canvas (Chart.js measured its box and drew)."""
    expect(page.get_by_test_id(testid)).to_have_attribute("data-ready", "true")


def no_leaks(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not LEAKS.search(text), LEAKS.search(text)


def local_month(page: Page, delta: int = 0) -> str:
    """This month (or `delta` months away) in the browser's zone; the screens open on
    `local_month(page, -1)`, the last complete month."""
    return page.evaluate("(delta) => { const d = new Date(); d.setDate(1);"
                         " d.setMonth(d.getMonth() + delta); return `${d.getFullYear()}-`"
                         " + String(d.getMonth() + 1).padStart(2, '0'); }", delta)


def shows_month(page: Page, month: str) -> None:
    """The screen is of `month`, and says "Bulan berjalan: angka belum lengkap" exactly
    when that is the current month."""
    expect(page.get_by_label("Bulan", exact=True)).to_have_value(month)
    running = page.get_by_test_id("pws-running-month")
    if month == local_month(page):
        expect(running).to_have_text(re.compile("^Bulan berjalan: angka belum lengkap"))
    else:
        expect(running).to_have_count(0)


def pick_month(page: Page, month: str) -> None:
    """The month picker moves the screen to `month`."""
    page.get_by_label("Bulan", exact=True).fill(month)
    page.wait_for_url(re.compile(f"month={month}"))
    shows_month(page, month)


def board(page: Page) -> dict:
    """The board the screens read, fetched with the page's own session."""
    response = page.request.get(f"/api/v1/pws/board?month={local_month(page)}")
    assert response.ok, response.text()
    return response.json()


def menu_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=name,
                                                                         exact=True)


def login_aggregate(page: Page, username: str) -> None:
    """Dinkes has no replication (aggregates only): log in and wait for the first screen."""
    page.goto("/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("rahasia-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Pakai kata sandi saja").click()
    page.get_by_role("navigation", name="Menu utama").wait_for()


@pytest.fixture(scope="module")
def sick_elders(e2e_app, village) -> list[dict]:
    """Two new cases at the Pustu today (DBD and ISPA), for morbidity; the lansia living
    alone, so no child's or mother's indicator moves."""
    elders = [p for p in village["persons"] if p["name"].startswith("Mbah")][:2]
    docs = [f.encounter(elder, setting="pustu", diagnoses=[{"icd10": code, "case": "baru"}])
            for elder, code in zip(elders, ("A90", "J06.9"), strict=True)]
    with e2e_app.app_context(), write_transaction() as conn:
        results = write_docs(conn, docs, None)
    assert all(r.get("ok") for r in results), results
    return docs


@pytest.fixture(params=[1440, 1280], ids=lambda width: f"{width}px")
def desk(request, browser, server):
    viewport = DESK if request.param == 1440 else TABLET
    context, page = device(browser, server, viewport, phone=False)
    page.width = request.param
    yield page
    context.close()


def first_row_is_the_server_cell(page: Page, month: str, indicator: str, desa: str) -> None:
    """The graph table's first row says what the server computed for that month: coverage and
    status (other tests of the shared village register children after the world weighed
    everyone, so the figure is not fixed)."""
    board = page.evaluate(
        "m => fetch(`/api/v1/pws/board?month=${m}`).then((r) => r.json())", month)
    cell = next(c for c in board["cells"] if c["indicator"] == indicator and c["desa"] == desa)
    row = page.get_by_test_id("pws-graph-table").locator("tbody tr").first
    expect(row).to_contain_text(f"{cell['coverage_cum']:g} %".replace(".", ","))
    expect(row).to_contain_text(STATUS_WORDS[cell["status"]])


def test_kapus_reads_graph_grid_trend_and_morbidity(desk, village, sick_elders):
    width = desk.width
    login(desk, "kapus")
    menu_link(desk, "PWS").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(re.compile("PWS"))
    drawn(desk, "pws-graph")
    table = desk.get_by_test_id("pws-graph-table")
    for name in ("Cikalong", "Mekarjaya", "Puskesmas"):
        expect(table).to_contain_text(name)
    expect(table.locator("tbody tr").first).to_contain_text(STATUS_WORD)
    expect(table).to_contain_text(DENOMINATOR_WORDS)
    # The last complete month by default: the running one would read "turun" everywhere.
    shows_month(desk, local_month(desk, -1))
    no_leaks(desk)
    audit(desk, f"pws-graph-{width}")
    # Another indicator: the graph follows the picker.
    desk.get_by_label("Indikator").select_option("ds")
    desk.wait_for_url(re.compile(r"indicator=ds"))
    drawn(desk, "pws-graph")
    expect(desk.get_by_role("heading", name="Balita ditimbang (D/S)", exact=False)).to_be_visible()

    desk.get_by_role("link", name="Status desa").click()
    grid = desk.get_by_test_id("pws-grid")
    expect(grid).to_contain_text("Klaster 2 (ibu dan anak)")
    expect(grid).to_contain_text("Klaster 3")
    expect(grid.locator("thead")).to_contain_text("Mekarjaya")
    # Colour never alone: every coloured cell carries its status word.
    for cell in grid.locator("td[data-status]").all()[:12]:
        expect(cell).to_contain_text(STATUS_WORD)
    no_leaks(desk)
    audit(desk, f"pws-grid-{width}")

    grid.locator('a[href*="#/pws/desa/"][href*="indicator=k1"]').first.click()
    expect(desk.get_by_test_id("pws-trend-title")).to_contain_text("Cikalong")
    drawn(desk, "pws-trend-chart")
    expect(desk.get_by_test_id("pws-trend-table").locator("tbody tr")).to_have_count(12)
    no_leaks(desk)
    audit(desk, f"pws-trend-{width}")

    desk.get_by_role("link", name="Kesakitan").click()
    expect(desk.get_by_role("heading", name="Kesakitan per desa")).to_be_visible()
    # Today's cases are this month's: the kapus picks the running month, and the screen says
    # its numbers are not complete yet.
    pick_month(desk, local_month(desk))
    drawn(desk, "pws-morbidity-chart")
    expect(desk.get_by_test_id("pws-morbidity-top")).to_contain_text("A90")
    watch = desk.get_by_test_id("pws-morbidity-watch")
    expect(watch.locator("tr", has_text="DBD").locator("td").first).not_to_have_text("0")
    expect(desk.get_by_role("heading", name="Kesakitan per desa")).to_be_visible()
    no_leaks(desk)
    audit(desk, f"pws-morbidity-{width}")
    # Last month, when the world weighed every child: the month picker moves the whole graph.
    last = local_month(desk, -1)
    desk.get_by_role("link", name="Grafik PWS").click()
    desk.get_by_label("Indikator").select_option("ds")
    desk.wait_for_url(re.compile(r"indicator=ds"))
    drawn(desk, "pws-graph")
    pick_month(desk, last)
    drawn(desk, "pws-graph")
    first_row_is_the_server_cell(desk, last, "ds", f.DESA_A)
    audit(desk, f"pws-graph-ds-last-month-{width}")


def test_pustu_on_her_phone_sees_her_desa_only(browser, server, village, sick_elders):
    context, phone = device(browser, server, PHONES[0], phone=True)
    try:
        login(phone, "pustu_a")
        phone.get_by_test_id("nav-more").click()
        menu_link(phone, "PWS").click()
        drawn(phone, "pws-graph")
        table = phone.get_by_test_id("pws-graph-table")
        expect(table).to_contain_text("Cikalong")
        expect(phone.locator("main")).not_to_contain_text("Mekarjaya")
        no_leaks(phone)
        assert_fits(phone, "pws-graph-pustu-360")
        phone.get_by_role("link", name="Status desa").click()
        grid = phone.get_by_test_id("pws-grid")
        expect(grid.locator("thead th")).to_have_count(2)   # the indicator and her desa
        assert_fits(phone, "pws-grid-pustu-360")
        grid.locator('a[href*="indicator=k1"]').first.click()
        drawn(phone, "pws-trend-chart")
        assert_fits(phone, "pws-trend-pustu-360")
        go(phone, f"#/pws/gaps/{f.DESA_A}?indicator=ds")
        expect(phone.get_by_test_id("pws-gaps-title")).to_contain_text("Cikalong")
        assert_fits(phone, "pws-gaps-pustu-360")
        phone.get_by_role("link", name="Kesakitan").click()
        expect(phone.get_by_role("heading", name="Kesakitan per desa")).to_be_visible()
        pick_month(phone, local_month(phone))      # today's cases
        drawn(phone, "pws-morbidity-chart")
        assert_fits(phone, "pws-morbidity-pustu-360")
        phone.get_by_role("link", name="Tindak lanjut").click()
        heading = re.compile("Tindak lanjut dari PWS")
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
        expect(phone.locator("main")).not_to_contain_text("Mekarjaya")
        assert_fits(phone, "pws-followup-pustu-360")
        # Another desa is not hers: the server answers 404 and the screen says so.
        go(phone, f"#/pws/desa/{f.DESA_B}?indicator=k1")
        expect(phone.get_by_test_id("pws-offline")).to_contain_text("di luar wilayah")
    finally:
        context.close()


def test_dinkes_sees_numbers_but_no_names(browser, server, village):
    context, page = device(browser, server, TABLET, phone=False)
    try:
        login_aggregate(page, "dinkes")
        go(page, "#/pws")
        drawn(page, "pws-graph")
        expect(page.get_by_test_id("pws-graph-table")).to_contain_text("Mekarjaya")
        expect(page.locator('main a[href*="#/pws/gaps/"]')).to_have_count(0)
        page.get_by_role("link", name="Status desa").click()
        page.get_by_test_id("pws-grid").locator('a[href*="#/pws/desa/"]').first.click()
        drawn(page, "pws-trend-chart")
        expect(page.get_by_role("link", name="Lihat siapa yang belum terlayani")).to_have_count(0)
        no_leaks(page)
        snap(page, "pws-trend-dinkes-1280")
        go(page, f"#/pws/gaps/{f.DESA_A}?indicator=ds")
        expect(page.get_by_role("heading", name="Hanya data agregat")).to_be_visible()
        month = local_month(page)
        response = page.request.get(f"/api/v1/pws/gaps?indicator=ds&desa={f.DESA_A}&month={month}")
        assert response.status == 403
    finally:
        context.close()


def test_offline_says_pws_needs_the_server(browser, server, village):
    context, page = device(browser, server, DESK, phone=False)
    try:
        login(page, "kapus")
        go(page, "#/pws/grid")
        expect(page.get_by_test_id("pws-grid")).to_be_visible()
        context.set_offline(True)
        # The open screen drops its numbers instead of passing them off as current.
        expect(page.get_by_test_id("pws-offline")).to_contain_text("memerlukan koneksi")
        expect(page.get_by_test_id("pws-grid")).to_have_count(0)
        snap(page, "pws-offline-1440")
        context.set_offline(False)
        expect(page.get_by_test_id("pws-grid")).to_be_visible()
    finally:
        context.close()


@pytest.fixture(scope="module")
def doubtful(e2e_app, village) -> str:
    """Last month in desa A: one visit with an open data-quality flag and one pair of possible
    duplicates, inserted into the review projections as the rules and the detection would.
    Returns the month."""
    with e2e_app.app_context():
        month = current_month().previous
        day = month.first_day.replace(day=15)
        a, b = sorted(p["_id"] for p in village["persons"][:2])
        with write_transaction() as conn:
            conn.execute(quality_flags.insert(), [{
                "doc_id": "encounter:e2e-tinggi-17", "doc_type": "encounter", "person_id": a,
                "desa": f.DESA_A, "date": day, "rule": "tb_tidak_wajar",
                "field": "measurements.height_cm", "detail": "Tinggi 17 cm tidak wajar"}])
            conn.execute(duplicate_pairs.insert(), [{
                "person_a": a, "person_b": b, "desa_a": f.DESA_A, "desa_b": f.DESA_A,
                "score": 0.9, "reasons": "no_kk,nama", "date": day}])
    return str(month)


def doubt_of(page: Page, month: str, desa: str) -> tuple[int, int]:
    """(records with open flags, possible duplicates) the board counts for `desa`."""
    response = page.request.get(f"/api/v1/pws/board?month={month}")
    assert response.ok, response.text()
    row = next(d for d in response.json()["doubt"]["desa"] if d["desa"] == desa)
    return row["open_flags"], row["duplicates"]


def test_pws_shows_what_is_not_reviewed_yet(browser, server, village, doubtful):
    """The kapus sees per desa the flagged records and possible duplicates beside the figures,
    linked into Tinjauan; the grid carries them as its last group; the Pustu on her phone
    sees her desa's counts with no link (she does not review) and the screen still fits."""
    context, page = device(browser, server, DESK, phone=False)
    try:
        login(page, "kapus")
        go(page, f"#/pws?month={doubtful}&indicator=stunting")
        drawn(page, "pws-graph")
        table = page.get_by_test_id("pws-graph-table")
        expect(table.locator("thead")).to_contain_text("Belum ditinjau")
        # The world's own visits may carry flags too: the screen says what the server counts,
        # the planted visit and pair among them.
        flags, pairs = doubt_of(page, doubtful, f.DESA_A)
        assert flags >= 1 and pairs >= 1
        cikalong = table.locator("tbody tr", has_text="Cikalong")
        expect(cikalong.get_by_test_id("pws-doubt")).to_have_text(
            re.compile(rf"{flags} catatan bertanda\s*{pairs} mungkin ganda"))
        if doubt_of(page, doubtful, f.DESA_B) == (0, 0):
            expect(table.locator("tbody tr", has_text="Mekarjaya").get_by_test_id(
                "pws-doubt")).to_have_text("Tidak ada")
        # stunting is a prevalence: the board says what it leaves out
        expect(page.get_by_test_id("pws-excludes-flagged")).to_contain_text(
            re.compile(r"Angka prevalensi Stunting tidak menghitung pengukuran yang masih "
                       r"bertanda"))
        flagged = cikalong.get_by_test_id("pws-doubt-open_flags")
        assert "#/review?tab=queue" in flagged.get_attribute("href")
        assert f"desa={f.DESA_A}" in flagged.get_attribute("href")
        no_leaks(page)
        audit(page, "pws-graph-doubt-1440")
        page.get_by_role("link", name="Status desa").click()
        rows = page.get_by_test_id("pws-grid")
        expect(rows).to_contain_text("Belum ditinjau Puskesmas")
        expect(page.get_by_test_id("pws-excludes-flagged")).to_contain_text("Wasting")
        audit(page, "pws-grid-doubt-1440")
        expect(rows.get_by_test_id("pws-doubt-row-duplicates")).to_contain_text(
            "Mungkin terdaftar ganda")
        rows.get_by_test_id("pws-doubt-row-duplicates").get_by_role(
            "link", name=str(pairs), exact=True).first.click()
        page.wait_for_url(re.compile(r"#/review\?tab=duplicates"))
    finally:
        context.close()
    context, phone = device(browser, server, PHONES[0], phone=True)
    try:
        login(phone, "pustu_a")
        go(phone, f"#/pws?month={doubtful}&indicator=stunting")
        drawn(phone, "pws-graph")
        row = phone.get_by_test_id("pws-graph-table").locator("tbody tr", has_text="Cikalong")
        expect(row.get_by_test_id("pws-doubt-open_flags")).to_have_text(
            f"{flags} catatan bertanda")
        expect(row.locator('a[href*="#/review"]')).to_have_count(0)
        no_leaks(phone)
        assert_fits(phone, "pws-graph-doubt-pustu-360")
        phone.get_by_role("link", name="Status desa").click()
        expect(phone.get_by_test_id("pws-doubt-row-open_flags")).to_contain_text(str(flags))
        assert_fits(phone, "pws-grid-doubt-pustu-360")
    finally:
        context.close()


def pws_tasks(app, desa: str, source: str) -> list[sa.Row]:
    with app.app_context(), read_transaction() as conn:
        query = sa.select(tasks).where(tasks.c.desa == desa, tasks.c.source == source)
        return conn.execute(query).all()


def wait_task_done(app, task_id: str) -> sa.Row:
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while True:
        with app.app_context(), read_transaction() as conn:
            row = conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).one()
        if row.status == "done" or time.monotonic() > deadline:
            return row
        time.sleep(0.1)


def jelek_cell(data: dict, desa: str) -> dict:
    """A Jelek cell of `desa` with persons behind its gap; D/S first (the world weighed every
    child last month and none yet this month)."""
    mine = [c for c in data["cells"] if c["desa"] == desa]
    cells = [c for c in mine if c["status"] == "jelek" and c["gap_persons"]]
    assert cells, [(c["indicator"], c["status"], c["gap_persons"]) for c in mine]
    return next((c for c in cells if c["indicator"] == "ds"), cells[0])


def kapus_sends_a_jelek_gap_to_the_pustu(kapus: Page, app) -> tuple[list, str, str]:
    """Grid -> the Jelek cell -> the desa's trend -> who is behind the gap -> tasks. Returns
    the tasks on the server, their source key and the month."""
    data = board(kapus)
    cell = jelek_cell(data, f.DESA_A)
    indicator, month = cell["indicator"], data["month"]
    go(kapus, f"#/pws/grid?month={month}")
    target = kapus.get_by_test_id("pws-grid").locator(
        f'a[href*="#/pws/desa/{f.DESA_A}?"][href*="indicator={indicator}&"]')
    expect(target).to_contain_text("Jelek")
    target.click()
    drawn(kapus, "pws-trend-chart")
    kapus.get_by_role("link", name="Lihat siapa yang belum terlayani").click()
    persons = kapus.get_by_test_id("pws-gaps").locator("li")
    expect(persons.first).to_be_visible()
    count = persons.count()
    no_leaks(kapus)
    snap(kapus, "pws-gaps-kapus-1440")
    kapus.get_by_role("button", name="Buat tugas untuk Pustu").click()
    expect(kapus.get_by_test_id("pws-followup-result")).to_contain_text(f"{count} tugas baru")
    source = f"pws:{indicator}:{month}"
    rows = pws_tasks(app, f.DESA_A, source)
    assert len(rows) == count and all(r.status == "open" for r in rows), rows
    # After the refresh every person has an open task: nothing left to create twice.
    expect(kapus.get_by_role("button", name="Buat tugas untuk Pustu")).to_be_disabled()
    expect(persons.filter(has_text="Sudah ada tugas terbuka")).to_have_count(count)
    snap(kapus, "pws-gaps-created-1440")
    return rows, source, month


def bidan_closes_one_offline(bidan: Page, app, chosen: sa.Row, source: str) -> None:
    login(bidan, "pustu_a")
    go(bidan, "#/tasks")
    tasks_list = bidan.get_by_test_id("task-list").get_by_role("link")
    expect(tasks_list.filter(has_text=chosen.reason).first).to_be_visible()
    snap(bidan, "pws-loop-tugas-bidan-1280")
    go(bidan, f"#/task/{chosen.id}")
    close = bidan.get_by_test_id("task-close")
    bidan.context.set_offline(True)
    close.get_by_label("Selesai").check()
    close.get_by_label("Datang dan dilayani").check()
    close.get_by_label("Hasil tindak lanjut").fill("Balita ditimbang di Pustu")
    close.get_by_role("button", name="Simpan").click()
    bidan.wait_for_url("**/#/tasks")
    still = [r for r in pws_tasks(app, f.DESA_A, source) if r.id == chosen.id]
    assert still[0].status == "open"   # offline: nothing has left the tablet
    bidan.context.set_offline(False)
    row = wait_task_done(app, chosen.id)
    assert (row.status, row.outcome_code) == ("done", "datang")


def test_the_loop_from_a_jelek_desa_to_the_pustu_and_back(browser, server, village, e2e_app):
    kapus_context, kapus = device(browser, server, DESK, phone=False)
    login(kapus, "kapus")
    rows, source, month = kapus_sends_a_jelek_gap_to_the_pustu(kapus, e2e_app)
    bidan_context, bidan = device(browser, server, TABLET, phone=False)
    try:
        bidan_closes_one_offline(bidan, e2e_app, rows[0], source)
    finally:
        bidan_context.close()
    go(kapus, f"#/pws/followup?month={month}")
    progress = kapus.get_by_test_id("pws-followup").locator(f'tr[data-desa="{f.DESA_A}"]')
    expect(progress).to_contain_text("Datang dan dilayani 1")
    no_leaks(kapus)
    audit(kapus, "pws-followup-1440")
    kapus_context.close()
