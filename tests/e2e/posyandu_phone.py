"""Checks for Posyandu screens at phone size, shared by the Posyandu browser tests: nothing
wider than the screen and every control a finger can hit (44 px)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.conftest import shot

SHOTS = Path("/tmp/shots/posyandu")
PHONES = ({"width": 360, "height": 780}, {"width": 412, "height": 915})

# Sideways overflow of the page beyond the screen's width, and every visible control of the
# screen's content smaller than 44 px: buttons and links in both directions, fields in
# height. A checkbox or radio is hit through its label, so the label is measured. The width
# is the device's, passed in: a mobile browser widens its layout viewport (innerWidth) to
# fit content that overflows, which would hide the very overflow looked for.
FIT = """(width) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const name = (el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || '')
    .trim().slice(0, 30)}"`;
  const small = [];
  const controls = 'main button, main a, main input, main select, main textarea';
  for (const el of document.querySelectorAll(controls)) {
    if (el.type === 'hidden' || !visible(el)) continue;
    const target = ['checkbox', 'radio'].includes(el.type) ? (el.closest('label') ?? el) : el;
    const box = target.getBoundingClientRect();
    const both = ['BUTTON', 'A'].includes(el.tagName) || target !== el;
    if (box.height < 44 || (both && box.width < 44)) {
      small.push(`${name(target)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  const wide = [...document.querySelectorAll('main *')].filter((el) => visible(el)
    && el.getBoundingClientRect().right > width + 1).map(name).slice(0, 5);
  return { overflow: Math.max(0, document.scrollingElement.scrollWidth - width), small, wide };
}"""


def snap(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/screenshots and in /tmp/shots/posyandu, from
    the top (a full-page shot draws the sticky top bar where the page was scrolled to)."""
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fit(page: Page) -> dict:
    """What does not fit the screen: {"overflow": px, "small": [...], "wide": [...]}."""
    return page.evaluate(FIT, page.viewport_size["width"])


def assert_fits(page: Page, name: str) -> None:
    """Screenshot the screen, then fail if it scrolls sideways or has a control under 44 px."""
    page.wait_for_timeout(200)  # the frame redraws its counts 150 ms after a change
    snap(page, name)
    found = fit(page)
    assert found == {"overflow": 0, "small": [], "wide": []}, (name, found)


# The check itself must be able to fail: a wide box and a small link, put in and removed.
MISFIT = """() => {
  const box = document.createElement('div');
  box.id = 'misfit';
  box.style.width = '900px';
  box.append(Object.assign(document.createElement('a'), { href: '#/posyandu', textContent: 'x' }));
  document.querySelector('main').append(box);
}"""


def assert_check_sees_misfits(page: Page) -> None:
    page.evaluate(MISFIT)
    found = fit(page)
    page.evaluate("document.getElementById('misfit').remove()")
    assert found["overflow"] > 0 and found["wide"] and found["small"], found
