"""Layout and accessibility on a phone and a tablet: touch targets, contrast, language."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ACTION_TIMEOUT_MS, login
from tests.e2e.screens import audit

# In the default run too (`make test`); `-m "not slow"` skips them while iterating.
pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}

@pytest.fixture
def phone(browser, server):
    ctx = browser.new_context(base_url=server, viewport=PHONE, locale="id-ID", is_mobile=True,
                              has_touch=True, timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    yield ctx.new_page()
    ctx.close()


def test_phone_screens_keep_large_touch_targets_and_aa_contrast(phone, village):
    login(phone, "kader_a")
    audit(phone, "phone-home")
    phone.goto(f"/#/person/{village['children'][1]['_id']}")
    phone.get_by_role("heading", name=village["children"][1]["name"]).wait_for()
    audit(phone, "phone-person")
    phone.goto("/#/person/new")
    phone.get_by_role("button", name="Simpan").click()
    audit(phone, "phone-register-errors")


def test_tablet_screens_keep_large_touch_targets_and_aa_contrast(page, village):
    login(page, "pustu_a")
    audit(page, "tablet-home")
    page.goto(f"/#/person/{village['mother']['_id']}")
    page.get_by_role("heading", name=village["mother"]["name"]).wait_for()
    audit(page, "tablet-person")
    page.goto("/#/sync")
    page.get_by_role("heading", name="Status sinkron").wait_for()
    audit(page, "tablet-sync")
    page.goto("/#/due")
    page.get_by_test_id("due-today").locator("li").first.wait_for()
    audit(page, "tablet-due-today")
