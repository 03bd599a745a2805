// Labels of the routing rule and the lab list on screen (views/clinical-labels.js) and how the
// findings panel shows a lab result: from config/ilp in the interface language, never a code.

import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { loadConfig } from './helpers.mjs';

const store = {};
globalThis.localStorage = {
  getItem: (key) => store[key] ?? null, setItem: (key, value) => { store[key] = String(value); },
};
globalThis.document ??= { documentElement: {} };
const { setLanguage } = await import('../../pwa/static/js/i18n.js');
const labels = await import('../../pwa/static/js/views/clinical-labels.js');
const panel = await import('../../pwa/static/js/views/findings-panel.js');
const { encounterFindings } = await import('../../pwa/static/js/clinical/index.js');

const config = loadConfig();
const CODE = /\b[a-z]+_[a-z_]+\b/;

afterEach(() => setLanguage('id'));

test('symptoms, reasons and priority groups in Indonesian and in English', () => {
  setLanguage('id');
  assert.deepEqual(labels.symptomOptions(config).slice(0, 3), [['batuk', 'Batuk'], ['demam', 'Demam'], ['ruam', 'Ruam kemerahan di kulit']]);
  assert.deepEqual(labels.routeReasonLabels(config, ['terduga_tb', 'hamil']), ['Terduga TBC (skrining gejala)', 'Ibu hamil']);
  assert.deepEqual(labels.priorityGroupLabels(config, ['lansia', 'disabilitas']), ['Lansia', 'Penyandang disabilitas']);
  setLanguage('en');
  assert.deepEqual(labels.routeReasonLabels(config, ['gawat_darurat', 'usia_anak']), ['Emergency', 'Child or adolescent (under 18)']);
  assert.equal(labels.symptomOptions(config).find(([code]) => code === 'kontak_tb')[1], 'Household/close contact of a TB patient');
  for (const [, label] of labels.symptomOptions(config)) assert.doesNotMatch(label, CODE);
});

test('lab tests: the triple eliminasi first for a pregnant woman, results as labels', () => {
  const plain = labels.labTestOptions(config).map(([code]) => code);
  assert.equal(plain[0], 'hb');
  const forMother = labels.labTestOptions(config, ['hamil']).map(([code]) => code);
  assert.deepEqual(forMother.slice(0, 5), ['protein_urin', 'hiv', 'sifilis', 'hbsag', 'golongan_darah']);
  assert.equal(forMother.length, plain.length);
  assert.deepEqual(labels.labResultOptions(config, 'hiv'), [['non_reaktif', 'Non-reaktif'], ['reaktif', 'Reaktif']]);
  assert.deepEqual(labels.labResultOptions(config, 'asam_urat'), []);
  assert.equal(labels.labTestLabel(config, 'tcm'), 'Tes cepat molekuler TBC (TCM)');
  assert.equal(labels.labTestLabel(config, 'widal'), null);
});

test('the findings panel names a lab result by its test and shows no code', () => {
  const rows = encounterFindings(config, {
    person: { _id: 'person:p', sex: 'L', birth_date: '1980-01-01' },
    encounter: { _id: 'encounter:l', date: '2026-06-15', lab_results: [{ test: 'hiv', result: 'reaktif' }, { test: 'bta', result: 'negatif' }] },
  });
  const shown = rows.map((row) => [panel.findingName(config, row), panel.findingValue(row), panel.findingMeaning(row), row.tone]);
  assert.deepEqual(shown, [['Tes cepat HIV', '', 'Reaktif', 'bad'], ['BTA mikroskopis (dahak)', '', 'Negatif', 'ok']]);
});
