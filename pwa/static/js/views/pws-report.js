// Evaluasi bulanan PWS, printable (A4 landscape, css/pws-report.css): the status of every desa
// per cluster, the largest gaps, a page per desa for its Pustu, the denominators used, last
// month's follow-up and the morbidity highlights. Every number comes from
// GET /api/v1/pws/evaluation (backend/pws/evaluation.py); this view only lays them out.

import { h } from '../dom.js';
import { formatMonth, formatNumber, t } from '../i18n.js';
import { stylesheet } from './pws-chart.js';
import { STATUSES } from './pws-data.js';
import { excludedNote } from './pws-doubt.js';
import { denominatorWords, link, load, monthOf, pct, pwsPage, readAt, statusBadge } from './pws-ui.js';
import { card, dataTable, empty } from './ui.js';

const OUTCOMES = ['datang', 'tidak_datang', 'dirujuk', 'pindah', 'meninggal'];
const API = '/api/v1/pws';

/** The report's print stylesheet (A4 landscape, no navigation, page breaks), loaded once. */
export const ensureReportStyles = () => stylesheet('pws-report.css');

/** Download buttons ([[href, label], ...]) and one print button; hidden on paper. */
export function reportActions(downloads) {
  return h('div', { class: 'report-actions no-print' },
    downloads.map(([href, label]) => h('a', { class: 'button secondary', href, download: '', 'data-testid': 'report-xlsx' }, label)),
    h('button', { type: 'button', class: 'primary', onclick: () => window.print(), 'data-testid': 'report-print' }, t('report.print')));
}

/** "K1" in bold, its label beneath in small type: the row head of an indicator. */
const indicatorHead = (indicator) => h('th', { scope: 'row' }, indicator.short, h('span', { class: 'meta' }, indicator.label));
const number = (value) => (value === null || value === undefined ? '—' : formatNumber(value, 0));
const cells = (...values) => values.map((value) => h('td', {}, value));

function statusCounts(data) {
  const rows = data.status_counts.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.desa_name),
    cells(...STATUSES.map((status) => number(row[status])), number(row.none), number(row.open_flags), number(row.duplicates))));
  const prevalences = data.clusters.flatMap((cluster) => cluster.indicators);
  return card(t('report.summary'), excludedNote(data.excludes_flagged, prevalences),
    dataTable([t('pws.desa'), ...STATUSES.map((s) => t(`pws.status.${s}`)), t('pws.status.none'),
      t('pws.doubt.open_flags'), t('pws.doubt.duplicates')], rows, { 'data-testid': 'report-summary' }));
}

function largestGaps(data) {
  if (!data.largest_gaps.length) return card(t('report.gaps'), empty(t('report.no_gaps')));
  const rows = data.largest_gaps.map((gap) => h('tr', {}, indicatorHead(gap),
    cells(gap.desa_name, t('pws.gap_persons', { n: gap.gap_persons }), `${number(gap.num_cum)} / ${number(gap.denominator)}`,
      pct(gap.coverage_cum), pct(gap.target_cum), statusBadge(gap.status))));
  return card(t('report.gaps'), h('p', { class: 'meta' }, t('report.gaps_note')), dataTable(
    [t('pws.indicator'), t('pws.desa'), t('pws.gap'), t('pws.num_den'), t('pws.coverage_cum'), t('report.target_cum'), t('pws.status')],
    rows, { 'data-testid': 'report-gaps' }));
}

/** One cluster: a row per indicator, a column per desa (status in words and cumulative %). */
function clusterGrid(cluster, desa) {
  const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('pws.indicator')), h('th', { scope: 'col' }, t('report.target_cum')),
    desa.map((d) => h('th', { scope: 'col' }, d.name)), desa.length > 1 ? h('th', { scope: 'col' }, t('pws.puskesmas')) : null));
  const cell = (c) => h('td', { class: `pws-cell ${c?.status ?? 'none'}`, 'data-status': c?.status ?? 'none' },
    statusBadge(c?.status), ' ', pct(c?.coverage_cum));
  const body = h('tbody', {}, cluster.indicators.map((indicator) => {
    const byDesa = new Map(indicator.cells.map((c) => [c.desa, c]));
    return h('tr', {}, indicatorHead(indicator), h('td', {}, pct(indicator.target_cum_pct)),
      desa.map((d) => cell(byDesa.get(d.code))), desa.length > 1 ? cell(indicator.total) : null);
  }));
  return h('section', { class: 'card report-cluster', 'data-testid': `report-cluster-${cluster.cluster}` },
    h('h2', {}, cluster.label), h('div', { class: 'table-wrap' }, h('table', { class: 'data report-grid' }, head, body)));
}

/** One desa's page for its Pustu: every indicator with its numbers, status and shortfall. */
function desaPage(data, desa) {
  const rows = data.clusters.flatMap((cluster) => cluster.indicators.map((indicator) => {
    const c = indicator.cells.find((item) => item.desa === desa.code);
    return h('tr', { 'data-status': c?.status ?? 'none' }, indicatorHead(indicator),
      cells(c ? `${number(c.num_cum)} / ${number(c.denominator)}` : '—', c ? denominatorWords(c.denominator_source) : '—',
        pct(c?.coverage_month), pct(c?.coverage_cum), pct(c?.target_cum), statusBadge(c?.status),
        c?.direction ? t(`pws.direction.${c.direction}`) : '—', c?.gap_persons ? t('pws.gap_persons', { n: c.gap_persons }) : '—',
        c?.rank ?? '—'));
  }));
  return h('section', { class: 'card report-desa page-break', 'data-testid': 'report-desa', 'data-desa': desa.code },
    h('h2', {}, t('report.desa_title', { desa: desa.name, month: formatMonth(data.month) })),
    dataTable([t('pws.indicator'), t('pws.num_den'), t('report.denominator_source'), t('pws.coverage_month'), t('pws.coverage_cum'),
      t('report.target_cum'), t('pws.status'), t('pws.direction'), t('pws.gap'), t('pws.rank')], rows));
}

function denominators(data) {
  const rows = data.denominators.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.label),
    cells(row.desa_name, number(row.value), denominatorWords(row.source), row.indicators.join(', '))));
  return card(t('report.denominators'), h('p', { class: 'meta' }, t('report.denominators_note')),
    dataTable([t('report.group'), t('pws.desa'), t('report.value'), t('report.source'), t('report.used_for')], rows,
      { 'data-testid': 'report-denominators' }));
}

function followup(data, names) {
  const title = t('report.followup', { month: formatMonth(data.previous_month) });
  if (!data.followup) return card(title, empty(t('report.not_available')));
  const rows = data.followup.map((row) => h('tr', {}, h('th', { scope: 'row' }, names.get(row.desa) ?? row.desa),
    cells(number(row.created), number(row.open), number(row.done), number(row.cancelled),
      ...OUTCOMES.map((code) => number(row.outcomes?.[code] ?? 0)))));
  return card(title, dataTable([t('pws.desa'), t('report.created'), t('pws.followup.open'), t('pws.followup.done'),
    t('pws.followup.cancelled'), ...OUTCOMES.map((code) => t(`task.outcome.${code}`))], rows, { 'data-testid': 'report-followup' }));
}

function morbidity(data) {
  if (!data.morbidity) return card(t('report.morbidity'), empty(t('report.not_available')));
  const top = data.morbidity.top.map((row, i) => h('tr', {}, cells(i + 1, row.label, number(row.cases))));
  const watch = data.morbidity.watch.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.label),
    data.desa.map((d) => h('td', {}, number(row.cases_by_desa?.[d.code] ?? 0))), h('td', {}, number(row.total))));
  return card(t('report.morbidity'),
    top.length ? dataTable([t('pws.morbidity.rank'), t('pws.morbidity.diagnosis'), t('pws.morbidity.cases')], top) : empty(t('pws.morbidity.none')),
    watch.length ? dataTable([t('pws.morbidity.watch_item'), ...data.desa.map((d) => d.name), t('report.total')], watch) : null);
}

/** #/pws/report?month=YYYY-MM */
export async function pwsReportPage(params, query) {
  const month = monthOf(query);
  const [got] = await Promise.all([load({ report: link('/evaluation', { month }) }), ensureReportStyles()]);
  if (got.page) return got.page;
  const data = got.data.report;
  const names = new Map(data.desa.map((d) => [d.code, d.name]));
  return pwsPage('report', month, { lead: t('report.lead') },
    h('div', { class: 'report', 'data-testid': 'pws-report' },
      h('header', { class: 'report-head' }, h('h2', {}, t('report.title', { month: formatMonth(month) })), readAt(got.at)),
      reportActions([[link(`${API}/evaluation.xlsx`, { month }), t('report.xlsx')]]),
      h('p', { class: 'no-print' }, h('a', { href: link('#/pws/kohort', {}) }, t('kohort.open'))),
      statusCounts(data), largestGaps(data),
      data.clusters.map((cluster) => clusterGrid(cluster, data.desa)),
      data.desa.map((desa) => desaPage(data, desa)),
      h('div', { class: 'page-break' }, denominators(data)), followup(data, names), morbidity(data)));
}
