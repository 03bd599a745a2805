// A duplicate the Puskesmas merged into another person (docs/review.md, "Merging and undo")
// on the tablet: held, so its page can follow `merged_into`, but in no list, count, household
// or search (pwa/static/js/records.js, search.js).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Records } from '../../pwa/static/js/records.js';
import { PersonIndex } from '../../pwa/static/js/search.js';

const household = { _id: 'household:1', type: 'household', head_name: 'Joko', no_kk: '3204190101010001' };
const survivor = { _id: 'person:s', type: 'person', name: 'Siti Aminah', household: 'household:1', nik: '3204195705940001' };
const merged = { _id: 'person:m', type: 'person', name: 'Siti Aminah', household: 'household:1', nik: '3204195705940001', merged_into: 'person:s' };
const older = { _id: 'person:o', type: 'person', name: 'Siti A.', merged_into: 'person:m' };

function held(...docs) {
  const records = new Records(null);
  for (const doc of [household, ...docs]) records.put(doc);
  return records;
}

test('lists, households and counts show the living persons only', () => {
  const records = held(survivor, merged, older);
  assert.deepEqual(records.all('person').map((p) => p._id), ['person:s']);
  assert.deepEqual(records.members('household:1').map((p) => p._id), ['person:s']);
  assert.equal(records.get('person:m').merged_into, 'person:s');   // still held
});

test('a merged person leads to the living person it ends at, through a chain', () => {
  const records = held(survivor, merged, older);
  assert.equal(records.survivorOf('person:o')._id, 'person:s');
  assert.equal(records.survivorOf('person:s')._id, 'person:s');
  assert.equal(held(merged).survivorOf('person:m'), null);   // the survivor is not here yet
});

test('search finds the survivor, never the merged duplicate, also after a merge arrives', () => {
  const records = held(survivor, { ...merged, merged_into: undefined });
  const index = new PersonIndex(records);
  assert.deepEqual(index.search('siti').map((p) => p._id).sort(), ['person:m', 'person:s']);
  records.apply(merged);   // the merge replicates to the tablet
  assert.deepEqual(index.search('siti').map((p) => p._id), ['person:s']);
  assert.deepEqual(index.search('320419570594').map((p) => p._id), ['person:s']);
});
