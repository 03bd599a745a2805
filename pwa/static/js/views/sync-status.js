// Status sinkron: the state in words, the last successful sync, what waits to be sent, what
// the server refused and why (so the user can fix it; nothing vanishes silently), and the
// documents removed because they left the user's area.

import { app } from '../app.js';
import * as db from '../db.js';
import { confirmDialog } from '../dialog.js';
import { h } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { placeLabel } from '../place-label.js';
import { onLeave, render } from '../router.js';
import { refusalText } from '../refusals.js';
import { purgeLog } from '../scope-exits.js';
import { dataReady, syncSummary } from '../sync-state.js';
import { knownDesaNames } from './places.js';
import { badge, card, empty, page } from './ui.js';

function label(id) {
  const doc = app.records.get(id);
  const type = t(`doctype.${id.split(':')[0]}`);
  if (!doc) return type;
  const person = doc.type === 'person' ? doc : app.records.get(doc.person);
  const name = doc.type === 'household' ? doc.head_name : person?.name;
  return name ? `${type} · ${name}` : type;
}

function link(id) {
  const doc = app.records.get(id);
  if (doc?.type === 'person') return `#/person/${id}`;
  if (doc?.type === 'household') return `#/household/${id}`;
  if (doc?.person) return `#/person/${doc.person}`;
  return null;
}

async function discard(id) {
  const ok = await confirmDialog({
    title: t('refused.discard_title'), body: [label(id), t('refused.discard_body')],
    confirm: t('refused.discard'), danger: true,
  });
  if (!ok) return;
  await db.purge(id);
  app.records.forget(id);
  await app.outbox.forget(id);
  render();
}

function explainKey(state) {
  return state.phase === 'syncing' && !dataReady(state) ? 'sync.explain.first' : `sync.explain.${state.phase}`;
}

export async function syncStatus() {
  const { sync, outbox } = app;
  const state = sync.state;
  const refused = Object.entries(outbox.refused);
  const pending = Object.entries(outbox.pending);
  const log = await purgeLog(app.profile.username);
  const rerender = () => render();
  sync.addEventListener('change', rerender);
  onLeave(() => sync.removeEventListener('change', rerender));
  return page(t('sync.title'), {},
    card(t('sync.state'),
      h('p', { class: 'sync-state', 'data-testid': 'sync-state', dataset: { phase: state.phase } }, syncSummary(state, { desk: app.desk }).full),
      h('p', {}, state.lastSync ? t('sync.last', { when: formatDateTime(state.lastSync) }) : t('sync.never')),
      h('p', { class: 'meta' }, t(explainKey(state))),
      state.phase === 'login'
        ? h('button', { type: 'button', class: 'primary', onclick: () => app.relogin() }, t('sync.login_again'))
        : h('button', { type: 'button', class: 'secondary', onclick: () => sync.restart() }, t('sync.now'))),
    card(t('sync.refused_title', { n: refused.length }), refused.length
      ? h('ul', { class: 'results', 'data-testid': 'refused-list' }, refused.map(([id, entry]) => h('li', { class: 'result refused' },
        h('div', { class: 'result-main' },
          h('strong', {}, label(id)),
          h('span', { 'data-testid': 'refused-cause' }, refusalText(entry)),
          // The server's English words stay reachable for support, folded away from the user.
          entry.reason ? h('details', { class: 'meta' }, h('summary', {}, t('refused.detail')), entry.reason) : null,
          h('span', { class: 'meta' }, formatDateTime(entry.at))),
        h('div', { class: 'row-actions' },
          link(id) ? h('a', { class: 'button secondary small', href: link(id) }, t('refused.open')) : null,
          h('button', { type: 'button', class: 'danger small', onclick: () => discard(id) }, t('refused.discard'))))))
      : empty(t('sync.refused_none'))),
    card(t('sync.pending_title', { n: pending.length }), pending.length
      ? h('ul', { class: 'plain' }, pending.slice(0, 100).map(([id, entry]) => h('li', {}, label(id), ' ',
        h('span', { class: 'meta' }, formatDateTime(entry.at)))))
      : empty(t('sync.pending_none'))),
    card(t('sync.purged_title'), log.length
      ? h('ul', { class: 'plain' }, log.map((entry) => h('li', {}, t('sync.purged_entry', { type: t(`doctype.${entry.type}`), desa: placeLabel(t('places.desa'), knownDesaNames([entry.from])[0] ?? t('places.desa_unknown')) }),
        ' ', badge(formatDateTime(entry.at), 'muted'))))
      : empty(t('sync.purged_none'))));
}
