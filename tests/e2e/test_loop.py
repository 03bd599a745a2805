"""The loop ILP is about, as its users live it: a kader at a Posyandu, on a 360 px phone with no
signal, weighs and measures a man (TD 168/98, GDS 215), sees what it means, refers him to the
Pustu and finishes his visit; back in signal the phone syncs; the server derives one referral
task for the desa's Pustu; the bidan's tablet syncs, her Beranda says there is a new task, the
task reads why and where it came from in words, and she closes it with the outcome."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from backend.db import read_transaction
from backend.projections.tables import tasks
from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    SYNC_TIMEOUT_MS,
    TABLET,
    enter_high_pressure_and_glucose,
    login,
    wait_synced,
)
from tests.e2e.posyandu_phone import PHONES, assert_fits, snap
from tests.e2e.test_posyandu_phone import register, save

pytestmark = pytest.mark.slow


def device(browser, server: str, viewport: dict, phone: bool):
    context = browser.new_context(base_url=server, viewport=viewport, locale="id-ID",
                                  timezone_id="Asia/Jakarta", service_workers="allow",
                                  has_touch=phone, is_mobile=phone)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context, context.new_page()


def server_tasks(app, person_id: str, wanted: int = 1) -> list[sa.Row]:
    """The person's tasks on the server, once `wanted` of them exist (the phone syncs on its
    own when the network comes back)."""
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while True:
        with app.app_context(), read_transaction() as conn:
            rows = conn.execute(sa.select(tasks).where(tasks.c.person_id == person_id)).all()
        if len(rows) >= wanted or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def measure_the_man(page: Page) -> None:
    page.get_by_label("Berat badan").fill("71")
    enter_high_pressure_and_glucose(page)
    panel = page.get_by_test_id("findings-panel")
    # What the numbers mean is on the screen while the kader still holds the cuff.
    expect(panel).to_contain_text("168/98")
    expect(panel).to_contain_text(re.compile("hipertensi derajat 2", re.I))
    expect(panel).to_contain_text("Pustu")


def open_at(page: Page, step: str, name: str) -> None:
    page.get_by_test_id(f"step-{step}").click()
    page.locator(f'[data-testid="queue"][data-step="{step}"] a', has_text=name).click()
    page.locator(f'[data-testid="form-{step}"]').wait_for()


def open_yesterdays_session_offline(page: Page) -> None:
    """Yesterday's Mawar session, typed in today with no signal (today's sessions belong to
    the tests that count their rows)."""
    page.context.set_offline(True)
    page.evaluate("location.hash = '#/posyandu'")
    page.get_by_role("combobox", name="Posyandu").select_option(label="Posyandu Mawar")
    page.get_by_label("Tanggal").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Buka sesi").click()
    page.wait_for_url(re.compile(r"#/posyandu/posyandu_session:[^/]+/daftar$"))
    expect(page.get_by_test_id("posyandu-sync-note")).to_contain_text("belum terlihat")


def kader_refers_at_posyandu(kader: Page, man: dict) -> None:
    """Offline, through the five tables: measure, see, record, refer, finish."""
    open_yesterdays_session_offline(kader)
    register(kader, man["name"])
    open_at(kader, "ukur", man["name"])
    measure_the_man(kader)
    assert_fits(kader, "loop-1-ukur-360")
    save(kader, "Simpan & berikutnya")
    open_at(kader, "catat", man["name"])
    expect(kader.get_by_test_id("findings-panel")).to_contain_text("168/98")
    assert_fits(kader, "loop-2-catat-360")
    save(kader, "Sudah dicatat & berikutnya")
    open_at(kader, "layanan", man["name"])
    expect(kader.get_by_label("Rujuk", exact=True)).to_be_checked()   # the findings suggest it
    kader.get_by_label("Dirujuk ke").select_option("Pustu")
    kader.get_by_label("Alasan rujukan").fill("Tekanan darah dan gula darah tinggi")
    assert_fits(kader, "loop-3-layanan-360")
    save(kader, "Simpan & berikutnya")
    open_at(kader, "penyuluhan", man["name"])
    save(kader, "Selesai & berikutnya")


def bidan_sees_and_closes(bidan: Page, man: dict) -> None:
    login(bidan, "pustu_a")
    expect(bidan.get_by_test_id("new-tasks")).to_contain_text("tugas tindak lanjut baru")
    snap(bidan, "loop-4-beranda-bidan-1280")
    bidan.evaluate("location.hash = '#/tasks'")
    item = bidan.get_by_test_id("task-list").get_by_role("link").filter(has_text=man["name"])
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Baru")
    item.click()
    facts = bidan.get_by_test_id("task-facts")
    expect(facts).to_contain_text("168/98")
    expect(facts).to_contain_text("Posyandu Mawar")   # where it came from, in words
    expect(facts).not_to_contain_text("encounter:")
    snap(bidan, "loop-5-tugas-bidan-1280")
    close = bidan.get_by_test_id("task-close")
    close.get_by_label("Selesai").check()
    close.get_by_label("Datang dan dilayani").check()
    close.get_by_label("Hasil tindak lanjut").fill("TD ulang 150/94, GDP 132: dirujuk ke klaster 3")
    close.get_by_role("button", name="Simpan").click()
    bidan.wait_for_url("**/#/tasks")


def test_a_kaders_referral_at_posyandu_becomes_the_bidans_task(browser, server, village,
                                                                e2e_app):
    man = [p for p in village["persons"] if p["relation"] == "kepala" and p["sex"] == "L"][-1]
    kader_context, kader = device(browser, server, PHONES[0], phone=True)
    login(kader, "kader_a")
    kader_refers_at_posyandu(kader, man)
    assert server_tasks(e2e_app, man["_id"], wanted=0) == []   # still offline: nothing sent
    kader_context.set_offline(False)
    rows = server_tasks(e2e_app, man["_id"])
    # One task for one man's one visit: the referral, naming what was found.
    assert len(rows) == 1, rows
    task = rows[0]
    assert (task.rule, task.status) == ("rujukan", "open")
    assert "168/98" in task.reason and "Tekanan darah dan gula darah tinggi" in task.reason
    wait_synced(kader)
    kader_context.close()

    bidan_context, bidan = device(browser, server, TABLET, phone=False)
    bidan_sees_and_closes(bidan, man)
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        [task] = server_tasks(e2e_app, man["_id"])
        if task.status == "done":
            break
        time.sleep(0.1)
    assert (task.status, task.outcome_code) == ("done", "datang")
    bidan_context.close()
