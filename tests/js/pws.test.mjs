// The PWS screens' pure part (views/pws-data.js): months the picker allows, the graph drawn
// from a board answer, and the order of follow-up outcomes. The numbers themselves are the
// server's (backend/pws); these tests hold the arranging, not a rule.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ARROW, NO_STATUS_COLOUR, STATUS_COLOUR, axisMax, boardGraph, byCluster, cellIndex, currentMonth, earliestMonth,
  morbidityBars, outcomeEntries, wrapLabel, pickMonth, shiftMonth, trendSeries,
  isRunningMonth, lastCompleteMonth, megabytes, sasaranByDesa, sasaranYears, screenMonth, sizeLimit, uploadErrors,
} from '../../pwa/static/js/views/pws-data.js';

test('months: local calendar month, shifts across years, future and malformed fall back', () => {
  assert.equal(currentMonth(new Date(2026, 0, 31, 23, 30)), '2026-01');
  assert.equal(shiftMonth('2026-01', -1), '2025-12');
  assert.equal(shiftMonth('2025-12', 1), '2026-01');
  assert.equal(shiftMonth('2026-11', -11), '2025-12');
  assert.equal(earliestMonth('2026-11'), '2021-12');
  assert.equal(pickMonth('2026-10', '2026-11'), '2026-10');
  assert.equal(pickMonth('2026-12', '2026-11'), '2026-11');
  assert.equal(pickMonth('2026-13', '2026-11'), '2026-11');
  assert.equal(pickMonth('26-1', '2026-11'), '2026-11');
  assert.equal(pickMonth(undefined, '2026-11'), '2026-11');
});

const BOARD = {
  desa: [{ code: 'A', name: 'Cikalong' }, { code: 'B', name: 'Mekarjaya' }, { code: 'C', name: 'Sukamaju' }],
  indicators: [{ id: 'k1', cluster: 2, target_cum_pct: 91.7 }, { id: 'hipertensi', cluster: 3, target_cum_pct: 100 },
    { id: 'k4', cluster: 2, target_cum_pct: 80 }],
  cells: [
    { indicator: 'k1', desa: 'A', coverage_cum: 95.2, status: 'baik', direction: 'naik' },
    { indicator: 'k1', desa: 'B', coverage_cum: 40, status: 'jelek', direction: 'turun' },
    { indicator: 'k1', desa: 'C', coverage_cum: null, status: null, direction: 'tetap' },
    { indicator: 'k4', desa: 'A', coverage_cum: 120.5, status: 'baik', direction: 'naik' },
  ],
};

test('the graph: a bar per desa coloured by status, the arrow in the label, the target line', () => {
  const graph = boardGraph(BOARD, 'k1');
  assert.deepEqual(graph.labels, [`Cikalong ${ARROW.naik}`, `Mekarjaya ${ARROW.turun}`, `Sukamaju ${ARROW.tetap}`]);
  assert.deepEqual(graph.coverage, [95.2, 40, null]);
  assert.deepEqual(graph.colours, [STATUS_COLOUR.baik, STATUS_COLOUR.jelek, NO_STATUS_COLOUR]);
  assert.deepEqual(graph.target, [91.7, 91.7, 91.7]);
  // A desa without a cell keeps its place, with no bar.
  assert.deepEqual(boardGraph(BOARD, 'k4').coverage, [120.5, null, null]);
  assert.equal(axisMax(boardGraph(BOARD, 'k4').coverage), 130);
  assert.equal(axisMax([12, null]), 100);
});

test('indicators group by cluster in catalogue order; cells are found by indicator and desa', () => {
  assert.deepEqual(byCluster(BOARD.indicators).map(([key, items]) => [key, items.map((i) => i.id)]),
    [['2', ['k1', 'k4']], ['3', ['hipertensi']]]);
  const cell = cellIndex(BOARD.cells);
  assert.equal(cell('k1', 'B').status, 'jelek');
  assert.equal(cell('hipertensi', 'A'), null);
});

test('trend, morbidity and outcomes are arranged, not recomputed', () => {
  const series = trendSeries({ points: [{ month: '2026-10', coverage_cum: 10, coverage_month: 10, target_cum: 8.3 },
    { month: '2026-11', coverage_cum: null, coverage_month: null, target_cum: 16.7 }] });
  assert.deepEqual(series, { months: ['2026-10', '2026-11'], coverageCum: [10, null], coverageMonth: [10, null], target: [8.3, 16.7] });
  assert.deepEqual(morbidityBars({ top: [{ label: 'ISPA', cases: 3 }, { label: 'Diare', cases: 9 }] }),
    { labels: [['Diare'], ['ISPA']], cases: [9, 3] });
  assert.deepEqual(wrapLabel('Infeksi saluran pernapasan atas akut (ISPA)'),
    ['Infeksi saluran', 'pernapasan atas', 'akut (ISPA)']);
  assert.deepEqual(wrapLabel('Gastroenteritis-noninfeksius x', 10), ['Gastroenteritis-noninfeksius', 'x']);
  assert.deepEqual(outcomeEntries({ tidak_datang: 1, datang: 2, pindah: 0, lain: 1 }, ['datang', 'tidak_datang', 'pindah']),
    [['datang', 2], ['tidak_datang', 1], ['lain', 1]]);
});

test('the screens open on the last complete month; the current one only when asked', () => {
  const now = new Date(2026, 0, 15, 9, 0);
  assert.equal(lastCompleteMonth(now), '2025-12');
  assert.equal(screenMonth(undefined, now), '2025-12');
  assert.equal(screenMonth('2026-13', now), '2025-12');
  assert.equal(screenMonth('2026-02', now), '2025-12', 'the future falls back too');
  assert.equal(screenMonth('2026-01', now), '2026-01', 'the current month when picked');
  assert.equal(screenMonth('2025-06', now), '2025-06');
  assert.equal(pickMonth('2026-12', '2026-11', '2026-10'), '2026-10');
  assert.ok(isRunningMonth('2026-01', now));
  assert.ok(!isRunningMonth('2025-12', now));
});

test('sasaran rows become one entry per desa, groups in the API order', () => {
  const rows = [
    { desa: 'A', desa_name: 'Cikalong', group: 'bumil', group_label: 'Ibu hamil' },
    { desa: 'A', desa_name: 'Cikalong', group: 'bayi', group_label: 'Bayi' },
    { desa: 'B', desa_name: 'Mekarjaya', group: 'bumil', group_label: 'Ibu hamil' },
  ];
  const desa = sasaranByDesa(rows);
  assert.deepEqual(desa.map((d) => [d.code, d.name, d.groups.map((g) => g.group)]),
    [['A', 'Cikalong', ['bumil', 'bayi']], ['B', 'Mekarjaya', ['bumil']]]);
  assert.deepEqual(sasaranByDesa([]), []);
});

test('a refused upload lists its rows by line; anything else gives no lines', () => {
  const problem = { status: 422, errors: [{ line: 5, reason: 'angka bukan bilangan' }, { line: 2, reason: 'desa tidak dikenal' }, { line: 'x' }] };
  assert.deepEqual(uploadErrors(problem), [{ line: 2, reason: 'desa tidak dikenal' }, { line: 5, reason: 'angka bukan bilangan' }]);
  assert.deepEqual(uploadErrors({ errors: { query: { year: ['x'] } } }), []);
  assert.deepEqual(uploadErrors(null), []);
});

test('the size limit of a 413 is read from its words and said in megabytes, never larger', () => {
  assert.equal(sizeLimit({ detail: 'Berkas terlalu besar (3.000.000 byte); batasnya 2.097.152 byte.' }), 2097152);
  assert.equal(sizeLimit({ message: 'x' }), null);
  assert.equal(sizeLimit(null), null);
  assert.equal(megabytes(2097152), 2);
  assert.equal(megabytes(2097152 + 65536), 2.0);
  assert.equal(megabytes(1572864), 1.5);
});

test('the sasaran years: next year down to five years back', () => {
  assert.deepEqual(sasaranYears(2026), [2027, 2026, 2025, 2024, 2023, 2022, 2021]);
});
