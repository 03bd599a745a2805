// The PWS screens' pure part: months, the picture of a status and the chart data drawn from
// the API's answers. No rule is decided here — status, direction, coverage and targets all
// come computed from /api/v1/pws (backend/pws/status.py, compute.py); this only arranges
// them for the eye, so a node test can hold it without a browser.

// Status word -> badge tone and bar colour. The colour repeats what the word says (the word
// is always printed beside it): the Pedoman PWS-KIA (Kemenkes 2010) draws baik green and
// jelek red; kurang (on target but falling) amber, cukup (below but rising) blue.
export const STATUS_TONE = { baik: 'ok', kurang: 'warn', cukup: 'info', jelek: 'bad' };
export const STATUS_COLOUR = { baik: '#1d6b32', kurang: '#b06a00', cukup: '#0b4f8a', jelek: '#a4161a' };
export const NO_STATUS_COLOUR = '#8a96a3';
export const STATUSES = ['baik', 'kurang', 'cukup', 'jelek'];
// Rising / falling against last month, as the guideline's graph marks it.
export const ARROW = { naik: '▲', turun: '▼', tetap: '▶' };

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2026-11" for the device's local calendar month (the Puskesmas's zone on its own desks). */
export function currentMonth(date = new Date()) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** `month` when it is a well-formed month not after `latest`, else `latest`: a typed-in or
 * stale link falls back to the current month instead of asking the server for the future. */
export function pickMonth(month, latest) {
  return MONTH_RE.test(month ?? '') && month <= latest ? month : latest;
}

/** The month `delta` months from `month` ("2026-01", -1 -> "2025-12"). */
export function shiftMonth(month, delta) {
  const [year, mon] = month.split('-').map(Number);
  const index = year * 12 + (mon - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The earliest month the API answers for (five years back, common.md "Month rules"). */
export function earliestMonth(latest) {
  return shiftMonth(latest, -60 + 1);
}

/** Indicators grouped by cluster in catalogue order: [[cluster, [indicator…]]…]. */
export function byCluster(indicators) {
  const groups = new Map();
  for (const indicator of indicators) {
    const key = String(indicator.cluster);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(indicator);
  }
  return [...groups.entries()];
}

/** The board's cells as a lookup: cell(indicator, desa). */
export function cellIndex(cells) {
  const index = new Map(cells.map((cell) => [`${cell.indicator}\u0000${cell.desa}`, cell]));
  return (indicator, desa) => index.get(`${indicator}\u0000${desa}`) ?? null;
}

/** The classic PWS graph of one indicator: one bar per desa (cumulative coverage, coloured by
 * status), the cumulative target as a line, and the arrow of each desa's direction in its
 * label. Desa without a denominator keep their place with no bar. */
export function boardGraph(board, indicatorId) {
  const cell = cellIndex(board.cells);
  const indicator = board.indicators.find((item) => item.id === indicatorId);
  const rows = board.desa.map((desa) => ({ desa, cell: cell(indicatorId, desa.code) }));
  return {
    labels: rows.map(({ desa, cell: c }) => (c?.direction ? `${desa.name} ${ARROW[c.direction]}` : desa.name)),
    coverage: rows.map(({ cell: c }) => c?.coverage_cum ?? null),
    colours: rows.map(({ cell: c }) => STATUS_COLOUR[c?.status] ?? NO_STATUS_COLOUR),
    target: rows.map(() => indicator?.target_cum_pct ?? null),
    rows,
  };
}

/** A desa's 12 months: cumulative and monthly coverage and the target line, month by month. */
export function trendSeries(trend) {
  return {
    months: trend.points.map((point) => point.month),
    coverageCum: trend.points.map((point) => point.coverage_cum ?? null),
    coverageMonth: trend.points.map((point) => point.coverage_month ?? null),
    target: trend.points.map((point) => point.target_cum ?? null),
  };
}

/** The highest value a percent axis must show: 100, or more when a coverage passes it
 * (a denominator smaller than those served). */
export function axisMax(...series) {
  const top = Math.max(100, ...series.flat().filter((value) => typeof value === 'number'));
  return Math.ceil(top / 10) * 10;
}

/** Morbidity's top causes as bars: labels and case counts, largest first. */
export function morbidityBars(morbidity) {
  const top = [...morbidity.top].sort((a, b) => b.cases - a.cases);
  return { labels: top.map((row) => row.label), cases: top.map((row) => row.cases) };
}

/** Follow-up outcomes in the order of the task form (tasks.js), then any other the API adds. */
export function outcomeEntries(outcomes, order) {
  const known = order.filter((code) => outcomes?.[code]).map((code) => [code, outcomes[code]]);
  const rest = Object.entries(outcomes ?? {}).filter(([code, n]) => n && !order.includes(code));
  return [...known, ...rest];
}
