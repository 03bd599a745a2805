"""Checks every screen test runs on what it shows: touch targets of at least 44 px, WCAG AA
text contrast, and no horizontal scroll (the page never grows wider than the window)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.conftest import shot

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
    + ' label.choice-option, a.sync-indicator, a.brand')]
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
  // Wider than the window means the whole page scrolls sideways on a phone.
  const overflow = document.documentElement.scrollWidth > window.innerWidth
    ? [`${document.documentElement.scrollWidth} > ${window.innerWidth}`] : [];
  return { small, lowContrast, overflow };
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
    """Waits for the screen to settle, saves its screenshot, and fails on a small control,
    low contrast or a page wider than the window."""
    page.evaluate(SETTLED, 300)
    found = page.evaluate(AUDIT)
    shot(page, name)
    assert found == {"small": [], "lowContrast": [], "overflow": []}, name
