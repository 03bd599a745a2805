// The pure part of the desk, lab and pharmacy screens (pwa/static/js/views/flow-desk-model.js):
// prescription lines -> the encounter's `prescriptions`, the lab's form -> the results the API
// takes (checked by the clinical labResultErrors on config/ilp/lab.json), the pharmacy's
// quantities -> dispense bodies, and the words the screens show for tests and routes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadConfig } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const model = await import('../../pwa/static/js/views/flow-desk-model.js');
const { labResultErrors } = await import('../../pwa/static/js/clinical/index.js');
const { default: id } = await import('../../pwa/static/js/i18n/id.js');

const config = loadConfig();
const CODE = /\b[a-z]+_[a-z_]+\b/; // a snake_case code leaking into what a person reads

test('prescription lines become the encounter\'s prescriptions; blank lines are left out', () => {
  const { items, errors } = model.prescriptionItems([
    { key: '0', drug: ' Amlodipin 5 mg ', dose: '1 x 1 tablet', quantity: '30', instructions: 'pagi hari' },
    { key: '1', drug: '', dose: '', quantity: '', instructions: '' },
    { key: '2', drug: 'Parasetamol 500 mg', dose: '', quantity: '10', instructions: ' ' },
  ]);
  assert.deepEqual(errors, {});
  assert.deepEqual(items, [
    { drug: 'Amlodipin 5 mg', dose: '1 x 1 tablet', quantity: 30, instructions: 'pagi hari' },
    { drug: 'Parasetamol 500 mg', dose: undefined, quantity: 10, instructions: undefined },
  ]);
});

test('a prescription line without a drug or with a bad quantity is refused under its own field', () => {
  const { errors } = model.prescriptionItems([
    { key: '4', drug: '', dose: '3 x 1', quantity: '10', instructions: '' },
    { key: '5', drug: 'Amoksisilin', dose: '', quantity: '2,5', instructions: '' },
    { key: '6', drug: 'Amoksisilin', dose: '', quantity: '1001', instructions: '' },
    { key: '7', drug: 'Amoksisilin', dose: '', quantity: '', instructions: '' },
    { key: '8', drug: 'x'.repeat(121), dose: '', quantity: '1', instructions: '' },
  ]);
  assert.deepEqual(Object.keys(errors).sort(), ['rx-4-drug', 'rx-5-quantity', 'rx-6-quantity', 'rx-7-quantity', 'rx-8-drug']);
  assert.equal(errors['rx-4-drug'], id['valid.required']);
  assert.match(errors['rx-6-quantity'], /1 sampai 1000/);
});

test('every lab.json test has a label, a kind and, for a number, limits; choices are labelled', () => {
  const tests = model.labTests(config);
  assert.ok(tests.length >= 8, `${tests.length} tests`);
  for (const item of tests) {
    assert.ok(item.label && !CODE.test(item.label), `${item.code}: ${item.label}`);
    if (item.kind === 'number') assert.equal(item.limits?.length, 2, item.code);
    else assert.ok(item.choices.length >= 2 && item.choices.every(([, label]) => label), item.code);
  }
  const hb = tests.find((item) => item.code === 'hb');
  assert.equal(hb.kind, 'number');
  assert.equal(hb.unit, 'g/dL');
  assert.deepEqual(hb.limits, config.classifiers.input_limits.hb_gdl);
});

test('the lab form becomes results in the order of the order: numbers with a decimal comma, choices by code', () => {
  const tests = model.labTestsOf(config, ['hb', 'hbsag', 'asam_urat']);
  assert.deepEqual(tests.map((item) => item.code), ['hb', 'hbsag', 'asam_urat']);
  const { results, errors } = model.labResults(tests, { hb: '10,5', hbsag: 'non_reaktif', asam_urat: '' });
  assert.deepEqual(errors, {});
  assert.deepEqual(results, [{ test: 'hb', value: 10.5 }, { test: 'hbsag', result: 'non_reaktif' }]);
  assert.deepEqual(labResultErrors(config, results), {});
});

test('a result outside the clinical limits is named under its test, as the server refuses it', () => {
  const tests = model.labTestsOf(config, ['hb', 'asam_urat']);
  const typed = model.labResults(tests, { hb: 'sepuluh', asam_urat: '7.2' });
  assert.deepEqual(Object.keys(typed.errors), ['hb']);
  const { results } = model.labResults(tests, { hb: '45', asam_urat: '7.2' });
  const errors = model.errorsByTest(results, labResultErrors(config, results));
  assert.deepEqual(Object.keys(errors), ['hb']);
  assert.ok(errors.hb.length > 5 && !CODE.test(errors.hb), errors.hb);
});

test('lab results read as test and result labels, never as codes', () => {
  assert.equal(model.labResultText(config, { test: 'hbsag', result: 'reaktif' }), 'HBsAg (hepatitis B): Reaktif');
  assert.equal(model.labResultText(config, { test: 'asam_urat', value: 7.2 }), 'Asam urat: 7,2 mg/dL');
  assert.equal(model.labResultText(config, { test: 'tidak_ada', result: 'x' }), id['flow_desk.lab_unknown']);
});

test('the pharmacy\'s quantities become one dispense body per prescription; more than prescribed is refused', () => {
  const prescriptions = [
    { encounter: 'encounter:a', items: [{ index: 0, drug: 'Amlodipin', quantity: 30 }, { index: 1, drug: 'Parasetamol', quantity: 10, dispensed: 10 }] },
    { encounter: 'encounter:b', items: [{ index: 0, drug: 'Amoksisilin', quantity: 15 }] },
  ];
  const ok = model.dispenseBodies(prescriptions, { 'encounter:a:0': '30', 'encounter:b:0': '0' });
  assert.deepEqual(ok.errors, {});
  assert.deepEqual(ok.bodies, [
    { encounter: 'encounter:a', items: [{ index: 0, quantity: 30 }] },
    { encounter: 'encounter:b', items: [{ index: 0, quantity: 0 }] },
  ]);
  const bad = model.dispenseBodies(prescriptions, { 'encounter:a:0': '31', 'encounter:b:0': '-1' });
  assert.deepEqual(Object.keys(bad.errors).sort(), ['encounter:a:0', 'encounter:b:0']);
  assert.equal(model.remaining(prescriptions[0].items[1]), 0);
});

test('where a person can go next and the way they came, by the rooms\' names', () => {
  const points = [
    { id: 'lab', label: 'Laboratorium', kind: 'lab', sort_order: 5 },
    { id: 'k3', label: 'Ruang Klaster 3', kind: 'cluster', sort_order: 2 },
    { id: 'k2', label: 'Ruang Klaster 2', kind: 'cluster', sort_order: 1 },
    { id: 'k4', label: 'Ruang Klaster 4', kind: 'cluster', sort_order: 3, active: false },
    { id: 'loket', label: 'Loket', kind: 'registration', sort_order: 0 },
  ];
  assert.deepEqual(model.pointsOfKind(points, 'cluster', 'k3').map((p) => p.id), ['k2']);
  const history = [
    { id: 7, service_point: 'lab', ticket: 'L-001', created_at: '2026-11-30T02:10:00Z' },
    { id: 3, service_point: 'loket', ticket: 'A-004', created_at: '2026-11-30T01:00:00Z' },
    { id: 5, service_point: 'k3', ticket: 'C-002', created_at: '2026-11-30T01:05:00Z' },
  ];
  assert.equal(model.routeText(history, points), 'Loket A-004 → Ruang Klaster 3 C-002 → Laboratorium L-001');
});
