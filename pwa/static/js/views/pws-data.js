// The PWS screens' pure part: months, the picture of a status and the chart data drawn from
// the API's answers. No rule is decided here — status, direction, coverage and targets all
// come computed from /api/v1/pws (backend/pws/status.py, compute.py); this only arranges
// them for the eye, so a node test can hold it without a browser.

// Status word -> badge tone and bar colour. The colour repeats what the word says (the word
// is always printed beside it). The PWS-KIA colours (Pedoman PWS-KIA; docs/pws.md "Status"): hijau, kuning, oranye, merah —
// what a bidan knows from the paper graph. Never colour alone: the word goes with it.
export const STATUS_TONE = { baik: 'ok', kurang: 'kuning', cukup: 'oranye', jelek: 'bad' };
export const STATUS_COLOUR = { baik: '#1d6b32', kurang: '#d4a20b', cukup: '#e0620d', jelek: '#a4161a' };
export const NO_STATUS_COLOUR = '#8a96a3';
export const STATUSES = ['baik', 'kurang', 'cukup', 'jelek'];
// Rising / falling against last month, as the guideline's graph marks it.
export const ARROW = { naik: '▲', turun: '▼', tetap: '▶' };

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2026-11" for the device's local calendar month (the Puskesmas's zone on its own desks). */
export function currentMonth(date = new Date()) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** `month` when it is a well-formed month not after `latest`, else `fallback` (by default
 * `latest`): a typed-in or stale link falls back instead of asking the server for the future. */
export function pickMonth(month, latest, fallback = latest) {
  return MONTH_RE.test(month ?? '') && month <= latest ? month : fallback;
}

/** The month before the current one: the last month whose numbers are complete. The current
 * month is still being recorded, so its monthly coverage is low against last month's full one
 * and nearly every indicator would read "turun"; the screens open on the last complete month
 * and show the current one only when asked (sasaran-ui brief, "Month honesty"). */
export function lastCompleteMonth(date = new Date()) {
  return shiftMonth(currentMonth(date), -1);
}

/** The month a PWS screen shows: `?month=` when valid and not after the current month, else
 * the last complete month. */
export function screenMonth(month, date = new Date()) {
  return pickMonth(month, currentMonth(date), lastCompleteMonth(date));
}

/** True when `month` is the current, still incomplete, month ("Bulan berjalan"). */
export function isRunningMonth(month, date = new Date()) {
  return month === currentMonth(date);
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

/** `text` in lines of at most `width` characters, broken between words (a word longer
 * than `width` keeps its own line): Chart.js draws an array label as lines instead of
 * cutting a long diagnosis off at a phone's edge. */
export function wrapLabel(text, width = 18) {
  const lines = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Morbidity's top causes as bars: labels (in lines) and case counts, largest first. */
export function morbidityBars(morbidity, width = 18) {
  const top = [...morbidity.top].sort((a, b) => b.cases - a.cases);
  return { labels: top.map((row) => wrapLabel(row.label, width)), cases: top.map((row) => row.cases) };
}

/** Follow-up outcomes in the order of the task form (tasks.js), then any other the API adds. */
export function outcomeEntries(outcomes, order) {
  const known = order.filter((code) => outcomes?.[code]).map((code) => [code, outcomes[code]]);
  const rest = Object.entries(outcomes ?? {}).filter(([code, n]) => n && !order.includes(code));
  return [...known, ...rest];
}

/** GET /pws/sasaran's rows (one per desa × target group) as one entry per desa, in the
 * order the API gives: [{code, name, groups: [row…]}]. */
export function sasaranByDesa(rows) {
  const desa = new Map();
  for (const row of rows) {
    if (!desa.has(row.desa)) desa.set(row.desa, { code: row.desa, name: row.desa_name, groups: [] });
    desa.get(row.desa).groups.push(row);
  }
  return [...desa.values()];
}

/** The `errors` of a refused sasaran upload (RFC 7807, backend/api/pws/sasaran.py) as
 * [{line, reason}] by line; line 0 is the file as a whole. Anything else (a proxy's page,
 * a validation map) gives no lines. */
export function uploadErrors(problem) {
  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  return errors.filter((error) => error && Number.isInteger(error.line) && typeof error.reason === 'string')
    .map(({ line, reason }) => ({ line, reason }))
    .sort((a, b) => a.line - b.line);
}

/** The byte limit a 413 problem names ("… batasnya 2.097.152 byte."), or null. */
export function sizeLimit(problem) {
  const match = /batasnya\s+([\d.,]+)\s*byte/i.exec(`${problem?.detail ?? ''} ${problem?.message ?? ''}`);
  const bytes = match ? Number(match[1].replace(/[.,]/g, '')) : NaN;
  return Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}

/** Megabytes to one decimal, rounded down: a limit is never said larger than it is (the
 * server's check on the whole request allows a few kilobytes for the form around the file). */
export function megabytes(bytes) {
  return Math.floor((bytes / (1024 * 1024)) * 10) / 10;
}

/** The years the sasaran screen offers: five back to next year (the API's upper bound). */
export function sasaranYears(thisYear) {
  return Array.from({ length: 7 }, (_, i) => thisYear + 1 - i);
}
