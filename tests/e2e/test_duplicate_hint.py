"""The registration hint on a 360 px phone: a kader typing a child already on the tablet, with
a spelling slip, is shown "Mungkin sudah terdaftar" with a link to that child, offline from the
local records; the form still saves, and the page does not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ACTION_TIMEOUT_MS, login, shot

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, server):
    ctx = browser.new_context(base_url=server, viewport=PHONE, locale="id-ID", is_mobile=True,
                              has_touch=True, timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    ctx.close()
    assert not errors, errors


def test_registering_a_child_twice_shows_the_existing_child(phone, village):
    child = village["children"][1]
    login(phone, "kader_a")
    phone.context.set_offline(True)
    phone.goto("/#/person/new")
    phone.get_by_label("Nama lengkap").fill(child["name"] + "h")   # one letter more
    phone.locator(f"input[name=sex][value={child['sex']}]").check()
    phone.get_by_label("Tanggal lahir", exact=True).fill(child["birth_date"])
    hint = phone.locator(".duplicate-hint")
    expect(hint).to_contain_text("Mungkin sudah terdaftar")
    expect(hint).to_contain_text("Nama mirip")
    link = hint.get_by_role("link", name=child["name"])
    expect(link).to_be_visible()
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], width
    shot(phone, "phone-duplicate-hint")
    link.click()
    expect(phone.get_by_role("heading", name=child["name"])).to_be_visible()
    phone.context.set_offline(False)
