"""Two tablets of one Posyandu session, two kader of the same desa, offline in turns: what
each does reaches the other when they sync, both end with the same progress, and each person
gets exactly one encounter — even one both tablets finished at the same time."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.auth.users import create_user
from backend.db import read_transaction, write_transaction
from backend.projections.tables import encounters
from backend.sync.tables import documents
from tests import factories as f
from tests.e2e.conftest import ACTION_TIMEOUT_MS, SYNC_TIMEOUT_MS, TABLET, login
from tests.e2e.posyandu_phone import snap

pytestmark = pytest.mark.slow

# Days back, so this session is nobody else's (the other Posyandu tests use today).
SESSION_DAY = dt.date.today() - dt.timedelta(days=2)


@pytest.fixture
def tablets(browser, server, e2e_app):
    """Two tablets (browser contexts), each with its own page; a second kader of desa A."""
    with e2e_app.app_context(), write_transaction() as conn:
        known = conn.execute(sa.text("SELECT 1 FROM users WHERE username = 'kader_a2'")).first()
        if not known:
            create_user(conn, username="kader_a2", password=f.PASSWORD, display_name="Kader A Dua",
                        role="kader", scopes=[f.DESA_A])
    contexts, pages, errors = [], [], []
    for _ in range(2):
        ctx = browser.new_context(base_url=server, viewport=TABLET, locale="id-ID",
                                  timezone_id="Asia/Jakarta", service_workers="allow")
        ctx.set_default_timeout(ACTION_TIMEOUT_MS)
        page = ctx.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: errors.append(msg.text) if "i18n" in msg.text else None)
        contexts.append(ctx)
        pages.append(page)
    yield pages
    for ctx in contexts:
        ctx.close()
    assert not errors, errors


def synced(page: Page) -> None:
    """Caught up with nothing left to send."""
    indicator = page.get_by_test_id("sync-indicator")
    expect(indicator).to_have_attribute("data-phase", "idle", timeout=SYNC_TIMEOUT_MS)
    expect(indicator).not_to_contain_text("menunggu", timeout=SYNC_TIMEOUT_MS)


def register(page: Page, name: str) -> None:
    page.get_by_label("Cari nama, NIK atau no. KK").fill(name)
    row = page.locator(".result", has=page.get_by_text(name, exact=True))
    row.get_by_role("button", name="Daftarkan").first.click()
    expect(row.get_by_text("Terdaftar").first).to_be_visible()


def at_table(page: Page, session: str, step: str, person: dict) -> None:
    page.evaluate(f"location.hash = '#/posyandu/{session}/{step}/{person['_id']}'")
    page.locator(f'[data-testid="form-{step}"][data-person="{person["_id"]}"]').wait_for()


def save(page: Page, button: str) -> None:
    before = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_function("(before) => location.href !== before", arg=before)


def weigh(page: Page, session: str, person: dict, kg: str) -> None:
    at_table(page, session, "ukur", person)
    page.get_by_label("Berat badan").fill(kg)
    save(page, "Simpan & berikutnya")


def serve(page: Page, session: str, person: dict) -> None:
    """catat, then layanan with the first service offered."""
    at_table(page, session, "catat", person)
    save(page, "Sudah dicatat & berikutnya")
    at_table(page, session, "layanan", person)
    services = page.locator("input[name=services]")
    if services.count():
        services.first.check()
    save(page, "Simpan & berikutnya")


def counsel(page: Page, session: str, person: dict) -> None:
    at_table(page, session, "penyuluhan", person)
    page.locator("input[name=counselling]").first.check()
    save(page, "Selesai & berikutnya")


def counts(page: Page) -> list[str]:
    return [page.get_by_test_id(f"step-{step}").locator(".count").inner_text()
            for step in ("daftar", "ukur", "catat", "layanan", "penyuluhan")]


def server_state(e2e_app, session: str) -> tuple[dict, list[str], list[str]]:
    """The session's visits by person (bodies), their ids with open conflicts, and the
    persons of the session's encounters (one entry per encounter)."""
    with e2e_app.app_context(), read_transaction() as conn:
        rows = conn.execute(sa.select(documents.c.id, documents.c.body, documents.c.has_conflicts)
                            .where(documents.c.type == "posyandu_visit")).all()
        people = conn.execute(sa.select(encounters.c.person_id)
                              .where(encounters.c.posyandu_session_id == session)).scalars().all()
    bodies = [(r.id, r.body if isinstance(r.body, dict) else json.loads(r.body), r.has_conflicts)
              for r in rows]
    visits = {b["person"]: b for _, b, _ in bodies if b.get("posyandu_session") == session}
    conflicted = [i for i, b, c in bodies if c and b.get("posyandu_session") == session]
    return visits, conflicted, sorted(people)


def open_session(a: Page, b: Page) -> str:
    """A opens the session online; B opens it once it has synced. Returns its id."""
    a.evaluate("location.hash = '#/posyandu'")
    a.get_by_role("combobox", name="Posyandu").select_option(label="Posyandu Melati")
    a.get_by_label("Tanggal").fill(SESSION_DAY.isoformat())
    a.get_by_role("button", name="Buka sesi").click()
    a.wait_for_url(re.compile(r"#/posyandu/posyandu_session:[^/]+/daftar$"))
    session = a.evaluate("location.hash").split("/")[2]
    synced(a)
    b.evaluate(f"location.hash = '#/posyandu/{session}/daftar'")
    expect(b.get_by_role("heading", name="Posyandu Melati")).to_be_visible(
        timeout=SYNC_TIMEOUT_MS)
    return session


def offline(*pages: Page, off: bool = True) -> None:
    for page in pages:
        page.context.set_offline(off)
    if not off:
        for page in pages:
            synced(page)


def expect_count(page: Page, step: str, n: int) -> None:
    expect(page.get_by_test_id(f"step-{step}").locator(".count")).to_have_text(
        str(n), timeout=SYNC_TIMEOUT_MS)


def test_two_tablets_converge_on_one_session(tablets, village, e2e_app):
    a, b = tablets
    login(a, "kader_a")
    login(b, "kader_a2")
    session = open_session(a, b)
    p1, p2, p3, p4 = kids = [p for p in village["persons"] if p["relation"] == "anak"][2:6]

    # Offline, both tablets register; both register p1 (one visit, made twice).
    offline(a, b)
    for person in (p1, p2, p3):
        register(a, person["name"])
    for person in (p1, p4):
        register(b, person["name"])
    expect(a.get_by_test_id("posyandu-sync-note")).to_contain_text("belum terlihat")
    weigh(a, session, p1, "10,4")
    weigh(a, session, p2, "12,1")
    a.evaluate(f"location.hash = '#/posyandu/{session}/daftar'")
    expect(a.locator(".lead")).to_contain_text("0 dari 3 selesai")
    snap(a, "tablets-1-a-offline")

    # Both sync: B sees A's people and weighings, A sees B's p4.
    offline(a, b, off=False)
    expect_count(b, "daftar", 4)
    expect_count(b, "catat", 2)
    expect(b.get_by_test_id("posyandu-sync-note")).to_be_hidden()
    snap(b, "tablets-2-b-synced")

    # B records and serves the weighed two; A sees them waiting for counselling.
    serve(b, session, p1)
    serve(b, session, p2)
    synced(b)
    a.evaluate(f"location.hash = '#/posyandu/{session}/daftar'")
    expect_count(a, "penyuluhan", 2)

    # Offline again, both tablets finish p1 at the same time; B finishes p2 too.
    offline(a, b)
    counsel(a, session, p1)
    counsel(b, session, p1)
    counsel(b, session, p2)
    offline(a, b, off=False)
    for page in (a, b):
        page.evaluate(f"location.hash = '#/posyandu/{session}/daftar'")
        expect(page.locator(".lead")).to_contain_text("2 dari 4 selesai", timeout=SYNC_TIMEOUT_MS)
    assert counts(a) == counts(b) == ["4", "2", "0", "0", "0"]  # p3 and p4 wait to be weighed
    snap(a, "tablets-3-a-converged")
    snap(b, "tablets-3-b-converged")

    visits, conflicted, encountered = server_state(e2e_app, session)
    assert set(visits) == {p["_id"] for p in kids}
    assert conflicted == []  # the visits both tablets edited were merged
    assert visits[p1["_id"]]["measurements"]["weight_kg"] == 10.4  # weighed on A
    assert {"done_ukur", "done_catat", "done_layanan", "done_penyuluhan"} <= set(visits[p1["_id"]])
    assert "done_ukur" not in visits[p4["_id"]]
    assert encountered == sorted([p1["_id"], p2["_id"]])  # one encounter each, p1 finished twice
