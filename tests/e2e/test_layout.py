"""Layout and accessibility on a phone and a tablet: touch targets, contrast, language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import ACTION_TIMEOUT_MS, login, shot

# In the default run too (`make test`); `-m "not slow"` skips them while iterating.
pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}

# Every visible interactive control's height, and every text whose contrast against its
# (first opaque ancestor's) background falls below WCAG AA: 4.5:1, or 3:1 for large text.
AUDIT = """() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const controls = [...document.querySelectorAll(
    'button, select, textarea, input:not([type=radio]):not([type=checkbox]):not([type=hidden]),'
    + ' a.button, a.tile, a.result-main, .mainnav a, .stepper a, .tabs a, .chips a,'
    + ' label.choice-option')]
    .filter(visible);
  const small = controls.filter((el) => el.getBoundingClientRect().height < 44)
    .map((el) => `${el.tagName} "${el.textContent.trim().slice(0, 30)}"`);
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] === 1) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const texts = [...document.querySelectorAll('body *')].filter((el) => visible(el)
    && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
    && !el.closest('button:disabled, svg'));
  const lowContrast = texts.map((el) => {
    const style = getComputedStyle(el);
    const [a, b] = [luminance(rgb(style.color).slice(0, 3)), luminance(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    return [el, ratio, large ? 3 : 4.5];
  }).filter(([, ratio, needed]) => ratio < needed)
    .map(([el, ratio]) => `"${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  return { small, lowContrast };
}"""


# Resolves once fonts are loaded and the DOM has not changed for `quiet` ms: late renders
# (the due list fills in slices) are over. A quiet window, not a fixed pause from the start,
# so a slow machine simply waits longer.
SETTLED = """(quiet) => document.fonts.ready.then(() => new Promise((resolve) => {
  const done = () => { observer.disconnect(); resolve(true); };
  let timer = setTimeout(done, quiet);
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(done, quiet);
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  setTimeout(done, 30000);  // a page that never stops changing is audited as it stands
}))"""


def audit(page: Page, name: str) -> None:
    page.evaluate(SETTLED, 300)
    found = page.evaluate(AUDIT)
    shot(page, name)
    assert found == {"small": [], "lowContrast": []}, name


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
