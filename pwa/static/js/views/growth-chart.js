// Growth chart (0-60 months) drawn as SVG from the WHO 2006 LMS tables the evaluator uses:
// bands between the -3, -2, +2 and +3 SD curves, the median, and the child's own points.
// X = M (1 + L S z)^(1/L), the inverse of the LMS z-score (docs/domain.md §6).

import { parseDate } from '../clinical/dates.js';
import { h, svg } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';

const W = 640;
const H = 360;
const PAD = { left: 52, right: 16, top: 24, bottom: 48 };
const DAYS_PER_MONTH = 30.4375;
const BANDS = [[-3, -2, 'band-warn'], [-2, 2, 'band-ok'], [2, 3, 'band-warn']];
const LINES = [[-3, 'sd3'], [-2, 'sd2'], [0, 'median'], [2, 'sd2'], [3, 'sd3']];

function valueAt(table, sex, day, z) {
  const column = table[sex];
  const i = Math.min(Math.max(Math.round((day - table.start) / table.step), 0), column.m.length - 1);
  const [l, m, s] = [column.l[i], column.m[i], column.s[i]];
  return Math.abs(l) < 1e-9 ? m * Math.exp(s * z) : m * (1 + l * s * z) ** (1 / l);
}

function daysBetween(from, to) {
  return parseDate(to, 'date') - parseDate(from, 'birth_date');
}

/**
 * index: 'bb_u' (weight, kg) or 'tb_u' (length/height, cm). points: [{date, value}].
 * Returns a figure with the chart and, for screen readers and print, the same data as a table.
 */
export function growthChart(config, person, index, points) {
  const table = config.who.who2006[index];
  const ages = points.map((point) => daysBetween(person.birth_date, point.date));
  const lastMonth = Math.max(...ages.map((day) => day / DAYS_PER_MONTH), 0);
  const months = lastMonth < 22 ? 24 : 60;
  const maxDay = Math.min(Math.round(months * DAYS_PER_MONTH), table.start + table.step * (table[person.sex].m.length - 1));
  const days = [];
  for (let day = 0; day <= maxDay; day += 7) days.push(day);
  const top = Math.max(valueAt(table, person.sex, maxDay, 3), ...points.map((p) => p.value));
  const bottom = Math.min(valueAt(table, person.sex, 0, -3), ...points.map((p) => p.value));
  const x = (day) => PAD.left + (day / maxDay) * (W - PAD.left - PAD.right);
  const y = (value) => H - PAD.bottom - ((value - bottom) / (top - bottom)) * (H - PAD.top - PAD.bottom);
  const curve = (z) => days.map((day) => [x(day), y(valueAt(table, person.sex, day, z))]);
  const path = (pts) => pts.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`).join(' ');
  const step = index === 'bb_u' ? 2 : 10;
  const ticksY = [];
  for (let value = Math.ceil(bottom / step) * step; value <= top; value += step) ticksY.push(value);
  const ticksX = [];
  for (let month = 0; month <= months; month += 6) ticksX.push(month);
  const unit = index === 'bb_u' ? 'kg' : 'cm';
  const title = t(`growth.${index}`);
  const latest = points[points.length - 1];
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'growth-chart', role: 'img', 'aria-labelledby': `chart-${index}-title chart-${index}-desc`,
  },
  svg('title', { id: `chart-${index}-title` }, title),
  svg('desc', { id: `chart-${index}-desc` }, latest
    ? t('growth.desc', { value: formatNumber(latest.value), unit, date: formatDate(latest.date) }) : t('growth.no_data')),
  BANDS.map(([from, to, cls]) => svg('path', { class: cls, d: `${path(curve(from))} ${path(curve(to).reverse()).replace('M', 'L')} Z` })),
  LINES.map(([z, cls]) => svg('path', { class: `line ${cls}`, d: path(curve(z)) })),
  ticksY.map((value) => [svg('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(value), y2: y(value) }),
    svg('text', { x: PAD.left - 8, y: y(value) + 5, class: 'tick', 'text-anchor': 'end' }, String(value))]),
  ticksX.map((month) => svg('text', { x: x(month * DAYS_PER_MONTH), y: H - PAD.bottom + 20, class: 'tick', 'text-anchor': 'middle' }, String(month))),
  svg('text', { x: (W + PAD.left) / 2, y: H - 6, class: 'axis', 'text-anchor': 'middle' }, t('growth.age_months')),
  svg('text', { x: 8, y: PAD.top - 6, class: 'axis' }, unit),
  points.length > 1 ? svg('path', { class: 'child-line', d: path(points.map((p, i) => [x(ages[i]), y(p.value)])) }) : null,
  points.map((p, i) => svg('circle', { class: 'child-point', cx: x(ages[i]), cy: y(p.value), r: 5 })));
  return h('figure', { class: 'growth' },
    h('figcaption', {}, title),
    chart,
    h('details', {}, h('summary', {}, t('growth.show_data')),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('growth.date')), h('th', { scope: 'col' }, `${title} (${unit})`))),
        h('tbody', {}, points.map((p) => h('tr', {}, h('td', {}, formatDate(p.date)), h('td', {}, formatNumber(p.value))))))));
}
