// The Puskesmas laboratory's tests as clinical knowledge (Python twin: backend/clinical/lab.py;
// rules in config/ilp/lab.json). A test is a `measurement` (Hb, glucose, cholesterol, HbA1c:
// the lab encounter's measurements, limits from classifiers.json input_limits), `numeric`
// (asam urat) or `categorical` (protein urin, BTA, TCM, HIV, sifilis, HBsAg, golongan darah);
// the last two go in the encounter's lab_results as {test, value} or {test, result}.

import { ClinicalInputError } from './errors.js';
import { number } from './finding-text.js';

const VALUE_KINDS = ['measurement', 'numeric'];
const ITEM_KEYS = ['test', 'value', 'result'];

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

// Every test of lab.json in its order, with the input limits resolved (a measurement's come
// from classifiers.json), for order lists and the result form.
export function labTests(config) {
  const limits = config.classifiers.input_limits;
  return config.lab.tests.map((test) => {
    const { limits: own, ...entry } = test;
    let resolved = null;
    if (test.kind === 'measurement') resolved = [...limits[test.measurement]];
    else if (own) resolved = [...own];
    return { ...entry, limits: resolved };
  });
}

function byCode(config) {
  return Object.fromEntries(labTests(config).map((test) => [test.code, test]));
}

function valueErrors(test, item) {
  if ('result' in item) return { result: ['pemeriksaan ini berupa angka: isi value, bukan result'] };
  if (!('value' in item)) return { value: ['wajib diisi'] };
  const { value } = item;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { value: ['harus berupa angka'] };
  const [low, high] = test.limits;
  if (value < low || value > high) {
    const unit = test.unit ? ` ${test.unit}` : '';
    return { value: [`di luar batas isian ${number(low)}-${number(high)}${unit}`] };
  }
  return {};
}

function resultErrors(test, item) {
  if ('value' in item) return { value: ['pemeriksaan ini berupa hasil berkode: isi result, bukan value'] };
  if (!('result' in item)) return { result: ['wajib diisi'] };
  if (!test.results.some((result) => result.code === item.result)) {
    const allowed = test.results.map((result) => result.label.id).join(', ');
    return { result: [`hasil tidak dikenal untuk ${test.short}; pilih: ${allowed}`] };
  }
  return {};
}

function itemErrors(tests, item, earlier) {
  if (!isObject(item)) return { test: ['harus berupa objek {test, value} atau {test, result}'] };
  const unknown = Object.keys(item).filter((key) => !ITEM_KEYS.includes(key));
  if (unknown.length) return Object.fromEntries(unknown.map((key) => [key, ['isian tidak dikenal']]));
  const test = typeof item.test === 'string' && Object.hasOwn(tests, item.test) ? tests[item.test] : null;
  if (!test) return { test: [!('test' in item) ? 'wajib diisi' : 'pemeriksaan tidak dikenal'] };
  for (const [i, other] of earlier.entries()) {
    if (isObject(other) && typeof other.test === 'string') {
      const row = i + 1;
      if (other.test === test.code) return { test: [`${test.short} sudah diisi di baris ${row}`] };
      const before = Object.hasOwn(tests, other.test) ? tests[other.test] : null;
      if (before && test.kind === 'measurement' && before.measurement === test.measurement) {
        return {
          test: [`${test.short} dan ${before.short} (baris ${row}) mengisi pengukuran yang sama: `
            + 'catat sebagai hasil lab terpisah'],
        };
      }
    }
  }
  return (VALUE_KINDS.includes(test.kind) ? valueErrors : resultErrors)(test, item);
}

// {} when every result is fine, else {index: {field: [messages in Indonesian]}}: unknown test,
// a test given twice (or two tests filling one measurement), a value outside the input limits,
// a result the test does not allow, a value where a coded result is due or the other way round.
export function labResultErrors(config, results) {
  if (!Array.isArray(results)) throw new ClinicalInputError('results', 'harus berupa daftar hasil');
  const tests = byCode(config);
  const errors = {};
  results.forEach((item, index) => {
    const found = itemErrors(tests, item, results.slice(0, index));
    if (Object.keys(found).length) errors[String(index)] = found;
  });
  return errors;
}

// The lab encounter's measurements (glucose with its type) and lab_results (the rest, in the
// given order) for checked results; results with errors throw ClinicalInputError('results').
export function labEncounterParts(config, results) {
  if (Object.keys(labResultErrors(config, results)).length) {
    throw new ClinicalInputError('results', 'hasil lab belum benar');
  }
  const tests = byCode(config);
  const measurements = {};
  const rest = [];
  for (const item of results) {
    const test = tests[item.test];
    if (test.kind === 'measurement') {
      measurements[test.measurement] = item.value;
      Object.assign(measurements, test.fixed ?? {});
    } else {
      rest.push(Object.fromEntries(ITEM_KEYS.filter((key) => key in item).map((key) => [key, item[key]])));
    }
  }
  return { measurements, lab_results: rest };
}
