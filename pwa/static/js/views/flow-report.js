// Laporan layanan (#/flow/laporan; Klaster 1, Kepala Puskesmas, admin): visits per cluster,
// and per service point the people served, waiting time (entry -> first call) and service time
// (start -> end) as median and p90, and the no-shows; for a day or a month, printable on A4
// (css/pws-report.css). Every number comes from GET /api/v1/flow/report
// (backend/flow/report.py); this view lays them out. docs/flow.md "Day report".

import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatDate, formatMonth, formatNumber, t, tMaybe } from '../i18n.js';
import { apiFetch } from '../session.js';
import { ensureReportStyles, reportActions } from './pws-report.js';
import { card, dataTable, empty, page } from './ui.js';

const CLUSTERS = ['1', '2', '3', '4', 'lintas'];

/** Seconds as "40 dtk" / "12 mnt" / "1 j 05 mnt"; "—" when nobody was measured. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return t('flowreport.seconds', { n: Math.round(seconds) });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('flowreport.minutes', { n: minutes });
  return t('flowreport.hours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}

const number = (value) => formatNumber(value ?? 0, 0);
const clusterLabel = (code) => tMaybe(`record.cluster.${code}`) ?? code;

function periodPicker(query) {
  const isMonth = Boolean(query.month);
  const input = h('input', isMonth
    ? { type: 'month', id: 'flow-report-month', value: query.month, 'data-testid': 'flow-report-month' }
    : { type: 'date', id: 'flow-report-day', value: query.day ?? '', 'data-testid': 'flow-report-day' });
  const go = () => { if (input.value) window.location.hash = `#/flow/laporan?${isMonth ? 'month' : 'day'}=${input.value}`; };
  input.addEventListener('change', go);
  return h('div', { class: 'flow-report-pickers no-print' },
    h('div', { class: 'tabs-inline' },
      h('a', { class: `button ${isMonth ? 'secondary' : 'primary'}`, href: '#/flow/laporan', 'aria-current': isMonth ? null : 'page' }, t('flowreport.by_day')),
      h('a', { class: `button ${isMonth ? 'primary' : 'secondary'}`, href: `#/flow/laporan?month=${(query.day ?? new Date().toISOString()).slice(0, 7)}`, 'aria-current': isMonth ? 'page' : null }, t('flowreport.by_month'))),
    h('label', { for: input.id }, isMonth ? t('flowreport.month') : t('flowreport.day')), input);
}

function visitsCard(data) {
  const known = CLUSTERS.filter((code) => code in data.by_cluster);
  const others = Object.keys(data.by_cluster).filter((code) => !CLUSTERS.includes(code));
  const rows = [...known, ...others].map((code) => h('tr', {}, h('th', { scope: 'row' }, clusterLabel(code)), h('td', { class: 'num' }, number(data.by_cluster[code]))));
  rows.push(h('tr', { class: 'total' }, h('th', { scope: 'row' }, t('flowreport.total')), h('td', { class: 'num' }, number(data.visits))));
  return card(t('flowreport.visits'),
    h('p', {}, t('flowreport.visits_line', { n: number(data.visits), fresh: number(data.new_patients), jkn: number(data.by_payer.jkn), umum: number(data.by_payer.umum) })),
    data.visits ? dataTable([t('flowreport.cluster'), t('flowreport.count')], rows, { 'data-testid': 'flow-report-clusters' }) : empty(t('flowreport.no_visits')));
}

function pointsCard(data) {
  const rows = data.points.map((point) => h('tr', { 'data-point': point.service_point },
    h('th', { scope: 'row' }, point.label),
    h('td', { class: 'num' }, number(point.entries)),
    h('td', { class: 'num' }, number(point.served)),
    h('td', { class: 'num' }, duration(point.waiting.median_s)),
    h('td', { class: 'num' }, duration(point.waiting.p90_s)),
    h('td', { class: 'num' }, duration(point.service.median_s)),
    h('td', { class: 'num' }, duration(point.service.p90_s)),
    h('td', { class: 'num' }, number(point.skipped)),
    h('td', { class: 'num' }, number(point.cancelled)),
    h('td', { class: 'num' }, number(point.unserved))));
  return card(t('flowreport.points'),
    h('p', { class: 'hint' }, t('flowreport.points_hint')),
    dataTable([t('flowreport.point'), t('flowreport.entries'), t('flowreport.served'), t('flowreport.wait_median'), t('flowreport.wait_p90'),
      t('flowreport.service_median'), t('flowreport.service_p90'), t('flowreport.skipped'), t('flowreport.cancelled'), t('flowreport.unserved')],
    rows, { cards: true, 'data-testid': 'flow-report-points' }));
}

function daysCard(data) {
  // A running month: the days still to come have nothing to say yet.
  const rows = data.days.filter((day) => day.day <= todayIso()).map((day) => h('tr', {},
    h('th', { scope: 'row' }, formatDate(day.day)),
    h('td', { class: 'num' }, number(day.visits)), h('td', { class: 'num' }, number(day.served)),
    h('td', { class: 'num' }, number(day.skipped)), h('td', { class: 'num' }, number(day.cancelled))));
  return card(t('flowreport.days'), dataTable([t('flowreport.day'), t('flowreport.visits'), t('flowreport.served'), t('flowreport.skipped'), t('flowreport.cancelled')],
    rows, { 'data-testid': 'flow-report-days' }));
}

export async function flowReportPage(params, query) {
  const ask = query.month ? `month=${encodeURIComponent(query.month)}` : query.day ? `day=${encodeURIComponent(query.day)}` : '';
  let data;
  try {
    [data] = await Promise.all([apiFetch(`/flow/report${ask ? `?${ask}` : ''}`), ensureReportStyles()]);
  } catch (error) {
    const text = error.status === 403 ? t('flowreport.forbidden') : (error.problem?.detail ?? t('flowreport.error'));
    return page(t('flowreport.title'), { back: '#/flow' }, h('p', { class: 'notice bad' }, text));
  }
  const heading = data.period === 'month'
    ? t('flowreport.heading_month', { month: formatMonth(data.start.slice(0, 7)) })
    : t('flowreport.heading_day', { day: formatDate(data.start, 'long') });
  return page(t('flowreport.title'), { back: '#/flow', lead: t('flowreport.lead') },
    h('div', { class: 'report flow-report', 'data-testid': 'flow-report' },
      periodPicker({ ...query, day: query.month ? undefined : data.start }),
      h('header', { class: 'report-head' }, h('h2', {}, heading)),
      reportActions([]),
      visitsCard(data), pointsCard(data),
      data.period === 'month' ? daysCard(data) : null));
}
