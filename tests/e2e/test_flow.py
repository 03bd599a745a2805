"""The Puskesmas service flow in Chromium (issue 15, docs/flow.md): an adult registered at the
loket is called at the Klaster 3 desk, which measures, orders Hb and sends him to the lab; the
lab records the result, which comes back to the desk as a record with its finding (anaemia);
the desk prescribes and sends him to the pharmacy, which hands the drug over and ends the
visit. The waiting-room display shows each call as it happens, numbers only.

Three staff at three browsers, as in the building: `loket1` (Klaster 1) at the loket,
`dokter3` (Klaster 3) at the desk, `analis` (Lintas Klaster) at the lab and the pharmacy."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from backend import clock
from backend.auth.users import get_user
from backend.db import read_transaction, write_transaction
from backend.flow import display
from backend.flow.tables import (
    flow_dispensings,
    flow_lab_orders,
    flow_queue_entries,
)
from backend.sync import reads
from backend.writes import write_docs
from tests import factories as f
from tests.e2e import flow_setup
from tests.e2e.conftest import ACTION_TIMEOUT_MS, login
from tests.e2e.screens import audit

pytestmark = pytest.mark.slow

PATIENT = "Bambang Prasetyo"


@pytest.fixture(scope="module")
def puskesmas(e2e_app) -> dict:
    """The rooms and staff of tests/flow/world.py that another flow test has not added to the
    session's server already, an adult of desa A, and a waiting-room screen of the Klaster 3
    room, the lab and the pharmacy. Queues are emptied of earlier tests' people, so "Panggil
    berikutnya" calls ours."""
    today = dt.date.today()
    home = f.household(f.DESA_A, head_name=PATIENT, rt="005", rw="002")
    man = f.person(f.DESA_A, name=PATIENT, sex="L", household=home["_id"], relation="kepala",
                   birth_date=(today - dt.timedelta(days=52 * 365)).isoformat())
    flow_setup.ready(e2e_app)
    with e2e_app.app_context(), write_transaction() as conn:
        results = write_docs(conn, [home, man], None)
        assert all(r.get("ok") for r in results), results
        kapus = get_user(conn, username="kapus")[0]
        _, token = display.create(conn, kapus, "Layar uji alur pelayanan", ["k3", "lab", "farmasi"],
                                  False, clock.utc_now())
    return {"man": man, "token": token}


def staff_page(browser: Browser, server: str, username: str, width: int = 1280) -> Page:
    ctx = browser.new_context(base_url=server, viewport={"width": width, "height": 900},
                              locale="id-ID", timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text)
            if "i18n" in msg.text or "Content Security Policy" in msg.text else None)
    page.errors = errors
    login(page, username, pin=None)
    return page


def go(page: Page, hash_: str) -> None:
    page.evaluate("(hash) => { location.hash = hash; }", hash_)


def said(page: Page, text) -> None:
    expect(page.get_by_test_id("desk-status")).to_have_text(text)


def call_next(page: Page, ticket: str) -> None:
    page.get_by_test_id("call-next").click()
    expect(page.get_by_test_id("flow-ticket")).to_have_text(ticket)
    expect(page.get_by_test_id("flow-person")).to_have_text(PATIENT)


def shots(page: Page, name: str, widths=(1280, 1440, 360)) -> None:
    """The screen at each width, audited (touch targets, contrast, no sideways scroll)."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        audit(page, f"flow/{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def rows(app, statement):
    with app.app_context(), read_transaction() as conn:
        return conn.execute(statement).all()


def doc(app, doc_id: str) -> dict:
    with app.app_context(), read_transaction() as conn:
        return reads.get_doc(conn, doc_id, None, reads.ReadOptions())


def register(loket: Page, man: dict) -> str:
    """The loket records the arrival of a 52-year-old: the routing rule sends him to Klaster 3."""
    go(loket, f"#/flow/loket?person={man['_id']}")
    loket.get_by_label("Keluhan utama").fill("Pusing dan cepat lelah sejak seminggu")
    loket.get_by_text("Umum (bayar sendiri)").click()
    loket.get_by_role("button", name="Daftarkan").click()
    expect(loket.get_by_test_id("ticket-number")).to_have_text(re.compile(r"^C-\d{3}$"))
    return loket.get_by_test_id("ticket-number").inner_text()


def desk_orders_hb(desk: Page, ticket: str, tv: Page) -> None:
    go(desk, "#/flow/meja/k3")
    expect(desk.get_by_role("heading", name="Ruang Klaster 3 (Dewasa dan Lansia)")).to_be_visible()
    call_next(desk, ticket)
    expect(tv.locator("body")).to_contain_text(ticket)  # the number and room, never the name
    assert PATIENT not in tv.locator("body").inner_text()
    expect(desk.get_by_test_id("due-list")).to_be_visible()
    desk.get_by_label("Tekanan darah sistolik").fill("150")
    desk.get_by_label("Tekanan darah diastolik").fill("95")
    expect(desk.get_by_test_id("findings-panel")).to_contain_text("150/95 mmHg")
    desk.get_by_label("Hemoglobin (Hb)").check()
    shots(desk, "desk-first")
    desk.get_by_role("button", name="Simpan", exact=True).click()
    said(desk, f"Kunjungan {PATIENT} tersimpan.")
    desk.get_by_role("button", name="Kirim ke laboratorium").click()
    said(desk, f"{ticket} dikirim ke Laboratorium.")


def lab_records_hb(lab: Page, tv: Page) -> None:
    """A value outside the input limits is refused as typed; 9,8 g/dL is stored."""
    go(lab, "#/flow/lab/lab")
    expect(lab.get_by_role("heading", name="Laboratorium")).to_be_visible()
    lab.get_by_test_id("call-next").click()
    expect(lab.get_by_test_id("flow-person")).to_have_text(PATIENT)
    expect(tv.locator("body")).to_contain_text(lab.get_by_test_id("flow-ticket").inner_text())
    hb = lab.get_by_label("Hemoglobin (Hb)")
    hb.fill("45")
    expect(lab.get_by_test_id("lab-form")).to_contain_text("di luar batas isian")
    expect(hb).to_have_attribute("aria-invalid", "true")
    hb.fill("9,8")
    expect(hb).not_to_have_attribute("aria-invalid", "true")
    shots(lab, "lab", widths=(1280, 360))
    lab.get_by_role("button", name="Simpan hasil").click()
    said(lab, f"Hasil laboratorium {PATIENT} tersimpan.")
    lab.get_by_test_id("lab-return").click()
    said(lab, re.compile("dikirim ke Ruang Klaster 3"))


def desk_prescribes(desk: Page, ticket: str) -> None:
    """Back with his old ticket: the result and what it means, then a prescription."""
    call_next(desk, ticket)
    results = desk.get_by_test_id("flow-lab-results")
    expect(results).to_contain_text("Hb 9,8 g/dL")
    expect(results).to_contain_text("nemia")
    expect(desk.get_by_test_id("flow-route")).to_contain_text("Laboratorium")
    desk.get_by_label("Nama obat").fill("Tablet tambah darah")
    desk.get_by_label("Aturan pakai").fill("1 x 1 tablet")
    desk.get_by_label("Jumlah").fill("30")
    desk.get_by_label("Keterangan").fill("sesudah makan malam")
    shots(desk, "desk-back")
    desk.get_by_role("button", name="Simpan", exact=True).click()
    said(desk, f"Kunjungan {PATIENT} tersimpan.")
    desk.get_by_role("button", name="Kirim ke farmasi").click()
    said(desk, re.compile("dikirim ke Ruang Farmasi"))


def pharmacy_hands_over(pharmacy: Page, tv: Page) -> None:
    go(pharmacy, "#/flow/farmasi/farmasi")
    expect(pharmacy.get_by_role("heading", name="Ruang Farmasi")).to_be_visible()
    pharmacy.get_by_test_id("call-next").click()
    expect(pharmacy.get_by_test_id("flow-person")).to_have_text(PATIENT)
    expect(tv.locator("body")).to_contain_text(pharmacy.get_by_test_id("flow-ticket").inner_text())
    expect(pharmacy.get_by_test_id("rx-table")).to_contain_text("Tablet tambah darah")
    expect(pharmacy.get_by_label("Jumlah Tablet tambah darah yang diserahkan")).to_have_value("30")
    shots(pharmacy, "pharmacy", widths=(1280, 360))
    pharmacy.get_by_role("button", name="Serahkan obat").click()
    said(pharmacy, f"Penyerahan obat untuk {PATIENT} tercatat.")
    pharmacy.get_by_test_id("pharmacy-done").click()
    said(pharmacy, re.compile("selesai"))


def check_server(app, man: dict, ticket: str) -> None:
    """The way through the building, three encounters, the lab order and the dispensing."""
    E = flow_queue_entries
    chain = rows(app, sa.select(E.c.service_point_id, E.c.status, E.c.ticket, E.c.arrival_id,
                                E.c.encounter_id)
                 .where(E.c.person_id == man["_id"]).order_by(E.c.id))
    assert [(r.service_point_id, r.status) for r in chain] == [
        ("k3", "transferred"), ("lab", "transferred"), ("k3", "transferred"), ("farmasi", "done")]
    assert chain[0].ticket == chain[2].ticket == ticket  # a return keeps its ticket and place
    first, lab_visit, second = (doc(app, r.encounter_id) for r in chain[:3])
    assert (first["cluster"], first["lab_orders"], first["measurements"]) == (
        "3", ["hb"], {"sbp": 150, "dbp": 95})
    assert (lab_visit["cluster"], lab_visit["measurements"]) == ("lintas", {"hb_gdl": 9.8})
    assert second["prescriptions"] == [{"drug": "Tablet tambah darah", "dose": "1 x 1 tablet",
                                        "quantity": 30, "instructions": "sesudah makan malam"}]
    arrival = chain[0].arrival_id
    [order] = rows(app, sa.select(flow_lab_orders).where(flow_lab_orders.c.arrival_id == arrival))
    assert (json.loads(order.tests), order.result_encounter_id) == (["hb"], lab_visit["_id"])
    [given] = rows(app, sa.select(flow_dispensings)
                   .where(flow_dispensings.c.arrival_id == arrival))
    assert json.loads(given.items) == [{"index": 0, "quantity": 30}]
    assert given.encounter_id == second["_id"]


def test_loket_desk_lab_desk_pharmacy_done_with_each_call_on_the_display(
        browser, server, e2e_app, puskesmas):
    tv = browser.new_page(base_url=server, viewport={"width": 1280, "height": 720})
    tv.goto(f"/layar/#{puskesmas['token']}")
    loket = staff_page(browser, server, "loket1")
    ticket = register(loket, puskesmas["man"])
    desk = staff_page(browser, server, "dokter3")
    desk_orders_hb(desk, ticket, tv)
    lab = staff_page(browser, server, "analis")  # the lab's analyst covers the pharmacy too
    lab_records_hb(lab, tv)
    desk_prescribes(desk, ticket)
    pharmacy_hands_over(lab, tv)
    check_server(e2e_app, puskesmas["man"], ticket)
    for page in (loket, desk, lab):
        assert not page.errors, page.errors
        page.context.close()
    tv.close()
