"""A person merged at the Puskesmas, on the bidan's tablet in Chromium (docs/review.md,
"Merging and undo"): the duplicate is found nowhere, and a link to it opens the survivor's
page under a note saying where it went."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from backend.auth.users import get_user
from backend.db import write_transaction
from backend.review.merge import merge
from backend.writes import write_docs
from tests import factories as f
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.slow
NAME = "Wulan Gabungsari"


@pytest.fixture(scope="module")
def merged_pair(e2e_app) -> dict:
    survivor = f.person(f.DESA_A, name=NAME, birth_date="1991-02-03")
    duplicate = f.person(f.DESA_A, name=NAME, birth_date="1991-02-03", nik="3204194302910001")
    docs = [survivor, duplicate, f.encounter(survivor, setting="pustu"),
            f.encounter(duplicate, setting="posyandu")]
    with e2e_app.app_context(), write_transaction() as conn:
        assert all(r.get("ok") for r in write_docs(conn, docs, None))
        merge(conn, get_user(conn, username="kapus")[0], survivor["_id"], duplicate["_id"])
    return {"survivor": survivor, "duplicate": duplicate}


def test_a_merged_duplicate_leads_to_its_survivor_and_is_found_no_more(page: Page,
                                                                        merged_pair):
    survivor, duplicate = merged_pair["survivor"], merged_pair["duplicate"]
    login(page, "pustu_a")
    page.goto(f"/#/person/{duplicate['_id']}")
    expect(page.get_by_test_id("merged-note")).to_have_text(
        f"Data ini sudah digabung ke {NAME}. Semua kunjungannya ada di sini.")
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(survivor["_id"])))
    # A re-render of the address it now shows (sync's refresh does one) keeps the note.
    page.evaluate("window.dispatchEvent(new HashChangeEvent('hashchange'))")
    expect(page.get_by_test_id("merged-note")).to_have_text(
        f"Data ini sudah digabung ke {NAME}. Semua kunjungannya ada di sini.")
    shot(page, "merged-person-1280")
    # The survivor took the duplicate's NIK; search finds one person.
    expect(page.locator("main")).to_contain_text("NIK 3204194302910001")
    page.goto("/#/persons")
    page.locator("#person-search").fill(NAME)
    results = page.get_by_test_id("search-results").locator("a")
    expect(results).to_have_count(1)
    expect(results.first).to_have_attribute("href", re.compile(re.escape(survivor["_id"])))
