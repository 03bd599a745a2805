// The registration hint's pure parts (pwa/static/js/views/duplicate-hint.js): the form's values
// and the tablet's records as the evaluator compares them, and which local persons the hint
// names, with the reasons in words; merged and deleted persons are never offered.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadConfig } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { draftSummary, hintFor, personSummary } = await import('../../pwa/static/js/views/duplicate-hint.js');

const DESA = '3217172001';
const DOCS = [
  { _id: 'household:a', type: 'household', desa: DESA, head_name: 'Ujang Suryana', no_kk: '3217170101230001' },
  { _id: 'person:ibu', type: 'person', desa: DESA, name: 'Siti Aminah', sex: 'P', birth_date: '1995-04-02', household: 'household:a', nik: '3217174204950001' },
  { _id: 'person:rizki', type: 'person', desa: DESA, name: 'Muhammad Rizki', sex: 'L', birth_date: '2023-03-14', household: 'household:a', mother: 'person:ibu' },
  { _id: 'person:hasan', type: 'person', desa: DESA, name: 'Muhammad Hasan', sex: 'L', birth_date: '2023-03-14', household: 'household:a', mother: 'person:ibu' },
  { _id: 'person:old', type: 'person', desa: DESA, name: 'Muhamad Rizky', sex: 'L', birth_date: '2023-03-14', merged_into: 'person:rizki' },
];

function records(docs = DOCS) {
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  return {
    get: (id) => byId.get(id) ?? null,
    all: (type) => docs.filter((doc) => doc.type === type),
  };
}

const config = loadConfig();

test('a stored person is compared with the family no. KK and the mother by name', () => {
  const summary = personSummary(records(), DOCS[2]);
  assert.equal(summary.no_kk, '3217170101230001');
  assert.equal(summary.mother, 'Siti Aminah');
  assert.equal(summary.nik, null);
});

test('the draft takes the chosen family, or the new family\'s no. KK, and leaves blanks empty', () => {
  const chosen = draftSummary(records(), { name: ' Muhamad Rizki ', household_mode: 'existing', household: 'household:a', nik: '' });
  assert.deepEqual([chosen.name, chosen.no_kk, chosen.desa, chosen.nik], ['Muhamad Rizki', '3217170101230001', DESA, null]);
  const fresh = draftSummary(records(), { name: 'Dadan', household_mode: 'new', household: 'household:a', hh_no_kk: '3217170101239999' }, { desa: DESA });
  assert.deepEqual([fresh.no_kk, fresh.household, fresh.desa], ['3217170101239999', null, DESA]);
});

test('a child typed again with a spelling slip is offered, with reasons in words', () => {
  const draft = draftSummary(records(), { name: 'Muhamad Rizki', sex: 'L', birth_date: '2023-03-14', household: 'household:a' });
  const found = hintFor(config, records(), draft);
  assert.deepEqual(found.map((item) => item.person._id), ['person:rizki']);
  assert.deepEqual(found[0].reasons, ['Satu keluarga (No. KK sama)', 'Nama mirip', 'Tanggal lahir sama', 'Desa sama']);
  assert.equal(found[0].household.head_name, 'Ujang Suryana');
});

test('the twin brother is not offered, nor the merged record, and a NIK alone is enough', () => {
  const twin = draftSummary(records(), { name: 'Muhammad Husen', sex: 'L', birth_date: '2023-03-14', household: 'household:a', mother: 'person:ibu' });
  assert.deepEqual(hintFor(config, records(), twin).map((item) => item.person._id), []);
  const byNik = draftSummary(records(), { name: 'Siti', nik: '3217174204950001' }, { desa: DESA });
  assert.deepEqual(hintFor(config, records(), byNik).map((item) => item.person._id), ['person:ibu']);
});

test('nothing typed yet offers nothing, and negative evidence is never named as a reason', () => {
  assert.deepEqual(hintFor(config, records(), draftSummary(records(), {})), []);
  const draft = draftSummary(records(), { name: 'Siti Aminah', sex: 'P', birth_date: '1995-04-02', nik: '3217174204950009', household: 'household:a' });
  for (const item of hintFor(config, records(), draft)) assert.ok(!item.reasons.includes('NIK berbeda'));
});
