// What every PWS screen shares: the server fetch that refuses to show stale numbers, the
// tabs, the month picker, status badges and percent/month words.

import { app, hasRole } from '../app.js';
import { h } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { onLeave, render } from '../router.js';
import { apiFetch } from '../session.js';
import { ensurePwsAssets } from './pws-chart.js';
import {
  STATUS_TONE, currentMonth, earliestMonth, isRunningMonth, lastCompleteMonth, pickMonth, screenMonth,
} from './pws-data.js';
import { badge, card, empty, page } from './ui.js';

// Roles that may see the persons behind a number (backend/pws/scope.py NAMES_ROLES).
const NAMES_ROLES = ['kapus', 'klaster', 'admin', 'pustu'];
const TABS = [
  ['graph', '#/pws'], ['grid', '#/pws/grid'], ['morbidity', '#/pws/morbidity'], ['followup', '#/pws/followup'],
  ['report', '#/pws/report'], ['sasaran', '#/pws/sasaran'],
];

export const seesNames = () => hasRole(...NAMES_ROLES);

/** The month of the screen: `?month=` when valid and not in the future, else the last
 * complete month (pws-data.js lastCompleteMonth says why not the current one). */
export function monthOf(query) {
  return screenMonth(query.month);
}

/** "Bulan berjalan: angka belum lengkap" beside the numbers of the current month, else
 * nothing. `printed` keeps it on paper (the report). */
export function runningMonthNote(month, { printed = false } = {}) {
  if (!isRunningMonth(month)) return null;
  return h('p', { class: `pws-running${printed ? '' : ' no-print'}`, role: 'note', 'data-testid': 'pws-running-month' },
    h('strong', {}, t('pws.running_month')), ' ', t('pws.running_month_why'));
}

export function pct(value) {
  return value === null || value === undefined ? '—' : `${formatNumber(value)} %`;
}

export function statusBadge(status) {
  return status ? badge(t(`pws.status.${status}`), STATUS_TONE[status]) : badge(t('pws.status.none'), 'muted');
}

/** `href` with the query `params` (empty ones left out). */
export function link(path, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== ''));
  return query.size ? `${path}?${query}` : path;
}

/** The page of a PWS screen that cannot show numbers: offline, failed, or refused. */
function blocked(kind, status) {
  return page(t('pws.title'), { back: '#/' }, h('div', { class: 'card', role: 'alert', 'data-testid': 'pws-offline' },
    empty(t(`pws.${kind}`, { status })),
    kind === 'forbidden' ? null : h('button', { type: 'button', class: 'primary', onclick: () => render() }, t('desk.retry'))));
}

/** Loads the chart assets and the API answers `paths` ({name: path}) together; resolves to
 * {data} or {page} (what to show instead). Offline is said as such — the PWS numbers live on
 * the server and the device keeps no copy to pass off as current. The screen re-renders when
 * the connection drops or returns. */
export async function load(paths, { chart = false } = {}) {
  const again = () => render({ keepFocus: true });
  window.addEventListener('offline', again);
  window.addEventListener('online', again);
  onLeave(() => {
    window.removeEventListener('offline', again);
    window.removeEventListener('online', again);
  });
  if (!navigator.onLine) return { page: blocked('offline') };
  try {
    const names = Object.keys(paths);
    const [, ...answers] = await Promise.all([ensurePwsAssets({ chart }), ...names.map((name) => apiFetch(`/pws${paths[name]}`))]);
    return { data: Object.fromEntries(names.map((name, i) => [name, answers[i]])), at: new Date() };
  } catch (error) {
    if (error.status === 401) return { page: blocked('login') };
    if (error.status === 403) return { page: blocked('forbidden') };
    if (error.status === 404 || error.status === 422) return { page: blocked('not_found', error.status) };
    if (!error.status) app.sync?.restart();
    return { page: blocked(error.status ? 'failed' : 'offline') };
  }
}

/** The PWS page: title, the tabs (the current one marked), the month picker (or `picker`, a
 * screen's own, e.g. the sasaran year) and `children`. */
export function pwsPage(current, month, { lead, back, picker } = {}, ...children) {
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('pws.tabs') }, TABS.map(([name, path]) => h('a', {
    href: link(path, { month }), 'aria-current': name === current ? 'page' : null,
  }, t(`pws.tab.${name}`))));
  return page(t('pws.title'), { back, lead }, tabs, picker ?? [monthPicker(month),
    runningMonthNote(month, { printed: current === 'report' })], children);
}

/** <input type=month> bounded to the months the API answers; changing it reloads the screen
 * with the rest of the address as it is then (not as it was when this input was drawn). */
function monthPicker(month) {
  const latest = currentMonth();
  const input = h('input', {
    id: 'pws-month', type: 'month', value: month, max: latest, min: earliestMonth(latest), required: true,
    onchange: (event) => {
      const chosen = pickMonth(event.target.value, latest, lastCompleteMonth());
      const [path, search = ''] = window.location.hash.slice(1).split('?');
      window.location.hash = link(path, { ...Object.fromEntries(new URLSearchParams(search)), month: chosen });
    },
  });
  return h('div', { class: 'pws-month' }, h('label', { for: 'pws-month' }, t('pws.month')), input);
}

/** "Data server per 14.05": when these numbers were read, so a screen left open says its age. */
export function readAt(at) {
  return h('p', { class: 'meta', 'data-testid': 'pws-read-at' }, t('pws.read_at', { time: formatDateTime(at.toISOString()) }));
}

/** A chart and its table, the table the accessible and printable form of the picture. */
export function chartCard(title, chart, table, note) {
  return card(title, note ? h('p', { class: 'meta' }, note) : null, chart,
    h('details', { class: 'pws-table', open: true }, h('summary', {}, t('pws.table')), table));
}

export function denominatorWords(source) {
  return source ? t(`pws.denominator.${source}`) : '—';
}
