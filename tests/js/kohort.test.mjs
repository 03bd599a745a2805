// The kohort table layout (pwa/static/js/views/kohort-layout.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { headerRows, parts, shortDate } from '../../pwa/static/js/views/kohort-layout.js';

const columns = [
  { key: 'no', label: 'No', group: '', part: 1 },
  { key: 'name', label: 'Nama anak', group: '', part: 1 },
  { key: 'sex', label: 'L/P', group: '', part: 1 },
  { key: 'kn:KN1', label: 'KN1', group: 'Kunjungan neonatal', part: 1 },
  { key: 'kn:KN2', label: 'KN2', group: 'Kunjungan neonatal', part: 1 },
  { key: 'm:2026-01', label: 'Jan 2026', group: 'Penimbangan', part: 1 },
  { key: 'imm:HB0-1', label: 'HB0', group: 'Tanggal imunisasi', part: 2 },
  { key: 'death_date', label: 'Tgl meninggal', group: '', part: 2 },
];

test('a group spans its run of columns; an ungrouped column spans both header rows', () => {
  const { top, bottom } = headerRows(columns.slice(0, 6));
  assert.deepEqual(top.map((cell) => [cell.label, cell.span, cell.rows]), [
    ['No', 1, 2], ['Nama anak', 1, 2], ['L/P', 1, 2], ['Kunjungan neonatal', 2, 1], ['Penimbangan', 1, 1]]);
  assert.deepEqual(bottom.map((column) => column.label), ['KN1', 'KN2', 'Jan 2026']);
});

test('the right half repeats No, name and L/P before its own columns', () => {
  const [left, right] = parts(columns);
  assert.deepEqual(left.map((c) => c.key), ['no', 'name', 'sex', 'kn:KN1', 'kn:KN2', 'm:2026-01']);
  assert.deepEqual(right.map((c) => c.key), ['no', 'name', 'sex', 'imm:HB0-1', 'death_date']);
  assert.equal(parts(columns.slice(0, 3)).length, 1);
});

test('dates as dd/mm/yy', () => {
  assert.equal(shortDate('2026-06-08'), '08/06/26');
});
