"""Tinjauan in real Chromium: a reviewer at the Puskesmas works the queue of desa A, verifies
a record and sends a flagged one back with a note; the bidan's tablet (its own browser, syncing
by real replication) receives the correction task, opens it and records the correction as a
new visit; the server closes the task and the reviewer's queue shows the record as corrected.
Then a merge through the duplicates screen, and the screens at phone and desk widths."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from backend.db import read_transaction, write_transaction
from backend.projections.tables import encounters, persons, tasks
from backend.review import corrections
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    SCREENSHOTS,
    SYNC_TIMEOUT_MS,
    login,
    shot,
    wait_synced,
)
from tests.e2e.screens import audit

pytestmark = pytest.mark.slow
DESK = {"width": 1440, "height": 900}
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 800}


def device(browser: Browser, server: str, viewport: dict):
    context = browser.new_context(base_url=server, viewport=viewport, locale="id-ID",
                                  timezone_id="Asia/Jakarta", service_workers="allow")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if "i18n" in msg.text else None)
    return context, page, errors


def write(app, docs: list[dict]) -> None:
    with app.app_context(), write_transaction() as conn:
        results = write_docs(conn, docs, None)
    assert all(r.get("ok") for r in results), results


def wait_for(app, statement, what: str) -> sa.Row:
    """A row the server writes in its own time (a derived task, a closed one)."""
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        with app.app_context(), read_transaction() as conn:
            row = conn.execute(statement).first()
        if row:
            return row
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def two_visits(app, village) -> tuple[dict, dict, dict, dict]:
    """Today's Posyandu visits of two toddlers: one with the height typed 10 cm short of last
    month's (the height-shrink rule flags it), one ordinary."""
    today = dt.date.today().isoformat()
    month_ago = (dt.date.today().replace(day=1) - dt.timedelta(days=3)).isoformat()
    with app.app_context(), read_transaction() as conn:
        last = dict(conn.execute(sa.select(encounters.c.person_id, encounters.c.height_cm)
                                 .where(encounters.c.date == month_ago)).all())
    children = [c for c in village["children"] if (last.get(c["_id"]) or 0) > 70]
    short, fine = children[-1], children[-2]
    place = village["posyandu"][0]["_id"]
    bad = f.encounter(short, date=today, setting="posyandu", place=place, provider="Kader Melati",
                      measurements={"weight_kg": 11.0,
                                    "height_cm": round(last[short["_id"]] - 10, 1)})
    good = f.encounter(fine, date=today, setting="posyandu", place=place, provider="Kader Melati",
                       measurements={"weight_kg": 11.5, "height_cm": last[fine["_id"]] + 0.5})
    write(app, [bad, good])
    return short, bad, fine, good


def decimal(value: float) -> str:
    """A number as the PWA's forms show it: "76,3", "77"."""
    return f"{value:g}".replace(".", ",")


def queue_item(page: Page, record: dict):
    """The queue's row of one record (a person has several: registration, visits)."""
    return page.locator(f'[data-testid="review-item"][data-id="{record["_id"]}"]')


NOTE = "Tinggi badan diukur ulang, bulan lalu lebih tinggi"


def work_the_queue(desk: Page, e2e_app, bad: dict, good: dict) -> sa.Row:
    """The reviewer sees the flagged visit first, verifies the ordinary one and sends the
    flagged one back with a note; returns the correction task the server wrote."""
    desk.goto(f"/#/review?tab=queue&desa={bad['desa']}")
    flagged = queue_item(desk, bad)
    expect(flagged).to_have_attribute("data-flagged", "true")
    expect(flagged).to_contain_text("Tinggi badan berkurang dari pengukuran sebelumnya")
    # A flag asks to check the value; "Temuan" is the app's word for clinical findings.
    expect(flagged.locator(".badge", has_text="Periksa data").first).to_be_visible()
    expect(flagged).not_to_contain_text("Temuan")
    # Flagged records come first: this one stands above every unflagged record.
    first_unflagged = desk.locator('[data-testid="review-item"][data-flagged="false"]').first
    assert flagged.bounding_box()["y"] < first_unflagged.bounding_box()["y"]
    audit(desk, "review-queue-1440")

    # Benar on the ordinary visit: it leaves the open queue and the status line says so.
    queue_item(desk, good).get_by_role("checkbox").check()
    desk.get_by_role("button", name="Benar", exact=True).click()
    status = desk.get_by_test_id("review-status")
    expect(status).to_have_text("1 catatan dinyatakan benar.")
    expect(queue_item(desk, good)).to_have_count(0)

    # Minta perbaikan without a note is refused here; with one it goes to the Pustu.
    queue_item(desk, bad).get_by_role("checkbox").check()
    desk.get_by_role("button", name="Minta perbaikan").click()
    expect(status).to_contain_text("Tulis dulu apa yang perlu diperbaiki")
    desk.get_by_label("Catatan untuk Pustu").fill(NOTE)
    desk.get_by_role("button", name="Minta perbaikan").click()
    expect(status).to_contain_text("1 catatan dikirim kembali")
    task = wait_for(e2e_app, sa.select(tasks).where(
        tasks.c.origin_id == bad["_id"], tasks.c.rule == corrections.RULE), "correction task")
    assert task.status == "open"
    return task


def correct_on_the_tablet(tablet: Page, server: str, short: dict, bad: dict) -> float:
    """The bidan opens the correction task, then the visit form prefilled from the visit, and
    saves the right height; returns it."""
    tablet.goto("/#/tasks")
    item = (tablet.get_by_test_id("task-list").get_by_role("link")
            .filter(has_text=short["name"]).filter(has_text="Perbaiki kunjungan"))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Koreksi")
    item.click()
    expect(tablet.get_by_text("Koreksi dari Puskesmas")).to_be_visible()
    expect(tablet.get_by_test_id("task-facts")).to_contain_text(NOTE)
    shot(tablet, "review-correction-task-1280")
    tablet.get_by_role("link", name="Koreksi kunjungan").click()
    expect(tablet.get_by_test_id("visit-correcting")).to_be_visible()
    height = tablet.get_by_label("Panjang/tinggi badan")
    expect(height).to_have_value(decimal(bad["measurements"]["height_cm"]))
    right = round(bad["measurements"]["height_cm"] + 10.5, 1)
    height.fill(decimal(right))
    shot(tablet, "review-correction-form-1280")
    tablet.get_by_role("button", name="Simpan").click()
    expect(tablet).to_have_url(f"{server}/#/person/{short['_id']}")
    wait_synced(tablet)
    return right


def test_a_reviewer_sends_a_correction_and_the_bidans_tablet_makes_it(browser, server, village,
                                                                       e2e_app):
    short, bad, _fine, good = two_visits(e2e_app, village)
    desk_context, desk, desk_errors = device(browser, server, DESK)
    login(desk, "kapus")
    task = work_the_queue(desk, e2e_app, bad, good)

    # The bidan's tablet receives it by replication and corrects the visit.
    tablet_context, tablet, tablet_errors = device(browser, server, TABLET)
    login(tablet, "pustu_a")
    right = correct_on_the_tablet(tablet, server, short, bad)
    closed = wait_for(e2e_app, sa.select(tasks).where(
        tasks.c.id == task.id, tasks.c.status == "done"), "correction task closed")
    assert closed.outcome_code == "dikoreksi"
    fix = wait_for(e2e_app, sa.select(encounters).where(encounters.c.corrects_id == bad["_id"]),
                   "correction stored")
    assert (fix.height_cm, fix.place_id) == (right, bad["place"])
    # The closed task comes back to the tablet: done, no button any more.
    tablet.goto(f"/#/task/{task.id}")
    expect(tablet.get_by_test_id("task-facts")).to_contain_text("Selesai", timeout=SYNC_TIMEOUT_MS)
    expect(tablet.get_by_test_id("correction-open")).to_have_count(0)

    # The reviewer's queue: the record is reviewed (perbaikan) and corrected.
    desk.goto(f"/#/review?tab=queue&desa={bad['desa']}&show=reviewed")
    done = queue_item(desk, bad).filter(has_text="Diminta perbaikan")
    expect(done).to_contain_text("Sudah dikoreksi")
    shot(desk, "review-queue-reviewed-1440")
    tablet_context.close()
    desk_context.close()
    assert not desk_errors and not tablet_errors, desk_errors + tablet_errors


def plant_duplicate(app, village) -> tuple[dict, dict]:
    """A mother registered a second time on another tablet (same name, birth date and family,
    no NIK), with one visit of her own."""
    # The village is shared by the session's tests: take a wife no other test has visited,
    # so "0 kunjungan" and "1 kunjungan" name one person each.
    with app.app_context(), read_transaction() as conn:
        visited = set(conn.execute(sa.select(encounters.c.person_id).distinct()).scalars())
    original = next(p for p in village["persons"] if p["relation"] == "istri"
                    and p["_id"] != village["mother"]["_id"] and p["_id"] not in visited)
    twin = f.person(original["desa"], name=original["name"], sex=original["sex"],
                    birth_date=original["birth_date"], household=original["household"],
                    relation=original["relation"])
    visit = f.encounter(twin, setting="pustu", measurements={"sbp": 118, "dbp": 76})
    write(app, [twin, visit])
    return original, twin


def merged_into(app, person_id: str) -> str | None:
    with app.app_context(), read_transaction() as conn:
        return conn.execute(sa.select(persons.c.merged_into_id)
                            .where(persons.c.id == person_id)).scalar_one()


# Where the comparison's cells lie: every cell of every row within the window (the table's
# wrapper scrolls sideways, so the page-wide overflow audit would not see a column off
# screen), and whether the two persons' values of the first row stand side by side.
COMPARE_LAYOUT = """(table) => {
  const [row] = table.tBodies[0].rows;
  const cells = [...table.tBodies[0].querySelectorAll('th, td')]
    .map((cell) => cell.getBoundingClientRect()).filter((box) => box.width > 0);
  const [a, b] = [row.cells[1], row.cells[2]].map((cell) => cell.getBoundingClientRect());
  return {
    off_screen: cells.filter((box) => box.left < 0 || box.right > window.innerWidth + 0.5).length,
    side_by_side: Math.abs(a.top - b.top) < 1 && b.left >= a.right - 0.5,
    // On a phone a cell's person is named by its ::before (its column header, app.css).
    labels: [row.cells[1], row.cells[2]].map((cell) => [
      cell.dataset.label, getComputedStyle(cell, '::before').content]),
  };
}"""


def check_comparison(page: Page, twin: dict, width: int) -> None:
    """The comparison is readable at `width` without sideways scrolling: a table with the two
    persons side by side from 600 px, a card per field on a phone, each value named by whose
    it is (the pair has one name, so the registration is named too)."""
    table = page.get_by_test_id("dup-compare")
    expect(table).to_be_visible()
    layout = table.evaluate(COMPARE_LAYOUT)
    assert layout["off_screen"] == 0, layout
    assert layout["side_by_side"] is (width >= 600), layout
    if width < 600:
        labels = [label for label, _ in layout["labels"]]
        assert labels == [f"{twin['name']} (pendaftaran {n})" for n in (1, 2)], layout
        assert all(before not in ("none", "normal", "") for _, before in layout["labels"]), layout
    take = table.locator("label.take").first
    if take.count():
        box = take.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, box


def test_a_reviewer_merges_a_duplicate_and_undoes_it(browser, server, village, e2e_app):
    original, twin = plant_duplicate(e2e_app, village)
    context, desk, errors = device(browser, server, DESK)
    login(desk, "kapus")
    desk.goto(f"/#/review?tab=duplicates&desa={original['desa']}")
    pair = desk.locator(f'[data-testid="dup-pair"][data-a="{twin["_id"]}"],'
                        f' [data-testid="dup-pair"][data-b="{twin["_id"]}"]')
    expect(pair).to_contain_text("Sangat mungkin orang yang sama")
    expect(pair).to_contain_text("Tanggal lahir sama")
    pair.get_by_role("link", name="Bandingkan").click()
    table = desk.get_by_test_id("dup-compare")
    name_row = table.locator("tr").filter(has=desk.locator("th", has_text=re.compile(r"^Nama$")))
    expect(name_row).to_have_class("same")
    # The one with more visits is suggested (the twin has one); the reviewer keeps the first
    # registered, so the twin's visit moves to her.
    expect(desk.get_by_role("radio", name="(1 kunjungan")).to_be_checked()
    desk.get_by_role("radio", name="(0 kunjungan").check()
    audit(desk, "review-compare-1440")
    check_comparison(desk, twin, DESK["width"])
    desk.get_by_test_id("merge-button").click()
    dialog = desk.get_by_role("dialog")
    expect(dialog).to_contain_text("(1 kunjungan, 0 kehamilan, 0 tugas) dipindahkan")
    dialog.get_by_role("button", name="Ya, gabungkan").click()
    expect(desk.get_by_test_id("dup-status")).to_contain_text("1 kunjungan dipindah")
    assert merged_into(e2e_app, twin["_id"]) == original["_id"]
    expect(pair).to_have_count(0)

    merges_table = desk.get_by_test_id("merge-list")
    row = merges_table.locator("tr").filter(has_text=original["name"]).first
    expect(row).to_contain_text("Bisa dibatalkan sampai")
    # Who merged, by the name colleagues know (the account "kapus" is called "Kapus").
    expect(row.locator("td").nth(1)).to_have_text(re.compile(r"^Kapus · "))
    shot(desk, "review-merges-1440")
    row.get_by_role("button", name="Batalkan").click()
    desk.get_by_role("dialog").get_by_role("button", name="Batalkan").click()
    expect(desk.get_by_test_id("dup-status")).to_contain_text("dibatalkan")
    assert merged_into(e2e_app, twin["_id"]) is None
    assert merged_into(e2e_app, original["_id"]) is None
    context.close()
    assert not errors, errors


def plant_conflict(app, person: dict) -> dict:
    """Two tablets wrote different first revisions of one visit (a visit is never merged by
    the server: it stays an open conflict for the Puskesmas)."""
    visit = f.encounter(person, date=dt.date.today().isoformat(), setting="home")
    leaves = [{**visit, "_rev": f"1-{tag * 32}", "_revisions": {"start": 1, "ids": [tag * 32]},
               "notes": f"tablet {tag}"} for tag in "ab"]
    with app.app_context(), write_transaction() as conn:
        results = write_docs(conn, leaves, None, new_edits=False)
    assert all(r.get("ok") for r in results), results
    return visit


@pytest.mark.parametrize("width", [360, 1280])
def test_the_review_tabs_fit_a_phone_and_a_tablet(browser, server, village, e2e_app, width):
    """Every tab and the duplicates comparison at 360 and 1280 px: touch targets, contrast,
    nothing wider than the window; the conflicts tab names a visit in conflict by kind, person
    and date, never by its id."""
    desa = village["mother"]["desa"]
    visit = plant_conflict(e2e_app, village["persons"][width % 7])
    context, desk, errors = device(browser, server, {"width": width, "height": 800})
    login(desk, "kapus")
    for tab, ready in (("queue", "review-list"), ("duplicates", "dup-list"),
                       ("progress", "review-progress-table"), ("conflicts", "conflicts-open")):
        desk.goto(f"/#/review?tab={tab}&desa={desa}")
        expect(desk.get_by_test_id(ready)).to_be_visible()
        if tab == "conflicts":
            row = desk.get_by_test_id(ready).locator("tr").filter(
                has_text=village["persons"][width % 7]["name"])
            expect(row.first).to_contain_text("Kunjungan")
            expect(row.first).to_contain_text("2 versi berbeda")
            expect(desk.get_by_test_id("review-conflicts")).not_to_contain_text(visit["_id"])
        audit(desk, f"review-{tab}-{width}")
        # The first screenful as a person sees it (the full page of a long queue is a strip).
        desk.screenshot(path=str(SCREENSHOTS / f"review-{tab}-{width}-top.png"))
    # The side-by-side comparison of a duplicate pair (planted after the tabs, so they show
    # the village as it was).
    original, twin = plant_duplicate(e2e_app, village)
    desk.goto(f"/#/review?tab=duplicates&desa={desa}&a={original['_id']}&b={twin['_id']}")
    check_comparison(desk, twin, width)
    audit(desk, f"review-compare-{width}")
    desk.screenshot(path=str(SCREENSHOTS / f"review-compare-{width}-top.png"))
    context.close()
    assert not errors, errors
