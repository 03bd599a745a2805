// The frame around every screen: top bar with the always-visible sync indicator and the
// lock button, the menu for the user's role (nav.js), and the outlet views render into.

import { app } from './app.js';
import { h } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { navIcon } from './nav-icons.js';
import { renderNav } from './nav.js';
import { syncSummary } from './sync-state.js';

function syncIndicator() {
  const label = h('span', { class: 'sync-text' });
  // Offline, when the device last synced: beside the state on a tablet, under it on a phone.
  const detail = h('span', { class: 'sync-detail' });
  const link = h('a', { href: '#/sync', class: 'sync-indicator', 'aria-live': 'polite', 'data-testid': 'sync-indicator' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'sync-words' }, label, detail));
  const update = () => {
    const state = app.sync.state;
    const summary = syncSummary(state, { desk: app.desk });
    const { text, tone } = summary;
    label.textContent = text;
    detail.replaceChildren(...(summary.detail ? [h('span', { class: 'sep' }, '\u00a0·\u00a0'), summary.detail] : []));
    link.dataset.tone = tone;
    link.dataset.phase = state.phase;
    link.title = state.lastSync ? t('sync.last', { when: formatDateTime(state.lastSync) }) : t('sync.never');
  };
  app.sync.addEventListener('change', update);
  // The phone's clock moves on: "14.05" of yesterday must become "29 Nov 14.05".
  const timer = setInterval(update, 60000);
  update();
  return [link, () => {
    clearInterval(timer);
    app.sync.removeEventListener('change', update);
  }];
}

/** Renders the frame into `root`; returns the outlet views render into and a clean-up. */
export function renderLayout(root, { onLock }) {
  const [indicator, stopIndicator] = syncIndicator();
  const [nav, stopNav] = renderNav();
  const outlet = h('main', { id: 'main', class: 'content', tabindex: '-1' });
  root.replaceChildren(
    h('a', { class: 'skip-link', href: '#main', onclick: (event) => { event.preventDefault(); outlet.focus(); } }, t('nav.skip')),
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '#/' },
        h('img', { src: '/icons/icon.svg', alt: '', width: 32, height: 32 }), h('span', {}, 'Siklus')),
      indicator,
      h('span', { class: 'who' }, app.profile.display_name),
      // On a phone the lock is an icon (its name stays for screen readers): the sync state
      // needs the room.
      h('button', { type: 'button', class: 'secondary small lock-button', onclick: onLock },
        navIcon('lock'), h('span', { class: 'lock-label' }, t('nav.lock')))),
    nav,
    outlet);
  root.removeAttribute('aria-busy');
  return {
    outlet,
    dispose: () => {
      stopIndicator();
      stopNav();
    },
  };
}
