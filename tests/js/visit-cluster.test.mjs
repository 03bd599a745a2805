// The cluster a visit outside the Puskesmas flow records (views/visit-parts.js visitCluster):
// the routing rule of config/ilp/routing.json with an empty arrival, reading the person's
// pregnancies from the records the tablet holds.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { loadConfig } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { app } = await import('../../pwa/static/js/app.js');
const { Records } = await import('../../pwa/static/js/records.js');
const { visitCluster } = await import('../../pwa/static/js/views/visit-parts.js');

const config = loadConfig();
const DATE = '2026-06-15';
const woman = { _id: 'person:w', type: 'person', sex: 'P', birth_date: '1996-01-20' };
const pregnancy = (fields) => ({
  _id: 'pregnancy:w', type: 'pregnancy', person: 'person:w', created_at: '2026-01-01T00:00:00Z', ...fields,
});

beforeEach(() => {
  app.records = new Records(null);
});

test('adults and the elderly: klaster 3; the under-18s: klaster 2 (18th birthday is the line)', () => {
  const person = (birth) => ({ _id: 'person:x', type: 'person', sex: 'L', birth_date: birth });
  assert.equal(visitCluster(config, person('1980-05-05'), DATE), '3');
  assert.equal(visitCluster(config, person('1950-05-05'), DATE), '3');
  assert.equal(visitCluster(config, person('2008-06-15'), DATE), '3');
  assert.equal(visitCluster(config, person('2008-06-16'), DATE), '2');
  assert.equal(visitCluster(config, person('2024-01-01'), DATE), '2');
});

test('a pregnant woman and a woman in nifas go to klaster 2 from their pregnancy record', () => {
  assert.equal(visitCluster(config, woman, DATE), '3');
  app.records.put(pregnancy({ status: 'ongoing', hpht: '2026-02-01' }));
  assert.equal(visitCluster(config, woman, DATE), '2');
  app.records = new Records(null);
  app.records.put(pregnancy({ status: 'delivered', hpht: '2025-08-20', delivery: { date: '2026-06-01' } }));
  assert.equal(visitCluster(config, woman, DATE), '2');
  assert.equal(visitCluster(config, woman, '2026-07-20'), '3'); // 49 days after: nifas is over
});

test('a record the evaluator refuses (born after the visit) keeps the old default, klaster 2', () => {
  assert.equal(visitCluster(config, { ...woman, birth_date: '2026-07-01' }, DATE), '2');
});
