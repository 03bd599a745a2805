// Capaian: per desa and month, how many records were synced, how many of them a reviewer has
// decided on (the share), and what is still open: flags and possible duplicates. The numbers
// are the server's (backend/review/progress.py, counting with backend/review/counts.py).

import { h } from '../dom.js';
import { formatMonth, formatNumber, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { percent } from './review-model.js';
import { badge, card, dataTable, empty } from './ui.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthPicker(month) {
  return h('form', { class: 'inline-form', onsubmit: (event) => event.preventDefault() },
    h('label', { for: 'review-month' }, t('review.month')),
    h('input', {
      id: 'review-month', type: 'month', value: month, max: new Date().toISOString().slice(0, 7),
      onchange: (event) => { if (MONTH.test(event.target.value)) window.location.hash = `#/review?tab=progress&month=${event.target.value}`; },
    }));
}

function row(item) {
  const share = percent(item.share);
  return h('tr', {},
    h('td', {}, item.name),
    h('td', { class: 'num' }, formatNumber(item.records, 0)),
    h('td', { class: 'num' }, formatNumber(item.reviewed, 0)),
    h('td', { class: 'num' }, share ?? '—'),
    h('td', { class: 'num' }, item.open_flags ? badge(formatNumber(item.open_flags, 0), 'bad') : '0'),
    h('td', { class: 'num' }, item.duplicates ? badge(formatNumber(item.duplicates, 0), 'warn') : '0'));
}

export async function progressTab(query) {
  const month = MONTH.test(query.month ?? '') ? query.month : new Date().toISOString().slice(0, 7);
  const data = await apiFetch(`/review/progress?month=${month}`);
  const total = data.desa.reduce((sum, item) => ({ records: sum.records + item.records, reviewed: sum.reviewed + item.reviewed }),
    { records: 0, reviewed: 0 });
  const headers = [t('review.desa'), t('review.progress.records'), t('review.progress.reviewed'), t('review.progress.share'),
    t('review.progress.open_flags'), t('review.progress.duplicates')];
  return [
    monthPicker(month),
    card(t('review.progress.title', { month: formatMonth(month) }),
      h('p', { class: 'meta' }, t('review.progress.total', {
        reviewed: total.reviewed, records: total.records, share: percent(total.records ? total.reviewed / total.records : null) ?? '—',
      })),
      data.desa.length ? dataTable(headers, data.desa.map(row), { cards: true, 'data-testid': 'review-progress-table' })
        : empty(t('review.progress.none'))),
  ];
}
