// (c) One desa's 12 months of one indicator against the cumulative target line, from
// GET /api/v1/pws/trend; the way into the names behind its gap (drill-down) for the roles
// that may see names.

import { h } from '../dom.js';
import { formatMonth, formatNumber, t } from '../i18n.js';
import { trendChart } from './pws-chart.js';
import { axisMax, trendSeries } from './pws-data.js';
import { doubtSummary, excludedNote } from './pws-doubt.js';
import { chartCard, link, load, monthOf, pct, pwsPage, readAt, seesNames, statusBadge } from './pws-ui.js';
import { desaNames } from './places.js';
import { dataTable, linkButton } from './ui.js';

function trendTable(trend) {
  const headers = [t('pws.month'), t('pws.coverage_month'), t('pws.coverage_cum'), t('pws.target_cum'), t('pws.num_den'), t('pws.status'),
    t('pws.doubt.column')];
  return dataTable(headers, trend.points.map((point) => h('tr', {},
    h('td', { class: 'pws-rowhead pws-nowrap' }, h('strong', {}, formatMonth(point.month, 'short'))), h('td', {}, pct(point.coverage_month)),
    h('td', {}, pct(point.coverage_cum)), h('td', {}, pct(point.target_cum)),
    h('td', {}, `${formatNumber(point.num_cum ?? 0, 0)} / ${formatNumber(point.denominator ?? 0, 0)}`),
    h('td', {}, statusBadge(point.status)),
    // A past month's counts link to the queue as it is now: the reviewer finds them there.
    h('td', { 'data-testid': 'pws-doubt' }, doubtSummary(point, trend.desa)))),
  { cards: true, 'data-testid': 'pws-trend-table' });
}

function indicatorPicker(indicators, chosen, desa, month) {
  return h('div', { class: 'pws-field' }, h('label', { for: 'pws-trend-indicator' }, t('pws.indicator')), h('select', {
    id: 'pws-trend-indicator',
    onchange: (event) => { window.location.hash = link(`#/pws/desa/${desa}`, { month, indicator: event.target.value }); },
  }, indicators.map((item) => h('option', { value: item.id, selected: item.id === chosen }, `${item.short} — ${item.label}`))));
}

/** #/pws/desa/<code>?indicator=id&month=YYYY-MM */
export async function pwsTrendPage({ desa }, query) {
  const month = monthOf(query);
  const got = await load({
    indicators: '/indicators',
    trend: link('/trend', { desa, indicator: query.indicator || 'k1', month }),
  }, { chart: true });
  if (got.page) return got.page;
  const { indicators, trend } = got.data;
  const indicator = indicators.find((item) => item.id === trend.indicator) ?? { id: trend.indicator, short: '', label: '' };
  const name = desaNames([desa])[0];
  const series = trendSeries(trend);
  const labels = series.months.map((item) => formatMonth(item, 'short'));
  const chart = trendChart(series, {
    label: t('pws.trend_label', { indicator: indicator.label, desa: name }), labels,
    cumulative: t('pws.coverage_cum'), monthly: t('pws.coverage_month'), target: t('pws.target_cum'),
    axis: t('pws.coverage_axis'), max: axisMax(series.coverageCum, series.coverageMonth, series.target),
  });
  const last = trend.points.at(-1);
  const drill = seesNames() && last?.denominator
    ? linkButton(link(`#/pws/gaps/${desa}`, { indicator: indicator.id, month }), t('pws.to_gaps'), 'primary') : null;
  return pwsPage(null, month, { back: link('#/pws/grid', { month }) },
    h('h2', { class: 'pws-subtitle', 'data-testid': 'pws-trend-title' }, t('pws.trend_title', { desa: name })),
    readAt(got.at), indicatorPicker(indicators, indicator.id, desa, month),
    h('p', { class: 'pws-now' }, t('pws.trend_now', { month: formatMonth(month) }), ' ', statusBadge(last?.status),
      ` ${pct(last?.coverage_cum)} / ${pct(last?.target_cum)}`),
    drill ? h('div', { class: 'page-actions' }, drill) : null,
    excludedNote(trend.excludes_flagged, [indicator]),
    chartCard(`${indicator.short} — ${indicator.label}`, chart, trendTable(trend)));
}
