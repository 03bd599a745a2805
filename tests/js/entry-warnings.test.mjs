// The "Periksa lagi: …" helpers of the visit and person forms
// (pwa/static/js/views/entry-warnings.js): what a kader reads for a draft, from the clinical
// evaluator's entryWarnings and config/ilp/quality.json; never a rule code.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadConfig } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { personWarnings, warningText } = await import('../../pwa/static/js/views/entry-warnings.js');
const { entryWarnings } = await import('../../pwa/static/js/clinical/index.js');

const config = loadConfig();
const CODE = /\b[a-z]+_[a-z_]+\b/; // a snake_case code leaking into what a person reads

test('registering a woman whose NIK says male: one warning, in words, keyed by its rule', () => {
  const found = personWarnings(config, {
    draft: { name: 'Siti', sex: 'P', birth_date: '1987-11-12', nik: '3602041211870001' },
  });
  assert.deepEqual(Object.keys(found), ['nik_jenis_kelamin']);
  assert.equal(found.nik_jenis_kelamin, 'Periksa lagi: NIK tidak cocok dengan jenis kelamin — '
    + 'NIK menandakan laki-laki (tanggal 12), jenis kelamin tercatat perempuan');
  assert.doesNotMatch(found.nik_jenis_kelamin, CODE);
});

test('editing a person: the edited fields over the stored ones are judged', () => {
  const stored = { _id: 'person:s', type: 'person', name: 'Siti', sex: 'P', birth_date: '1987-11-12', created_at: '2024-01-01T00:00:00Z' };
  assert.deepEqual(personWarnings(config, { person: stored, draft: { ...stored, nik: '3602045211870001' } }), {});
  const wrong = personWarnings(config, { person: stored, draft: { ...stored, birth_date: '1990-10-03', nik: '3602045211870001' } });
  assert.deepEqual(Object.keys(wrong), ['nik_tanggal_lahir']);
  assert.match(wrong.nik_tanggal_lahir, /12 Nov 1987, tercatat 3 Okt 1990/);
});

test('a registration without a birth date yet, or without a NIK, warns of nothing', () => {
  assert.deepEqual(personWarnings(config, { draft: { name: 'Siti', sex: 'P', nik: '3602041211870001' } }), {});
  assert.deepEqual(personWarnings(config, { draft: { name: 'Siti', sex: 'P', birth_date: '1987-11-12' } }), {});
});

test('every rule warned on entry reads as words for a visit draft', () => {
  const child = { _id: 'person:c', type: 'person', sex: 'L', birth_date: '2024-01-10' };
  const history = [{ _id: 'encounter:1', type: 'encounter', date: '2025-01-10', setting: 'posyandu',
    measurements: { weight_kg: 9, height_cm: 74, length_or_height: 'lying' } }];
  const found = entryWarnings(config, { person: child, history, draft: {
    type: 'encounter', date: '2025-02-10', setting: 'posyandu',
    measurements: { weight_kg: 25, height_cm: 64, length_or_height: 'lying', sbp: 100, dbp: 95, glucose_mgdl: 90 },
  } });
  assert.deepEqual(found.map((w) => w.rule),
    ['z_tidak_wajar', 'tinggi_menyusut', 'berat_melonjak', 'tekanan_nadi_janggal', 'glukosa_tanpa_jenis']);
  for (const warning of found) assert.doesNotMatch(warningText(warning), CODE);
});
