// The frame around every screen: top bar with the always-visible sync indicator and the
// lock button, the menu for the user's role, and the outlet views render into.

import { app, canWrite, hasRole } from './app.js';
import { h } from './dom.js';
import { formatDateTime, t } from './i18n.js';

const REVIEWERS = ['klaster', 'kapus', 'admin'];

function menu() {
  const items = [
    ['#/', 'nav.home', true],
    // A desk holds no desa in memory: Posyandu sessions and a desa's due list are tablet
    // screens (views/desk.js says so if one is opened anyway).
    ['#/posyandu', 'nav.posyandu', canWrite('encounter') && !app.desk],
    ['#/persons', 'nav.persons', true],
    ['#/due', 'nav.due', !app.desk],
    ['#/tasks', 'nav.tasks', canWrite('task')],
    ['#/review', 'nav.review', hasRole(...REVIEWERS)],
    ['#/admin', 'nav.admin', hasRole('admin')],
    ['#/admin/audit', 'nav.audit', hasRole('kapus')],
    ['#/sync', 'nav.sync', true],
    ['#/settings', 'nav.settings', true],
  ];
  return items.filter(([, , shown]) => shown);
}

// A desk works against the server: "up to date" means online, and offline means it cannot work.
const DESK_PHASES = { idle: 'desk.phase.idle', offline: 'desk.phase.offline' };

/** Short text and tone of the sync state: the phase, then waiting and refused counts. */
export function syncSummary(state) {
  const parts = [];
  const tone = { offline: 'muted', syncing: 'busy', idle: 'ok', error: 'warn', login: 'warn', forbidden: 'muted' }[state.phase];
  if (state.phase === 'idle' && state.pending) parts.push(t('sync.waiting', { n: state.pending }));
  else parts.push(t((app.desk && DESK_PHASES[state.phase]) || `sync.phase.${state.phase}`));
  if (state.phase === 'offline' && state.pending) parts.push(t('sync.waiting', { n: state.pending }));
  if (state.refused) parts.push(t('sync.refused', { n: state.refused }));
  return { text: parts.join(' · '), tone: state.refused ? 'bad' : tone };
}

function syncIndicator() {
  const label = h('span', { class: 'sync-text' });
  const link = h('a', { href: '#/sync', class: 'sync-indicator', 'aria-live': 'polite', 'data-testid': 'sync-indicator' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), label);
  const update = () => {
    const state = app.sync.state;
    const { text, tone } = syncSummary(state);
    label.textContent = text;
    link.dataset.tone = tone;
    link.dataset.phase = state.phase;
    link.title = state.lastSync ? t('sync.last', { when: formatDateTime(state.lastSync) }) : t('sync.never');
  };
  app.sync.addEventListener('change', update);
  update();
  return [link, () => app.sync.removeEventListener('change', update)];
}

function markCurrent(nav) {
  const path = window.location.hash.split('?')[0] || '#/';
  for (const link of nav.querySelectorAll('a')) {
    const href = link.getAttribute('href');
    const current = href === '#/' ? path === '#/' : path.startsWith(href);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Renders the frame into `root`; returns the outlet views render into and a clean-up. */
export function renderLayout(root, { onLock }) {
  const [indicator, stopIndicator] = syncIndicator();
  const nav = h('nav', { class: 'mainnav', 'aria-label': t('nav.label') },
    h('ul', {}, menu().map(([href, key]) => h('li', {}, h('a', { href }, t(key))))));
  const outlet = h('main', { id: 'main', class: 'content', tabindex: '-1' });
  root.replaceChildren(
    h('a', { class: 'skip-link', href: '#main', onclick: (event) => { event.preventDefault(); outlet.focus(); } }, t('nav.skip')),
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '#/' },
        h('img', { src: '/icons/icon.svg', alt: '', width: 32, height: 32 }), h('span', {}, 'Siklus')),
      indicator,
      h('span', { class: 'who' }, app.profile.display_name),
      h('button', { type: 'button', class: 'secondary small', onclick: onLock }, t('nav.lock'))),
    nav,
    outlet);
  const onRoute = () => markCurrent(nav);
  window.addEventListener('hashchange', onRoute);
  markCurrent(nav);
  root.removeAttribute('aria-busy');
  return {
    outlet,
    dispose: () => {
      stopIndicator();
      window.removeEventListener('hashchange', onRoute);
    },
  };
}
