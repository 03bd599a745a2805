// Measurement checks of the PWA forms read their limits from the clinical config (the same
// input_limits the evaluators use; tests/foundation/test_measurement_limits.py holds them equal
// to backend MeasurementsSchema), so the three cannot drift apart.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, loadConfig } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { MEASUREMENTS, checkMeasurements, measurementLimit } = await import('../../pwa/static/js/validate.js');

const config = loadConfig();
const PAIRED = { sbp: { dbp: '20' }, dbp: { sbp: '300' }, glucose_mgdl: { glucose_type: 'GDS' } };

function check(name, value) {
  return checkMeasurements(config, { ...PAIRED[name], [name]: String(value) });
}

test('every measurement a form offers has a limit in the clinical config', () => {
  for (const name of Object.keys(MEASUREMENTS)) {
    assert.ok(Array.isArray(config.classifiers.input_limits[name]), name);
  }
});

test('each limit itself is accepted and a step beyond it is refused, for every measurement', () => {
  for (const name of Object.keys(MEASUREMENTS)) {
    const [min, max] = measurementLimit(config, name);
    const step = MEASUREMENTS[name].integer ? 1 : 0.1;
    for (const value of [min, max]) {
      const { errors, measured } = check(name, value);
      assert.equal(errors[name], undefined, `${name}=${value}`);
      assert.equal(measured[name], value);
    }
    for (const value of [min - step, max + step]) {
      assert.ok(check(name, value).errors[name], `${name}=${value} must be refused`);
    }
  }
});

test('a changed clinical config moves the limit the form applies', () => {
  const narrowed = { ...config, classifiers: { ...config.classifiers,
    input_limits: { ...config.classifiers.input_limits, weight_kg: [1, 150] } } };
  assert.ok(checkMeasurements(narrowed, { weight_kg: '151' }).errors.weight_kg);
  assert.deepEqual(checkMeasurements(config, { weight_kg: '151' }).errors, {});
});

test('a measurement without a limit in the config is a config error, not a silent pass', () => {
  const broken = { ...config, classifiers: { ...config.classifiers, input_limits: {} } };
  assert.throws(() => checkMeasurements(broken, { weight_kg: '10' }), /weight_kg/);
});

test('whole-number measurements are exactly the schema\'s integer fields', () => {
  const source = readFileSync(path.join(ROOT, 'backend', 'documents', 'schemas.py'), 'utf8');
  const schema = /class MeasurementsSchema[\s\S]*?\n\n\n/.exec(source)[0];
  const integers = [...schema.matchAll(/^\s+(\w+) = ft\.Int\(/gm)].map((match) => match[1]).sort();
  const offered = Object.keys(MEASUREMENTS).filter((name) => MEASUREMENTS[name].integer).sort();
  assert.deepEqual(offered, integers.filter((name) => name in MEASUREMENTS));
  assert.ok(integers.length >= 2);
});
