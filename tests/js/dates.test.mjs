// Calendar arithmetic behind every age window (Python twin: tests/clinical/test_dates.py).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  addDuration, addMonths, age, parseDate, toIso,
} from '../../pwa/static/js/clinical/dates.js';

const day = (text) => parseDate(text, 'date');

test('months clamp to the end of shorter months', () => {
  assert.equal(toIso(addMonths(day('2024-01-31'), 1)), '2024-02-29');
  assert.equal(toIso(addMonths(day('2023-01-31'), 1)), '2023-02-28');
  assert.equal(toIso(addMonths(day('2024-03-31'), -1)), '2024-02-29');
});

test('durations combine years, months, weeks and days', () => {
  assert.equal(toIso(addDuration(day('2025-01-10'), 'P1Y2M3W4D')), '2026-04-04');
  assert.equal(toIso(addDuration(day('2025-01-10'), 'P0D')), '2025-01-10');
  assert.throws(() => addDuration(day('2025-01-10'), '2 months'));
});

test('age counts completed months and years', () => {
  assert.deepEqual(age(day('2024-02-29'), day('2025-02-28')), { days: 365, months: 12, years: 1 });
  assert.equal(age(day('2024-01-31'), day('2024-02-28')).months, 0);
  assert.equal(age(day('2024-01-31'), day('2024-02-29')).months, 1);
});

test('bad dates name the field', () => {
  for (const text of ['2025-02-30', '2025-2-3', '03/02/2025', 20250203, null]) {
    assert.throws(() => parseDate(text, 'person.birth_date'),
      (error) => error.field === 'person.birth_date');
  }
});
