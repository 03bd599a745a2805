"""The shell at phone size (360 and 412 px), on a tablet (1280) and at a desk (1440): every
destination reachable, no sideways scroll, touch targets of 44 px; an honest first sync; a
follow-up task that says where it came from and closes with its outcome."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, Route, expect

from backend.db import read_transaction, write_transaction
from backend.sync.tables import documents
from backend.writes import write_docs
from tests import factories
from tests.e2e.conftest import ACTION_TIMEOUT_MS, SYNC_TIMEOUT_MS, login, wait_synced
from tests.e2e.screens import audit

# In the default run too (`make test`); `-m "not slow"` skips them while iterating.
pytestmark = pytest.mark.slow

SIZES = {360: {"width": 360, "height": 740}, 412: {"width": 412, "height": 915}}
DESK = {"width": 1440, "height": 900}


def open_context(browser, server, viewport, phone=True):
    ctx = browser.new_context(base_url=server, viewport=viewport, locale="id-ID", is_mobile=phone,
                              has_touch=phone, timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    return ctx


@pytest.fixture(params=sorted(SIZES), ids=lambda width: f"{width}px")
def phone(request, browser, server):
    ctx = open_context(browser, server, SIZES[request.param])
    page = ctx.new_page()
    page.width = request.param
    yield page
    ctx.close()


def write(e2e_app, *docs) -> None:
    with e2e_app.app_context(), write_transaction() as conn:
        results = write_docs(conn, list(docs), None)
    assert all(r.get("ok") for r in results), results


def stored(e2e_app, doc_id: str) -> dict:
    with e2e_app.app_context(), read_transaction() as conn:
        query = sa.select(documents.c.body).where(documents.c.id == doc_id)
        body = conn.execute(query).scalar_one()
    return json.loads(body) if isinstance(body, str) else body


def more_menu(page: Page):
    return page.get_by_role("navigation", name="Menu utama")


def test_phone_reaches_every_destination_through_the_bar_and_lainnya(phone, village):
    width = phone.width
    login(phone, "pustu_a")
    nav = more_menu(phone)
    for name in ("Beranda", "Posyandu", "Warga", "Tugas"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    # The rest is behind a visible "Lainnya", not scrolled out of sight.
    expect(nav.get_by_role("link", name="Sinkron", exact=True)).to_be_hidden()
    more = phone.get_by_test_id("nav-more")
    expect(more).to_have_attribute("aria-expanded", "false")
    audit(phone, f"phone{width}-home")
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    for name in ("Jatuh tempo", "Sinkron", "Pengaturan"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    audit(phone, f"phone{width}-lainnya")
    phone.keyboard.press("Escape")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    nav.get_by_role("link", name="Pengaturan", exact=True).click()
    expect(phone.get_by_role("heading", name="Pengaturan")).to_be_visible()
    # The current destination lives under "Lainnya": the button says so.
    expect(more).to_have_attribute("data-current", "")
    more.click()
    nav.get_by_role("link", name="Sinkron", exact=True).click()
    expect(phone.get_by_role("heading", name="Status sinkron")).to_be_visible()
    audit(phone, f"phone{width}-sync")
    nav.get_by_role("link", name="Tugas", exact=True).click()
    expect(phone.get_by_test_id("task-list")).to_be_visible()
    tasks = nav.get_by_role("link", name="Tugas", exact=True)
    expect(tasks).to_have_attribute("aria-current", "page")
    audit(phone, f"phone{width}-tasks")
    nav.get_by_role("link", name="Posyandu", exact=True).click()
    expect(phone.get_by_role("heading", name="Posyandu")).to_be_visible()
    audit(phone, f"phone{width}-posyandu")
    phone.goto(f"/#/person/{village['children'][1]['_id']}")
    phone.get_by_role("heading", name=village["children"][1]["name"]).wait_for()
    audit(phone, f"phone{width}-person")


def test_kader_phone_offline_chip_names_the_last_sync(phone):
    login(phone, "kader_a")
    nav = more_menu(phone)
    expect(nav.get_by_role("link", name="Jatuh tempo", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Tugas", exact=True)).to_have_count(0)
    phone.context.set_offline(True)
    indicator = phone.get_by_test_id("sync-indicator")
    expect(indicator).to_have_attribute("data-phase", "offline")
    expect(indicator).to_contain_text(re.compile(r"Offline\s·\ssinkron terakhir \d\d[.:]\d\d"))
    audit(phone, f"phone{phone.width}-kader-offline")
    phone.context.set_offline(False)


def test_tablet_and_desk_keep_the_side_menu(browser, server, page):
    login(page, "pustu_a")
    nav = more_menu(page)
    for name in ("Beranda", "Posyandu", "Warga", "Tugas", "Jatuh tempo", "Sinkron", "Pengaturan"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_test_id("nav-more")).to_be_hidden()
    audit(page, "tablet1280-home")
    ctx = open_context(browser, server, DESK, phone=False)
    desk = ctx.new_page()
    try:
        login(desk, "kapus")
        nav = more_menu(desk)
        for name in ("Beranda", "Warga", "Tugas", "Tinjauan", "Jejak audit", "Sinkron",
                     "Pengaturan"):
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name="Posyandu", exact=True)).to_have_count(0)
        audit(desk, "desk1440-home")
        nav.get_by_role("link", name="Tugas", exact=True).click()
        expect(desk.get_by_test_id("task-list")).to_be_visible()
        audit(desk, "desk1440-tasks")
    finally:
        ctx.close()


def hold_after_first_page(page: Page) -> list[Route]:
    """Lets the first page of the pull through, cut to 20 changes, and holds every later
    one: the first sync stays under way, part of the desa on the device, until released."""
    held: list[Route] = []
    state = {"first": True}

    def handle(route: Route) -> None:
        url = urlsplit(route.request.url)
        if route.request.method == "GET" and state["first"]:
            state["first"] = False
            query = dict(parse_qsl(url.query)) | {"limit": "20"}
            route.continue_(url=urlunsplit(url._replace(query=urlencode(query))))
        else:
            held.append(route)

    page.route(re.compile(r"/sync/siklus/_changes"), handle)
    return held


def test_first_sync_is_never_terbaru_and_counts_say_loading(browser, server, village):
    ctx = open_context(browser, server, SIZES[412])
    page = ctx.new_page()
    try:
        held = hold_after_first_page(page)
        page.goto("/")
        page.get_by_label("Nama pengguna").fill("pustu_a")
        page.get_by_label("Kata sandi").fill("rahasia-123")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("button", name="Pakai kata sandi saja").click()
        indicator = page.get_by_test_id("sync-indicator")
        expect(indicator).to_have_text("Sinkron pertama…")
        expect(page.get_by_test_id("first-sync")).to_be_visible()
        expect(page.get_by_test_id("tile-tasks")).to_contain_text("Memuat")
        expect(page.get_by_test_id("tile-persons")).to_contain_text("Memuat")
        audit(page, "phone412-first-sync-home")
        expect(indicator).not_to_have_text(re.compile("Terbaru"))
        more_menu(page).get_by_role("link", name="Tugas", exact=True).click()
        expect(page.get_by_test_id("tasks-loading")).to_be_visible()
        tabs = page.get_by_role("navigation", name="Status tugas")
        expect(tabs).to_contain_text("Terbuka …")
        audit(page, "phone412-first-sync-tasks")
        expect(indicator).not_to_have_attribute("data-phase", "idle")
        assert held, "the pull's second page was held"
        # Removing the handler lets the held requests through.
        page.unroute(re.compile(r"/sync/siklus/_changes"))
        wait_synced(page, SYNC_TIMEOUT_MS)
        expect(page.get_by_test_id("tasks-loading")).to_have_count(0)
        expect(tabs).to_contain_text(re.compile(r"Terbuka \d+"))
        expect(indicator).to_have_text("Terbaru")
    finally:
        ctx.close()


def test_bidan_sees_a_new_referral_with_its_origin_and_closes_it(phone, village, e2e_app):
    melati = village["posyandu"][0]
    man = next(p for p in village["persons"] if p["relation"] == "kepala")
    today = dt.date.today()
    visit = factories.encounter(man, date=(today - dt.timedelta(days=1)).isoformat(),
                                setting="posyandu", place=melati["_id"],
                                measurements={"weight_kg": 70.0})
    referral = factories.task(man, reason="Tekanan darah tinggi: TD 168/98 mmHg, rujuk ke Pustu",
                              due_date=(today + dt.timedelta(days=6)).isoformat(),
                              origin=visit["_id"], rule="hipertensi", urgent=True)
    write(e2e_app, visit, referral)
    login(phone, "pustu_a")
    news = phone.get_by_test_id("new-tasks")
    expect(news).to_contain_text(re.compile(r"\d+ tugas tindak lanjut baru"))
    # Urgent ones lead the list of what is new.
    expect(news.locator("li").first).to_contain_text("Segera")
    first = news.locator("li", has_text=referral["reason"])
    expect(first).to_contain_text(man["name"])
    expect(first).to_contain_text("Segera")
    expect(first).to_contain_text(f"Dari kunjungan {melati['name']}, ")
    audit(phone, f"phone{phone.width}-home-new-tasks")
    first.get_by_role("link").click()
    facts = phone.get_by_test_id("task-facts")
    expect(facts).to_contain_text("Tekanan darah tinggi: TD 168/98 mmHg")
    expect(facts).to_contain_text(f"Dari kunjungan {melati['name']}, ")
    expect(facts).not_to_contain_text("Posyandu Posyandu")
    expect(facts).not_to_contain_text("encounter:")
    # The person's timeline names the same visit's place with its kind once.
    facts.get_by_role("link", name=man["name"]).click()
    timeline = phone.get_by_test_id("timeline")
    expect(timeline).to_contain_text(melati["name"])
    expect(timeline).not_to_contain_text("Posyandu Posyandu")
    phone.go_back()
    phone.get_by_label("Selesai", exact=True).check()
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_text("Pilih hasilnya: datang, tidak datang").first).to_be_visible()
    audit(phone, f"phone{phone.width}-task-close-errors")
    phone.get_by_label("Datang dan dilayani").check()
    phone.get_by_label("Hasil tindak lanjut").fill(
        "Datang ke Pustu, TD 150/95, diberi amlodipin, kontrol 2 minggu.")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("heading", name="Tugas Pustu")).to_be_visible()
    # Seen in the list: Beranda no longer counts it as new.
    more_menu(phone).get_by_role("link", name="Beranda", exact=True).click()
    expect(phone.get_by_role("heading", name=re.compile("Selamat bekerja"))).to_be_visible()
    expect(phone.get_by_test_id("new-tasks")).to_have_count(0)
    wait_synced(phone)
    saved = stored(e2e_app, referral["_id"])
    assert (saved["status"], saved["outcome_code"]) == ("done", "datang")
    assert saved["outcome"].startswith("Datang ke Pustu") and saved["done_at"]
