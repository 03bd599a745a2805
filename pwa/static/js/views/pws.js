// PWS (Pemantauan Wilayah Setempat), online: (a) the classic graph of one indicator — a bar
// per desa of cumulative coverage against the cumulative target line, coloured by status,
// an arrow for rising or falling — and (b) the desa × indicator status grid by cluster.
// Every number, status and direction comes from GET /api/v1/pws/board (backend/pws/).

import { h } from '../dom.js';
import { formatMonth, formatNumber, t } from '../i18n.js';
import { coverageChart } from './pws-chart.js';
import { ARROW, STATUSES, axisMax, boardGraph, byCluster, cellIndex } from './pws-data.js';
import { doubtOf, doubtRows, doubtSummary, doubtTotal, excludedNote } from './pws-doubt.js';
import {
  chartCard, denominatorWords, link, load, monthOf, pct, pwsPage, readAt, seesNames, statusBadge,
} from './pws-ui.js';
import { card, dataTable, empty } from './ui.js';

function clusterName(cluster) {
  return t(`record.cluster.${cluster}`);
}

function indicatorPicker(board, chosen, month) {
  return h('div', { class: 'pws-field' }, h('label', { for: 'pws-indicator' }, t('pws.indicator')), h('select', {
    id: 'pws-indicator',
    onchange: (event) => { window.location.hash = link('#/pws', { month, indicator: event.target.value }); },
  }, byCluster(board.indicators).map(([cluster, items]) => h('optgroup', { label: clusterName(cluster) },
    items.map((item) => h('option', { value: item.id, selected: item.id === chosen }, `${item.short} — ${item.label}`))))));
}

/** What the four colours mean, always in words (Pedoman PWS-KIA). */
export function statusLegend() {
  return h('details', { class: 'legend pws-legend' }, h('summary', {}, t('pws.legend')),
    h('ul', {}, STATUSES.map((status) => h('li', {},
      h('span', { class: `pws-swatch ${status}`, 'aria-hidden': 'true' }), statusBadge(status), ' ', t(`pws.status_means.${status}`))),
    h('li', {}, `${ARROW.naik} ${t('pws.direction.naik')} · ${ARROW.turun} ${t('pws.direction.turun')} · ${ARROW.tetap} ${t('pws.direction.tetap')}`)));
}

function directionWords(direction) {
  return direction ? `${ARROW[direction]} ${t(`pws.direction.${direction}`)}` : '—';
}

function denominatorCell(cell) {
  if (!cell) return '—';
  return `${formatNumber(cell.denominator, 0)} (${denominatorWords(cell.denominator_source)})`;
}

function graphTable(board, indicator, graph, month) {
  const names = seesNames();
  const total = board.totals.find((row) => row.indicator === indicator.id);
  // A rank among one desa (a Pustu sees her own) says nothing: the column is left out.
  const ranked = board.desa.length > 1;
  const doubt = doubtOf(board);
  const row = (name, cell, desa, counts) => h('tr', { 'data-status': cell?.status ?? 'none' },
    h('td', { class: 'pws-rowhead' }, desa ? h('a', { href: link(`#/pws/desa/${desa}`, { indicator: indicator.id, month }) }, name) : h('strong', {}, name)),
    h('td', {}, pct(cell?.coverage_cum)), h('td', {}, pct(cell?.coverage_month)),
    h('td', {}, statusBadge(cell?.status)), h('td', {}, directionWords(cell?.direction)),
    h('td', {}, cell ? `${formatNumber(cell.num_cum, 0)} / ${denominatorCell(cell)}` : '—'),
    h('td', {}, cell?.gap_persons ? (names && desa
      ? h('a', { href: link(`#/pws/gaps/${desa}`, { indicator: indicator.id, month }) }, t('pws.gap_persons', { n: cell.gap_persons }))
      : t('pws.gap_persons', { n: cell.gap_persons })) : '—'),
    ranked ? h('td', {}, cell?.rank ?? '—') : null,
    h('td', { 'data-testid': 'pws-doubt' }, doubtSummary(counts, desa)));
  const headers = [t('pws.desa'), t('pws.coverage_cum'), t('pws.coverage_month'), t('pws.status'), t('pws.direction'),
    t('pws.num_den'), t('pws.gap'), ranked ? t('pws.rank') : null, t('pws.doubt.column')].filter(Boolean);
  const rows = graph.rows.map(({ desa, cell }) => row(desa.name, cell, desa.code, doubt(desa.code)));
  if (total && board.desa.length > 1) rows.push(row(t('pws.puskesmas'), total, null, doubtTotal(board)));
  return dataTable(headers, rows, { cards: true, 'data-testid': 'pws-graph-table' });
}

function graphScreen(board, query, month) {
  if (!board.indicators.length) return empty(t('pws.no_indicators'));
  const indicator = board.indicators.find((item) => item.id === query.indicator) ?? board.indicators[0];
  const graph = boardGraph(board, indicator.id);
  const target = indicator.target_cum_pct;
  const chart = coverageChart(graph, {
    label: t('pws.graph_label', { indicator: indicator.label, month: formatMonth(month) }),
    coverage: t('pws.coverage_cum'), target: t('pws.target_line', { target: pct(target) }),
    axis: t('pws.coverage_axis'), max: axisMax(graph.coverage, graph.target),
  });
  const note = t('pws.graph_note', {
    target: pct(indicator.target_pct), cum: pct(target), months: board.months_elapsed,
    period: t(`pws.period.${indicator.period}`),
  });
  return [indicatorPicker(board, indicator.id, month), statusLegend(),
    excludedNote(board.doubt?.excludes_flagged, [indicator]),
    chartCard(`${indicator.short} — ${indicator.label}`, chart, graphTable(board, indicator, graph, month), note)];
}

/** (a) #/pws?month=YYYY-MM&indicator=id */
export async function pwsGraphPage(params, query) {
  const month = monthOf(query);
  const got = await load({ board: link('/board', { month }) }, { chart: true });
  if (got.page) return got.page;
  return pwsPage('graph', month, { lead: t('pws.lead') }, readAt(got.at), graphScreen(got.data.board, query, month));
}

function gridCell(cell, indicator, desa, month) {
  if (!cell) return h('td', {}, '—');
  // No status (no denominator): the word says so, with no number or arrow to misread.
  const content = h('span', { class: 'pws-cell-body' }, statusBadge(cell.status), cell.status ? [
    h('span', { class: 'pws-cell-pct' }, pct(cell.coverage_cum)),
    h('span', { class: 'pws-arrow', title: t(`pws.direction.${cell.direction}`) }, ARROW[cell.direction])] : null);
  return h('td', { class: `pws-cell ${cell.status ?? 'none'}`, 'data-status': cell.status ?? 'none' }, desa
    ? h('a', { href: link(`#/pws/desa/${desa}`, { indicator, month }) }, content) : content);
}

function grid(board, cluster, month) {
  const cell = cellIndex(board.cells);
  const total = new Map(board.totals.map((row) => [row.indicator, row]));
  const showTotal = board.desa.length > 1;
  const groups = byCluster(board.indicators).filter(([key]) => !cluster || key === cluster);
  const columns = board.desa.length + 1 + (showTotal ? 1 : 0);
  return h('div', { class: 'table-wrap pws-grid-wrap' }, h('table', { class: 'data pws-grid', 'data-testid': 'pws-grid' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('pws.indicator')),
      board.desa.map((desa) => h('th', { scope: 'col' }, desa.name)),
      showTotal ? h('th', { scope: 'col' }, t('pws.puskesmas')) : null)),
    groups.map(([key, items]) => h('tbody', {},
      h('tr', { class: 'pws-cluster' }, h('th', { colspan: columns, scope: 'colgroup' }, clusterName(key))),
      items.map((item) => h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'pws-short' }, item.short), h('span', { class: 'meta' }, ` ${pct(item.target_cum_pct)}`)),
        board.desa.map((desa) => gridCell(cell(item.id, desa.code), item.id, desa.code, month)),
        showTotal ? gridCell(total.get(item.id), item.id, null, month) : null)))),
    doubtRows(board, columns, showTotal)));
}

/** (b) #/pws/grid?month=YYYY-MM&cluster=2 */
export async function pwsGridPage(params, query) {
  const month = monthOf(query);
  const got = await load({ board: link('/board', { month }) });
  if (got.page) return got.page;
  const { board } = got.data;
  const clusters = byCluster(board.indicators).map(([key]) => key);
  const cluster = clusters.includes(query.cluster) ? query.cluster : '';
  const chips = h('nav', { class: 'chips', 'aria-label': t('pws.clusters') },
    ['', ...clusters].map((key) => h('a', { href: link('#/pws/grid', { month, cluster: key }), 'aria-current': key === cluster ? 'page' : null },
      key ? clusterName(key) : t('pws.all_clusters'))));
  return pwsPage('grid', month, { lead: t('pws.grid_lead') }, readAt(got.at), chips, statusLegend(),
    card(t('pws.grid_title', { month: formatMonth(month) }), h('p', { class: 'meta' }, t('pws.grid_note')),
      excludedNote(board.doubt?.excludes_flagged, board.indicators), grid(board, cluster, month)));
}
