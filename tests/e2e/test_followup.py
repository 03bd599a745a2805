"""The loop across two tablets: a kader's tablet records a hypertensive man offline, syncs, and
the bidan's tablet (and phone) shows the follow-up task the server derived, in Indonesian."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from backend.db import read_transaction
from backend.followup.tasks import task_id
from backend.projections.tables import tasks
from tests.e2e.conftest import ACTION_TIMEOUT_MS, SYNC_TIMEOUT_MS, login, shot
from tests.e2e.test_records import import_app_module

pytestmark = pytest.mark.slow
PHONE, SMALL_PHONE = {"width": 412, "height": 915}, {"width": 360, "height": 800}
TABLET = {"width": 1280, "height": 800}


def device(browser: Browser, server: str, viewport: dict):
    context = browser.new_context(base_url=server, viewport=viewport, locale="id-ID",
                                  timezone_id="Asia/Jakarta", service_workers="allow")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context, context.new_page()


def wait_for_task(app, doc_id: str) -> sa.Row:
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        with app.app_context(), read_transaction() as conn:
            row = conn.execute(sa.select(tasks).where(tasks.c.id == doc_id)).first()
        if row:
            return row
        time.sleep(0.1)
    raise AssertionError(f"{doc_id} never derived")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_kaders_hypertensive_visit_becomes_the_bidans_task(browser, server, village, e2e_app):
    man = next(p for p in village["persons"] if p["relation"] == "kepala")
    kader_context, kader = device(browser, server, PHONE)
    login(kader, "kader_a")
    kader_context.set_offline(True)
    visit = import_app_module(kader, "db.js", "create", "encounter", man["desa"], {
        "person": man["_id"], "date": dt.date.today().isoformat(), "setting": "posyandu",
        "place": village["posyandu"][0]["_id"], "measurements": {"sbp": 168, "dbp": 98}})
    kader_context.set_offline(False)
    row = wait_for_task(e2e_app, task_id(visit["_id"], "hipertensi"))
    assert (row.person_id, row.status, row.origin_id) == (man["_id"], "open", visit["_id"])
    assert row.reason.startswith("Tekanan darah tinggi") and "168/98" in row.reason
    kader_context.close()

    reason = row.reason
    for name, viewport in (("360", SMALL_PHONE), ("412", PHONE), ("1280", TABLET)):
        context, bidan = device(browser, server, viewport)
        login(bidan, "pustu_a")
        bidan.goto("/#/tasks")
        # Other tests of the session find the same pressure in other people: this man's task.
        item = bidan.get_by_test_id("task-list").get_by_role("link").filter(
            has_text=reason).filter(has_text=man["name"])
        expect(item).to_have_count(1)
        shot(bidan, f"followup-tasks-{name}")
        assert no_horizontal_scroll(bidan), name
        item.click()
        expect(bidan.get_by_text(reason)).to_be_visible()
        expect(bidan.get_by_test_id("task-facts")).to_contain_text("Dari kunjungan Posyandu Melati")
        shot(bidan, f"followup-task-{name}")
        assert no_horizontal_scroll(bidan), name
        context.close()
