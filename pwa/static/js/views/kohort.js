// Kohort Ibu and Kohort Bayi / Anak Balita of a desa and year, printable like the paper books
// (A4 landscape, a page per section and per desa, headers repeated, girls' lines in red as the
// Juknis kohor asks, with L/P in words too). Rows and columns come from
// GET /api/v1/pws/kohort/{ibu,balita} (backend/pws/kohort.py); this view only lays them out.

import { app } from '../app.js';
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { headerRows, parts, shortDate } from './kohort-layout.js';
import { ensureReportStyles, reportActions } from './pws-report.js';
import { desaNames } from './places.js';
import { link, load, readAt } from './pws-ui.js';
import { empty, page } from './ui.js';

const KINDS = ['balita', 'ibu'];
const ALL = 'semua';
const API = '/api/v1/pws';

/** A cell's text: dates as short dates, numbers as numbers, nothing as blank. */
export function cellText(column, value) {
  if (value === null || value === undefined || value === '') return '';
  if (column.kind === 'date') return shortDate(value);
  if (column.kind === 'number') return formatNumber(value, 0);
  return String(value);
}

function table(section, columns, part) {
  const { top, bottom } = headerRows(columns);
  const head = h('thead', {},
    h('tr', {}, top.map((cell) => h('th', { scope: 'col', colspan: cell.span > 1 ? cell.span : null, rowspan: cell.rows > 1 ? 2 : null }, cell.label))),
    h('tr', {}, bottom.map((column) => h('th', { scope: 'col' }, column.label))));
  const body = h('tbody', {}, section.rows.map((row) => h('tr', { class: row.sex === 'P' ? 'girl' : null },
    columns.map((column) => h('td', { class: `k-${column.kind}` }, cellText(column, row[column.key]))))));
  return h('div', { class: `table-wrap kohort-part part-${part}` },
    h('table', { class: 'data kohort-table', 'data-testid': `kohort-table-${section.key}`, 'data-part': part }, head, body));
}

function sectionBlock(kohort, section) {
  const girls = section.rows.filter((row) => row.sex === 'P').length;
  const counts = kohort.kind === 'balita'
    ? t('kohort.counts_sex', { n: section.rows.length, boys: section.rows.length - girls, girls })
    : t('kohort.counts', { n: section.rows.length });
  return h('section', { class: 'card kohort-section page-break', 'data-testid': `kohort-${section.key}` },
    h('h2', {}, t('kohort.section_title', { title: section.title, desa: kohort.desa.name, year: kohort.year })),
    section.rows.length ? [h('p', { class: 'meta' }, counts), parts(section.columns).map((columns, i) => table(section, columns, i + 1))]
      : empty(t('kohort.none')));
}

function pickers(kind, desa, year, choices) {
  const go = (changes) => { window.location.hash = link('#/pws/kohort', { kind, desa, year, ...changes }); };
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  const field = (id, label, control) => h('div', { class: 'pws-field' }, h('label', { for: id }, label), control);
  return h('div', { class: 'kohort-pickers no-print' },
    field('kohort-kind', t('kohort.kind'), h('select', { id: 'kohort-kind', onchange: (e) => go({ kind: e.target.value }) },
      KINDS.map((k) => h('option', { value: k, selected: k === kind }, t(`kohort.kind_${k}`))))),
    field('kohort-desa', t('pws.desa'), h('select', { id: 'kohort-desa', onchange: (e) => go({ desa: e.target.value }) },
      [...choices.map((d) => h('option', { value: d.code, selected: d.code === desa }, d.name)),
        choices.length > 1 ? h('option', { value: ALL, selected: desa === ALL }, t('kohort.all_desa')) : null])),
    field('kohort-year', t('kohort.year'), h('select', { id: 'kohort-year', onchange: (e) => go({ year: e.target.value }) },
      years.map((y) => h('option', { value: y, selected: y === year }, String(y))))));
}

/** The user's desa with their names (the places the device holds: never a code on screen). */
function desaChoices() {
  const scopes = [...(app.profile?.scopes ?? [])].sort();
  const names = desaNames(scopes);
  return scopes.map((code, i) => ({ code, name: names[i] }));
}

/** #/pws/kohort?kind=balita|ibu&desa=code|semua&year=YYYY */
export async function kohortPage(params, query) {
  const kind = KINDS.includes(query.kind) ? query.kind : 'balita';
  const year = Number.parseInt(query.year, 10) || new Date().getFullYear();
  const choices = desaChoices();
  const desa = query.desa === ALL || choices.some((d) => d.code === query.desa) ? query.desa : choices[0]?.code;
  const codes = desa === ALL ? choices.map((d) => d.code) : [desa];
  const paths = Object.fromEntries(codes.map((code) => [code, link(`/kohort/${kind}`, { desa: code, year })]));
  const [got] = await Promise.all([load(paths), ensureReportStyles()]);
  if (got.page) return got.page;
  const downloads = reportActions(codes.map((code) => [link(`${API}/kohort/${kind}.xlsx`, { desa: code, year }),
    t('kohort.xlsx', { desa: choices.find((d) => d.code === code).name })]));
  return page(t('kohort.title'), { back: '#/pws/report', lead: t('kohort.lead') },
    h('div', { class: 'report kohort', 'data-testid': 'kohort' },
      pickers(kind, desa, year, choices), readAt(got.at), downloads,
      codes.map((code) => h('div', { class: 'kohort-desa page-break', 'data-desa': code },
        got.data[code].sections.map((section) => sectionBlock(got.data[code], section))))));
}
