// Growth charts (0-60 months) drawn as SVG from the WHO 2006 LMS tables the evaluator uses:
// bands between the -3, -2, +2 and +3 SD curves, the median, the child's own points and a
// legend naming each line and, from config/ilp/growth.json, what each band means.
// X = M (1 + L S z)^(1/L), the inverse of the LMS z-score (docs/domain.md §6).
// By age: BB/U, PB/U-TB/U, lingkar kepala/U; by length or height: BB/PB, BB/TB.

import { categoryTable } from '../clinical/growth.js';
import { parseDate } from '../clinical/dates.js';
import { h, svg } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';

const W = 640;
const H = 360;
const PAD = { left: 52, right: 16, top: 24, bottom: 48 };
const DAYS_PER_MONTH = 30.4375;
const BANDS = [[-3, -2, 'band-warn'], [-2, 2, 'band-ok'], [2, 3, 'band-warn']];
const LINES = [[-3, 'sd3'], [-2, 'sd2'], [0, 'median'], [2, 'sd2'], [3, 'sd3']];
// index -> unit, y grid step, and the growth.json category table its bands follow (if any).
const INDICES = {
  bb_u: { unit: 'kg', step: 2, categories: 'bb_u' },
  tb_u: { unit: 'cm', step: 10, categories: 'tb_u' },
  lk_u: { unit: 'cm', step: 2, categories: null },
  bb_pb: { unit: 'kg', step: 2, categories: 'bb_tb', byLength: true },
  bb_tb: { unit: 'kg', step: 2, categories: 'bb_tb', byLength: true },
};

function lastKey(table, sex) {
  return table.start + table.step * (table[sex].m.length - 1);
}

function valueAt(table, sex, key, z) {
  const column = table[sex];
  const i = Math.min(Math.max(Math.round((key - table.start) / table.step), 0), column.m.length - 1);
  const [l, m, s] = [column.l[i], column.m[i], column.s[i]];
  return Math.abs(l) < 1e-9 ? m * Math.exp(s * z) : m * (1 + l * s * z) ** (1 / l);
}

function ageDays(person, date) {
  return parseDate(date, 'date') - parseDate(person.birth_date, 'birth_date');
}

/** The x axis: keys of the table (age in days, or length/height in cm) and their ticks. */
function xAxis(table, person, spec, points) {
  if (spec.byLength) {
    const xs = points.map((p) => p.x);
    const from = Math.max(table.start, Math.floor((Math.min(...xs, 1e9) - 5) / 5) * 5);
    const to = Math.min(lastKey(table, person.sex), Math.ceil((Math.max(...xs, 0) + 5) / 5) * 5);
    const [lo, hi] = xs.length ? [from, Math.max(to, from + 20)] : [table.start, lastKey(table, person.sex)];
    const ticks = [];
    for (let cm = Math.ceil(lo / 5) * 5; cm <= hi; cm += 5) ticks.push([cm, String(cm)]);
    return { lo, hi, sample: 0.5, ticks, label: t(table.index === 'bb_pb' ? 'growth.length_cm' : 'growth.height_cm') };
  }
  const lastMonth = Math.max(...points.map((p) => p.x / DAYS_PER_MONTH), 0);
  const months = lastMonth < 22 ? 24 : 60;
  const hi = Math.min(Math.round(months * DAYS_PER_MONTH), lastKey(table, person.sex));
  const ticks = [];
  for (let month = 0; month <= months; month += 6) ticks.push([month * DAYS_PER_MONTH, String(month)]);
  return { lo: 0, hi, sample: 7, ticks, label: t('growth.age_months') };
}

function bandText(band, lower) {
  const sd = (z) => `${z > 0 ? '+' : z < 0 ? '−' : ''}${Math.abs(z)} SD`;
  const upper = band.lt ?? band.le;
  if (lower == null) return t('growth.band.below', { sd: sd(upper) });
  if (upper == null) return t('growth.band.above', { sd: sd(lower) });
  return t('growth.band.between', { from: sd(lower), to: sd(upper) });
}

/** The SD lines and, where growth.json classifies the index, what each band means. */
function legend(config, spec) {
  const bands = spec.categories ? categoryTable(config.growth, 'who2006', spec.categories) ?? [] : [];
  let lower = null;
  const meanings = bands.map((band) => {
    const text = `${bandText(band, lower)}: ${band.label}`;
    lower = band.lt ?? band.le ?? null;
    return h('li', {}, text);
  });
  const key = (cls, text) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return h('div', { class: 'chart-legend' },
    h('ul', { class: 'legend-keys' },
      key('median', t('growth.legend.median')), key('sd2', t('growth.legend.sd2')),
      key('sd3', t('growth.legend.sd3')), key('band-ok', t('growth.legend.band_ok')),
      key('band-warn', t('growth.legend.band_warn')), key('child', t('growth.legend.child'))),
    meanings.length ? h('ul', { class: 'legend-meaning', 'aria-label': t('growth.legend.meaning') }, meanings) : null);
}

/**
 * index: 'bb_u' (weight, kg), 'tb_u' (length/height, cm), 'lk_u' (head circumference, cm) by
 * age; 'bb_pb' / 'bb_tb' (weight, kg) by length / height. points: [{date, value}], with `x`
 * (the length or height, cm) for the last two. Returns a figure with the chart, its legend
 * and, for screen readers and print, the same data as a table; null without the WHO table.
 */
export function growthChart(config, person, index, points) {
  const table = config.who.who2006[index];
  const spec = INDICES[index];
  if (!table || !spec) return null;
  const placed = points.map((p) => ({ ...p, x: spec.byLength ? p.x : ageDays(person, p.date) }))
    .filter((p) => p.x >= table.start && p.x <= lastKey(table, person.sex));
  const axis = xAxis(table, person, spec, placed);
  const keys = [];
  for (let key = axis.lo; key <= axis.hi + 1e-9; key += axis.sample) keys.push(key);
  const top = Math.max(valueAt(table, person.sex, axis.hi, 3), ...placed.map((p) => p.value));
  const bottom = Math.min(valueAt(table, person.sex, axis.lo, -3), ...placed.map((p) => p.value));
  const x = (key) => PAD.left + ((key - axis.lo) / (axis.hi - axis.lo)) * (W - PAD.left - PAD.right);
  const y = (value) => H - PAD.bottom - ((value - bottom) / (top - bottom)) * (H - PAD.top - PAD.bottom);
  const curve = (z) => keys.map((key) => [x(key), y(valueAt(table, person.sex, key, z))]);
  const path = (pts) => pts.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`).join(' ');
  const ticksY = [];
  for (let value = Math.ceil(bottom / spec.step) * spec.step; value <= top; value += spec.step) ticksY.push(value);
  const title = t(`growth.${index}`);
  const latest = placed[placed.length - 1];
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'growth-chart', role: 'img', 'aria-labelledby': `chart-${index}-title chart-${index}-desc`,
  },
  svg('title', { id: `chart-${index}-title` }, title),
  svg('desc', { id: `chart-${index}-desc` }, latest
    ? t('growth.desc', { value: formatNumber(latest.value), unit: spec.unit, date: formatDate(latest.date) }) : t('growth.no_data')),
  BANDS.map(([from, to, cls]) => svg('path', { class: cls, d: `${path(curve(from))} ${path(curve(to).reverse()).replace('M', 'L')} Z` })),
  LINES.map(([z, cls]) => svg('path', { class: `line ${cls}`, d: path(curve(z)) })),
  ticksY.map((value) => [svg('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(value), y2: y(value) }),
    svg('text', { x: PAD.left - 8, y: y(value) + 5, class: 'tick', 'text-anchor': 'end' }, String(value))]),
  axis.ticks.map(([key, text]) => svg('text', { x: x(key), y: H - PAD.bottom + 20, class: 'tick', 'text-anchor': 'middle' }, text)),
  svg('text', { x: (W + PAD.left) / 2, y: H - 6, class: 'axis', 'text-anchor': 'middle' }, axis.label),
  svg('text', { x: 8, y: PAD.top - 6, class: 'axis' }, spec.unit),
  placed.length > 1 ? svg('path', { class: 'child-line', d: path(placed.map((p) => [x(p.x), y(p.value)])) }) : null,
  placed.map((p) => svg('circle', { class: 'child-point', cx: x(p.x), cy: y(p.value), r: 5 })));
  const headers = [t('growth.date'), spec.byLength ? `${axis.label}` : null, `${title} (${spec.unit})`].filter(Boolean);
  return h('figure', { class: 'growth', 'data-index': index },
    h('figcaption', {}, title),
    chart,
    legend(config, spec),
    h('details', {}, h('summary', {}, t('growth.show_data')),
      h('table', {}, h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, placed.map((p) => h('tr', {}, h('td', {}, formatDate(p.date)),
          spec.byLength ? h('td', {}, formatNumber(p.x)) : null, h('td', {}, formatNumber(p.value))))))));
}
