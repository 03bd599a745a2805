// Tinjauan for Puskesmas roles, online only (it reads the server, not the tablet): records
// synced recently per desa and the conflicts report (staff accounts: views/admin-users.js).

import { app, hasRole } from '../app.js';
import { h } from '../dom.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { desaNames, desaOptions } from './places.js';
import { card, dataTable, empty, page } from './ui.js';

function tabsFor() {
  return [
    ['records', true],
    ['conflicts', hasRole('kapus', 'admin')],
  ].filter(([, shown]) => shown).map(([name]) => name);
}

async function recordsTab(query) {
  const options = desaOptions();
  const desa = query.desa ?? options[0]?.[0];
  const from = new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10);
  const data = await apiFetch(`/encounters?${new URLSearchParams({ desa, date_from: from, page_size: 100 })}`);
  const picker = h('form', { class: 'inline-form' },
    h('label', { for: 'review-desa' }, t('review.desa')),
    h('select', {
      id: 'review-desa',
      onchange: (event) => { window.location.hash = `#/review?tab=records&desa=${event.target.value}`; },
    }, options.map(([code, name]) => h('option', { value: code, selected: code === desa }, name))));
  return [picker, h('p', { class: 'meta' }, t('review.records_since', { n: data.total, date: formatDate(from) })),
    data.items.length ? dataTable([t('review.date'), t('review.person'), t('review.setting'), t('review.cluster'), t('review.by')],
      data.items.map((row) => h('tr', {}, h('td', {}, formatDate(row.date)),
        // A desk opens any record of its area from the server; a tablet what it holds.
        h('td', {}, app.desk || app.records.get(row.person_id) ? h('a', { href: `#/person/${row.person_id}` }, row.person_name) : row.person_name ?? '—'),
        h('td', {}, t(`setting.${row.setting}`)), h('td', {}, row.cluster ?? '—'),
        h('td', {}, `${row.provider ?? ''} ${formatDateTime(row.created_at)}`))))
      : empty(t('review.no_records'))];
}

async function conflictsTab() {
  const data = await apiFetch('/sync/siklus/_conflicts');
  return [
    card(t('review.open_conflicts', { n: data.open.length }), data.open.length
      ? dataTable([t('review.document'), t('review.desa'), t('review.revisions')], data.open.map((row) => h('tr', {},
        h('td', {}, row.id), h('td', {}, desaNames([row.desa])[0]), h('td', {}, [row.winner, ...row.conflicts].join(', ')))))
      : empty(t('review.no_conflicts'))),
    card(t('review.archived', { n: data.archived.length }), data.archived.length
      ? dataTable([t('review.document'), t('review.desa'), t('review.reason'), t('review.when')], data.archived.map((row) => h('tr', {},
        h('td', {}, row.id), h('td', {}, desaNames([row.desa])[0]), h('td', {}, row.reason), h('td', {}, formatDateTime(row.archived_at)))))
      : empty(t('review.no_archived'))),
  ];
}

const TABS = { records: recordsTab, conflicts: conflictsTab };

export async function reviewPage(params, query) {
  const tabs = tabsFor();
  const tab = tabs.includes(query.tab) ? query.tab : 'records';
  const nav = h('nav', { class: 'tabs', 'aria-label': t('review.tabs') }, tabs.map((name) => h('a', {
    href: `#/review?tab=${name}`, 'aria-current': name === tab ? 'page' : null,
  }, t(`review.tab.${name}`))));
  let body;
  if (!navigator.onLine) {
    body = empty(t('review.offline'));
  } else {
    try {
      body = await TABS[tab](query);
    } catch (error) {
      body = empty(t(error.status === 401 ? 'review.login' : 'review.failed'));
    }
  }
  return page(t('review.title'), { lead: t('review.lead') }, nav, h('div', { 'data-testid': `review-${tab}` }, body));
}
