// What a PWS figure rests on that the Puskesmas has not reviewed yet (docs/review.md "PWS
// honesty"): per desa and month, records carrying open data-quality flags and possible
// duplicate persons, from the board's and the trend's `doubt` counts (backend/review/counts.py),
// and the sentence saying that prevalences leave flagged growth values out. Counts only, for
// everyone who sees PWS; the reviewing roles get a link into Tinjauan.

import { hasRole } from '../app.js';
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { link } from './pws-ui.js';

// The roles that review synced records (backend/api/review/scope.py reviewer()).
const REVIEW_ROLES = ['klaster', 'kapus', 'admin'];

export const reviews = () => hasRole(...REVIEW_ROLES);

/** desa code → {open_flags, duplicates} of the board; an absent desa has none. */
export function doubtOf(board) {
  const index = new Map((board.doubt?.desa ?? []).map((row) => [row.desa, row]));
  return (desa) => index.get(desa) ?? { open_flags: 0, duplicates: 0 };
}

/** Both counts summed over the board's desa (the Puskesmas row). */
export function doubtTotal(board) {
  const rows = board.doubt?.desa ?? [];
  return {
    open_flags: rows.reduce((sum, row) => sum + row.open_flags, 0),
    duplicates: rows.reduce((sum, row) => sum + row.duplicates, 0),
  };
}

/** Where a reviewer works on them: the desa's flagged queue, or its possible duplicates. */
function reviewHref(kind, desa) {
  return kind === 'open_flags'
    ? link('#/review', { tab: 'queue', desa, show: 'open', flagged: 1 })
    : link('#/review', { tab: 'duplicates', desa });
}

/** The count of `kind` ('open_flags' | 'duplicates'): a number, a link into Tinjauan for a
 * reviewer when there is something to review in one desa, a plain 0 when none. */
export function doubtCount(counts, kind, desa, words = null) {
  const n = counts?.[kind] ?? 0;
  if (!n) return h('span', { class: 'meta' }, words ?? '0');
  const text = words ?? formatNumber(n, 0);
  return desa && reviews()
    ? h('a', { href: reviewHref(kind, desa), title: t(`pws.doubt.review_${kind}`), 'data-testid': `pws-doubt-${kind}` }, text)
    : h('strong', { 'data-testid': `pws-doubt-${kind}` }, text);
}

/** One table cell's worth for both counts ("2 catatan bertanda, 1 mungkin ganda"), for the
 * tables whose columns are already many: "Tidak ada" when nothing waits for review. */
export function doubtSummary(counts, desa) {
  const parts = ['open_flags', 'duplicates'].filter((kind) => counts?.[kind])
    .map((kind) => doubtCount(counts, kind, desa, t(`pws.doubt.n_${kind}`, { n: formatNumber(counts[kind], 0) })));
  if (!parts.length) return h('span', { class: 'meta' }, t('pws.doubt.none'));
  return h('span', { class: 'pws-doubt-cell' }, parts);
}

/** "Angka prevalensi … tidak menghitung …" when flagged values are left out of the
 * prevalence indicators among `indicators` ({short, period}), else null. */
export function excludedNote(excludes, indicators) {
  const names = indicators.filter((item) => item.period === 'prevalence').map((item) => item.short);
  if (!excludes || !names.length) return null;
  return h('p', { class: 'meta', role: 'note', 'data-testid': 'pws-excludes-flagged' },
    t('pws.doubt.excluded', { names: names.join(', ') }));
}

/** The grid's last group: two rows of counts per desa (and the Puskesmas). */
export function doubtRows(board, columns, showTotal) {
  const of = doubtOf(board);
  const total = doubtTotal(board);
  const row = (kind) => h('tr', { 'data-testid': `pws-doubt-row-${kind}` },
    h('th', { scope: 'row' }, t(`pws.doubt.${kind}`)),
    board.desa.map((desa) => h('td', {}, doubtCount(of(desa.code), kind, desa.code))),
    showTotal ? h('td', {}, doubtCount(total, kind, null)) : null);
  return h('tbody', { class: 'pws-doubt' },
    h('tr', { class: 'pws-cluster' }, h('th', { colspan: columns, scope: 'colgroup' }, t('pws.doubt.title'))),
    row('open_flags'), row('duplicates'));
}
