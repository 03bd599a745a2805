"""Due lists a midwife can trust, in the browser: the due view orders by urgency, says
"Belum tercatat" for undocumented doses, explains every status and marks an ignored pregnancy
record; past doses from the Buku KIA are refused when impossible and stored as one encounter
when right. Offline, at 360, 412 and 1280 px, without horizontal scrolling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from backend.db import read_transaction, write_transaction
from backend.projections.tables import encounters
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import login, shot, wait_synced

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/shots/due")
WIDTHS = (360, 412, 1280)
# When the page scrolls sideways: the innermost elements reaching past its right edge, outside
# containers that scroll or clip on their own (empty when the page does not scroll).
WIDER_THAN_SCREEN = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const clipped = (el) => el.parentElement && el.parentElement !== document.body
    && (getComputedStyle(el.parentElement).overflowX !== 'visible' || clipped(el.parentElement));
  const wide = [...document.querySelectorAll('body *')].filter((el) => !clipped(el)
    && el.getBoundingClientRect().right > root.clientWidth + 0.5);
  return wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.slice(0, 40)}`)
    .concat([`page ${root.scrollWidth - root.clientWidth}px wider`]);
}"""


def _small_targets(page: Page, selector: str) -> list[str]:
    """Controls matching `selector` that are shorter than a 44 px touch target."""
    return page.eval_on_selector_all(selector, """(els) => els
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map((el) => `${el.tagName.toLowerCase()} ${el.textContent.trim().slice(0, 30)}:`
        + ` ${el.getBoundingClientRect().height}px`)""")


def _write(app, docs: list[dict]) -> None:
    with app.app_context(), write_transaction() as conn:
        results = write_docs(conn, docs, None)
    assert all(result.get("ok") for result in results), results


def _at_widths(page: Page, name: str, *, check: bool = True, focus: Locator | None = None) -> None:
    """Screenshots at each width (the screen from `focus` down, else the whole page); with
    `check`, none may scroll sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if focus is not None:
            # below the sticky header
            focus.evaluate("(el) => window.scrollTo(0, el.getBoundingClientRect().top"
                           " + window.scrollY - 90)")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=focus is None)
        wide = page.evaluate(WIDER_THAN_SCREEN) if check else []
        assert not wide, f"{name} scrolls sideways at {width}px: {wide}"
    shot(page, f"due-{name}")


def _toddler_with_later_doses(today: dt.date) -> tuple[list[dict], dict]:
    """A two-year-old whose OPV 3-4 and DPT-HB-Hib 2-4 are recorded, not the doses before."""
    born = today - dt.timedelta(days=730)
    household = f.household(head_name="Rahmat Pratama", rt="005")
    child = f.person(name="Raka Pratama", sex="L", birth_date=born.isoformat(),
                     household=household["_id"], relation="anak")
    day = lambda days: (born + dt.timedelta(days=days)).isoformat()  # noqa: E731
    given = [("OPV", 3, day(122)), ("OPV", 4, day(152)), ("DPT-HB-Hib", 2, day(122)),
             ("DPT-HB-Hib", 3, day(152)), ("DPT-HB-Hib", 4, day(580))]
    visit = f.encounter(child, date=day(580), immunizations=[
        {"vaccine": vaccine, "dose": dose, "date": date} for vaccine, dose, date in given])
    return [household, child, visit], child


def _toddler_with_a_pregnancy(today: dt.date) -> tuple[list[dict], dict]:
    household = f.household(head_name="Wawan Kusuma", rt="006")
    girl = f.person(name="Nadia Kusuma", sex="P",
                    birth_date=(today - dt.timedelta(days=900)).isoformat(),
                    household=household["_id"], relation="anak")
    wrong = f.pregnancy(girl, hpht=(today - dt.timedelta(days=60)).isoformat())
    return [household, girl, wrong], girl


def test_due_view_orders_by_urgency_says_belum_tercatat_and_explains_statuses(
        page, context, e2e_app):
    today = dt.date.today()
    docs, _ = _toddler_with_later_doses(today)
    more, _ = _toddler_with_a_pregnancy(today)
    _write(e2e_app, docs + more)
    login(page, "pustu_a")
    context.set_offline(True)
    page.goto("/#/due?kind=immunization")
    row = page.get_by_test_id("due-today").get_by_role("listitem").filter(has_text="Raka Pratama")
    expect(row).to_contain_text("Polio tetes (OPV) 1 · Belum tercatat")
    expect(row).to_contain_text("DPT-HB-Hib 1 · Belum tercatat")
    expect(row).not_to_contain_text("OPV) 1 · Terlambat")
    badges = row.locator(".badge").all_inner_texts()
    statuses = [text.rsplit(" · ", 1)[-1] for text in badges]
    order = ["Terlambat", "Jatuh tempo", "Belum tercatat"]
    assert statuses == sorted(statuses, key=order.index), statuses
    flagged = page.get_by_test_id("due-today").get_by_role("listitem").filter(
        has_text="Nadia Kusuma")
    expect(flagged).to_contain_text("Catatan kehamilan diabaikan")
    legend = page.get_by_test_id("due-legend")
    legend.locator("summary").click()
    expect(legend).to_contain_text("Lihat Buku KIA")
    _at_widths(page, "due-view-top", focus=page.locator("body"))
    page.set_viewport_size({"width": 360, "height": 800})
    assert _small_targets(page, ".legend summary, [data-testid=due-today] a") == []
    _at_widths(page, "due-view-rows", focus=row)
    _at_widths(page, "due-view-ignored-pregnancy", focus=flagged)
    context.set_offline(False)


def test_past_doses_from_the_buku_kia_refuse_impossible_dates_and_store_one_encounter(
        page, context, e2e_app):
    today = dt.date.today()
    docs, child = _toddler_with_later_doses(today)
    _write(e2e_app, docs)
    login(page, "pustu_a")
    context.set_offline(True)
    page.goto(f"/#/person/{child['_id']}")
    page.get_by_role("link", name="Imunisasi dari Buku KIA").click()
    form = page.get_by_test_id("past-doses")
    before_birth = (dt.date.fromisoformat(child["birth_date"]) - dt.timedelta(days=1))
    form.get_by_label("Polio tetes (OPV) 1").fill(before_birth.isoformat())
    form.get_by_label("Polio tetes (OPV) 2").fill(child["birth_date"])  # before 6 weeks
    page.get_by_role("button", name="Simpan").click()
    expect(form.locator(".error-summary")).to_contain_text("belum ada yang disimpan")
    expect(form).to_contain_text("Tanggal sebelum tanggal lahir.")
    expect(form).to_contain_text("Terlalu dini")
    _at_widths(page, "past-doses-refused")
    page.set_viewport_size({"width": 360, "height": 800})
    controls = "[data-testid=past-doses] input, [data-testid=past-doses] button"
    assert _small_targets(page, controls) == []
    born = dt.date.fromisoformat(child["birth_date"])
    form.get_by_label("Polio tetes (OPV) 1").fill(born.isoformat())
    form.get_by_label("Polio tetes (OPV) 2").fill((born + dt.timedelta(days=61)).isoformat())
    form.get_by_label("DPT-HB-Hib 1").fill((born + dt.timedelta(days=61)).isoformat())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Raka Pratama")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Dicatat dari Buku KIA")
    # Only the link to this form is ours on the person page; its cards are checked elsewhere.
    _at_widths(page, "person-after-past-doses", check=False)
    context.set_offline(False)
    wait_synced(page)
    expect(page.get_by_test_id("sync-indicator")).to_have_text("Terbaru")
    with e2e_app.app_context(), read_transaction() as conn:
        stored = conn.execute(sa.select(encounters.c.id).where(
            encounters.c.person_id == child["_id"])).all()
    assert len(stored) == 2, stored
