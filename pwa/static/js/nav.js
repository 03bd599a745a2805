// The main menu. On a tablet or desk it is the side menu with every destination; on a phone
// (CSS below 960 px) a bottom bar with the most used four and "Lainnya", a disclosure that
// opens the rest above the bar, so Tugas, Sinkron and Pengaturan are never hidden without
// a cue. One list of links serves both; the phone hides the overflow items in the bar.

import { app } from './app.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { currentHref, menuItems, splitMenu } from './nav-menu.js';
import { navIcon } from './nav-icons.js';

function link({ href, key, icon }, extra = {}) {
  return h('a', { href, 'data-nav': href, ...extra }, navIcon(icon), h('span', { class: 'nav-label' }, t(key)));
}

/** The disclosure: toggles the sheet, closes on Escape, a tap outside or a navigation. */
function moreToggle(sheet) {
  const button = h('button', {
    type: 'button', class: 'nav-more-button', 'aria-expanded': 'false', 'aria-controls': sheet.id,
    'data-testid': 'nav-more',
  }, navIcon('more'), h('span', { class: 'nav-label' }, t('nav.more')));
  const setOpen = (open) => {
    sheet.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) sheet.querySelector('a')?.focus();
  };
  button.addEventListener('click', () => setOpen(sheet.hidden));
  const onEscape = (event) => {
    if (event.key !== 'Escape' || sheet.hidden) return;
    setOpen(false);
    button.focus();
  };
  sheet.addEventListener('keydown', onEscape);
  button.addEventListener('keydown', onEscape);
  sheet.addEventListener('click', (event) => { if (event.target.closest('a')) setOpen(false); });
  const outside = (event) => {
    if (!sheet.hidden && !sheet.contains(event.target) && !button.contains(event.target)) setOpen(false);
  };
  document.addEventListener('click', outside);
  return [button, () => setOpen(false), () => document.removeEventListener('click', outside)];
}

/** Marks the current destination (and "Lainnya" when it holds it). */
function markCurrent(nav, more) {
  const links = [...nav.querySelectorAll('a[data-nav]')];
  const current = currentHref(window.location.hash, links.map((a) => a.dataset.nav));
  for (const a of links) {
    if (a.dataset.nav === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  nav.querySelector('.nav-more-button')?.toggleAttribute('data-current', more.some((item) => item.href === current));
}

/** The nav element and its clean-up. */
export function renderNav() {
  const { profile } = app;
  const items = menuItems({ desk: app.desk, writes: profile.writes, role: profile.role });
  const { bar, more } = splitMenu(items);
  const sheet = h('div', { id: 'nav-more-sheet', class: 'nav-more-sheet', hidden: true },
    h('ul', {}, more.map((item) => h('li', {}, link(item)))));
  const [button, close, stopOutside] = more.length ? moreToggle(sheet) : [null, () => {}, () => {}];
  const nav = h('nav', { class: 'mainnav', 'aria-label': t('nav.label') },
    h('ul', { class: 'nav-list' },
      bar.map((item) => h('li', {}, link(item))),
      // The side menu shows these in line; the phone's bar hides them behind "Lainnya".
      more.map((item) => h('li', { class: 'nav-overflow' }, link(item))),
      button ? h('li', { class: 'nav-more' }, button) : null),
    more.length ? sheet : null);
  const onRoute = () => {
    close();
    markCurrent(nav, more);
  };
  window.addEventListener('hashchange', onRoute);
  markCurrent(nav, more);
  return [nav, () => {
    stopOutside();
    window.removeEventListener('hashchange', onRoute);
  }];
}
