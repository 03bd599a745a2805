// (d) Morbidity by desa for a month, from GET /api/v1/pws/morbidity: new cases by ICD-10
// category — the top causes of the Puskesmas, the watch list (config/ilp/pws.json
// `morbidity.watch`) per desa, and every desa's causes with the share reported by FKTP.

import { h } from '../dom.js';
import { formatMonth, formatNumber, t } from '../i18n.js';
import { morbidityChart } from './pws-chart.js';
import { morbidityBars } from './pws-data.js';
import { chartCard, link, load, monthOf, pwsPage, readAt } from './pws-ui.js';
import { card, dataTable, empty } from './ui.js';

const n = (value) => formatNumber(value ?? 0, 0);
// "J06 Infeksi saluran napas atas akut"; a category the list lacks comes back named by its code.
const diagnosis = (row) => (row.label && row.label !== row.code ? `${row.code} ${row.label}` : row.code);

function topTable(morbidity) {
  return dataTable([t('pws.morbidity.rank'), t('pws.morbidity.diagnosis'), t('pws.morbidity.cases')],
    morbidity.top.map((row, i) => h('tr', {}, h('td', {}, i + 1), h('th', { scope: 'row' }, diagnosis(row)),
      h('td', {}, n(row.cases)))), { 'data-testid': 'pws-morbidity-top' });
}

function watchTable(morbidity) {
  if (!morbidity.watch.length) return empty(t('pws.morbidity.no_watch'));
  const many = morbidity.desa.length > 1;
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'pws-morbidity-watch' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('pws.morbidity.watch_item')),
      morbidity.desa.map((desa) => h('th', { scope: 'col' }, desa.name)),
      many ? h('th', { scope: 'col' }, t('pws.puskesmas')) : null)),
    h('tbody', {}, morbidity.watch.map((row) => h('tr', { class: row.total ? 'pws-watch-hit' : null },
      h('th', { scope: 'row' }, row.label, h('span', { class: 'meta' }, ` (${row.codes.join(', ')})`)),
      morbidity.desa.map((desa) => h('td', {}, n(row.cases_by_desa?.[desa.code]))),
      many ? h('td', {}, h('strong', {}, n(row.total))) : null)))));
}

function desaTables(morbidity) {
  return morbidity.desa.map((desa) => {
    const rows = morbidity.rows.filter((row) => row.desa === desa.code).sort((a, b) => b.cases - a.cases);
    return h('section', { class: 'pws-desa-morbidity' }, h('h3', {}, desa.name), rows.length
      ? dataTable([t('pws.morbidity.diagnosis'), t('pws.morbidity.cases'), t('pws.morbidity.fktp')],
        rows.map((row) => h('tr', {}, h('td', { class: 'pws-rowhead' }, diagnosis(row)), h('td', {}, n(row.cases)),
          h('td', {}, n(row.cases_fktp)))), { cards: true })
      : empty(t('pws.morbidity.none_desa')));
  });
}

/** #/pws/morbidity?month=YYYY-MM */
export async function pwsMorbidityPage(params, query) {
  const month = monthOf(query);
  const got = await load({ morbidity: link('/morbidity', { month }) }, { chart: true });
  if (got.page) return got.page;
  const { morbidity } = got.data;
  const bars = morbidityBars(morbidity);
  const top = bars.labels.length
    ? chartCard(t('pws.morbidity.top', { month: formatMonth(month) }), morbidityChart(bars, {
      label: t('pws.morbidity.chart_label', { month: formatMonth(month) }), cases: t('pws.morbidity.cases'),
    }), topTable(morbidity), t('pws.morbidity.note'))
    : card(t('pws.morbidity.top', { month: formatMonth(month) }), empty(t('pws.morbidity.none')));
  return pwsPage('morbidity', month, { lead: t('pws.morbidity.lead') }, readAt(got.at), top,
    card(t('pws.morbidity.watch'), watchTable(morbidity)),
    card(t('pws.morbidity.by_desa'), desaTables(morbidity)));
}
