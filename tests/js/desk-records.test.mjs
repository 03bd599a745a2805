// Desk mode's on-demand records (pwa/static/js/desk-records.js): which copy of a document
// wins in memory, what a fresh record from the server drops, and how a server document is
// handed to the device's PouchDB before an edit. The network and PouchDB are stand-ins.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { DeskRecords, DeskSearch, isDeskRole } from '../../pwa/static/js/desk-records.js';

/** The device's PouchDB, reduced to the calls DeskRecords makes. */
function fakeLocal(held = {}) {
  const docs = new Map(Object.entries(held));
  return {
    docs,
    written: [],
    async get(id) {
      if (!docs.has(id)) throw Object.assign(new Error('missing'), { status: 404 });
      return docs.get(id);
    },
    async bulkDocs(batch, options) {
      this.written.push({ batch, options });
      for (const doc of batch) docs.set(doc._id, doc);
      return [];
    },
  };
}

let answers;
beforeEach(() => {
  answers = new Map();
  globalThis.fetch = async (url) => {
    const path = new URL(url, 'http://siklus.test').pathname + new URL(url, 'http://siklus.test').search;
    if (!answers.has(path)) return new Response('{}', { status: 404 });
    return new Response(JSON.stringify(answers.get(path)), { status: 200 });
  };
});

const person = { _id: 'person:p1', _rev: '2-b', type: 'person', desa: '3204190002', name: 'Euis', household: 'household:h1' };
const visit = (id, rev = '1-a') => ({ _id: id, _rev: rev, type: 'encounter', desa: '3204190002', person: 'person:p1', date: '2026-10-01', created_at: 'x' });
const revisions = (rev) => ({ start: Number.parseInt(rev, 10), ids: [rev.split('-')[1], 'a'] });

function record(encounters) {
  return {
    person: { ...person, _revisions: revisions(person._rev) },
    household: null, members: [], pregnancies: [], tasks: [],
    encounters: encounters.map((doc) => ({ ...doc, _revisions: { start: 1, ids: ['a'] } })),
  };
}

test('Puskesmas roles and network clinics work at a desk; Pustu and kader replicate', () => {
  assert.ok(['klaster', 'kapus', 'admin', 'dinkes', 'fktp'].every(isDeskRole));
  assert.equal(isDeskRole('pustu') || isDeskRole('kader'), false);
});

test('a person record fills the views\' interface, without _revisions in the documents', async () => {
  answers.set('/api/v1/records/person%3Ap1', record([visit('encounter:e1')]));
  const records = new DeskRecords(fakeLocal());
  await records.loadPerson('person:p1');
  assert.equal(records.get('person:p1').name, 'Euis');
  assert.deepEqual(records.encounters('person:p1').map((doc) => doc._id), ['encounter:e1']);
  assert.equal('_revisions' in records.get('person:p1'), false);
});

test('the device\'s own newer revision is not replaced by an older server copy', () => {
  const records = new DeskRecords(fakeLocal());
  records.put({ ...person, _rev: '3-mine', name: 'Euis (diubah)' });
  records.absorb({ ...person, _revisions: revisions(person._rev) });
  assert.equal(records.get('person:p1').name, 'Euis (diubah)');
});

test('a reload drops what the server no longer lists, but keeps unsent local writes', async () => {
  const local = fakeLocal({ 'encounter:mine': visit('encounter:mine') });
  const records = new DeskRecords(local);
  answers.set('/api/v1/records/person%3Ap1', record([visit('encounter:e1'), visit('encounter:gone')]));
  await records.loadPerson('person:p1');
  records.put(visit('encounter:mine'));
  answers.set('/api/v1/records/person%3Ap1', record([visit('encounter:e1')]));
  await records.loadPerson('person:p1');
  assert.deepEqual(records.encounters('person:p1').map((doc) => doc._id).sort(), ['encounter:e1', 'encounter:mine']);
  assert.equal(records.get('encounter:gone'), null);
});

test('before an edit the server copy goes into PouchDB with its history, as a replica', async () => {
  const local = fakeLocal();
  const records = new DeskRecords(local);
  records.absorb({ ...person, _revisions: revisions(person._rev) });
  await records.ensureLocal('person:p1');
  const [{ batch: [stored], options }] = local.written;
  assert.deepEqual(options, { new_edits: false });
  assert.deepEqual(stored._revisions, { start: 2, ids: ['b', 'a'] });
  await records.ensureLocal('person:p1'); // already held at that revision: nothing more
  assert.equal(local.written.length, 1);
});

test('a held copy older than the server\'s is brought up to date before the edit', async () => {
  const local = fakeLocal({ 'person:p1': { ...person, _rev: '1-a' } });
  const records = new DeskRecords(local);
  records.absorb({ ...person, _revisions: revisions(person._rev) });
  await records.ensureLocal('person:p1');
  assert.equal(local.docs.get('person:p1')._rev, '2-b');
});

test('desk search asks the server: a name, or a whole NIK / no. KK, never a few digits', async () => {
  const row = { id: 'person:p1', desa: '3204190002', household_id: 'household:h1', name: 'Euis', sex: 'P', birth_date: '1990-01-01' };
  answers.set('/api/v1/persons?q=euis&page_size=50', { items: [row], total: 1 });
  answers.set('/api/v1/persons?nik=3204195705900001&page_size=50', { items: [row], total: 1 });
  answers.set('/api/v1/persons?no_kk=3204195705900001&page_size=50', { items: [], total: 0 });
  const search = new DeskSearch();
  const [found] = await search.search('euis');
  assert.deepEqual([found._id, found.household], ['person:p1', 'household:h1']);
  assert.equal((await search.search('3204 1957 0590 0001')).length, 1);
  assert.deepEqual(await search.search('3204'), []);
});

test('desk search finds a JKN card number (13 digits) for the loket', async () => {
  const row = { id: 'person:p1', desa: '3204190002', household_id: 'household:h1', name: 'Euis', sex: 'P', birth_date: '1990-01-01' };
  answers.set('/api/v1/persons?jkn=0001234567890&page_size=50', { items: [row], total: 1 });
  const [found] = await new DeskSearch().search('0001 2345 67890');
  assert.equal(found._id, 'person:p1');
  assert.deepEqual(await new DeskSearch().search('000123456789'), []);
});

test('a desk without network fails loudly rather than finding nobody', async () => {
  globalThis.fetch = async () => { throw new TypeError('Failed to fetch'); };
  await assert.rejects(new DeskSearch().search('euis'));
});
