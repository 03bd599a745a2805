// Posyandu visits shared by a session's tablets: the derived ids (the vectors Python runs in
// tests/posyandu/test_visit_documents.py), the document <-> table mapping, and the session
// state the stepper and the rows both draw from (one table per person, legacy data read), and
// what the session screen says of the other tablets while this one is offline.

import assert from 'node:assert/strict';
import path from 'node:path';
import { beforeEach, describe, it } from 'node:test';

import { ROOT, readJson } from './helpers.mjs';

// A localStorage whose keys enumerate like the browser's (drafts.js lists them).
const store = {};
Object.defineProperties(store, {
  getItem: { value: (key) => (Object.hasOwn(store, key) ? store[key] : null) },
  setItem: { value: (key, value) => { store[key] = String(value); } },
  removeItem: { value: (key) => { delete store[key]; } },
});
globalThis.localStorage = store;

const { app } = await import('../../pwa/static/js/app.js');
const { Records } = await import('../../pwa/static/js/records.js');
const { posyanduEncounterId, posyanduVisitId, uuidv5 } = await import('../../pwa/static/js/derived-ids.js');
const queue = await import('../../pwa/static/js/views/posyandu-queue.js');
const { syncNote } = await import('../../pwa/static/js/views/posyandu-frame.js');

const { cases } = readJson(path.join(ROOT, 'tests', 'posyandu', 'derived_ids.json'));
const SESSION = 'posyandu_session:0190a000-0000-7000-8000-000000000001';
const T = '2026-03-10T09:00:00+07:00';
const person = (n) => `person:0190a000-0000-7000-8000-00000000001${n}`;

describe('derived ids', () => {
  it('is RFC 9562 UUIDv5 (its own test vector)', async () => {
    assert.equal(await uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com'),
      '2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
  for (const vector of cases) {
    it(`matches Python for ${vector.person}`, async () => {
      assert.equal(await posyanduVisitId(vector.session, vector.person), vector.visit);
      assert.equal(await posyanduEncounterId(vector.visit), vector.encounter);
    });
  }
});

describe('visit documents and tables', () => {
  it('stores the tables\' changes as document fields, empty ones removed', () => {
    assert.deepEqual(queue.visitChanges({
      measurements: { weight_kg: '10,4' }, measured: { weight_kg: 10.4 }, findings: [{ kind: 'bp' }],
      services: [], referral: null, counselling: ['mpasi'], notes: '',
    }), { measurements: { weight_kg: 10.4 }, services: null, referral: null, counselling: ['mpasi'], notes: null });
  });

  it('reads done-marks per table and the measurements back', () => {
    const view = queue.visitView({ done_ukur: T, done_layanan: T, measurements: { weight_kg: 9 }, services: ['pmt'] });
    assert.deepEqual(view.done, { ukur: true, layanan: true });
    assert.deepEqual(view.measured, { weight_kg: 9 });
    assert.deepEqual(view.services, ['pmt']);
    assert.equal(queue.nextTable(view), 'catat');
    assert.equal(queue.nextTable(queue.visitView(null)), 'ukur');
  });
});

function visitDoc(n, fields = {}) {
  return { _id: `posyandu_visit:${n}`, type: 'posyandu_visit', posyandu_session: SESSION, person: person(n),
    created_at: `2026-03-10T09:0${n}:00+07:00`, ...fields };
}

describe('session state', () => {
  beforeEach(() => {
    for (const key of Object.keys(store)) delete store[key];
    app.profile = { username: 'kader_a' };
    app.records = new Records(null);
  });

  it('puts each unfinished person in exactly the queue of their next table', () => {
    const docs = [visitDoc(1), visitDoc(2, { done_ukur: T }), visitDoc(3, { done_ukur: T, done_layanan: T }),
      visitDoc(4, { done_ukur: T, done_catat: T, done_layanan: T, done_penyuluhan: T })];
    docs.forEach((doc) => app.records.put(doc));
    const session = { _id: SESSION };
    const registered = queue.registeredIds(session);
    const visits = queue.readVisits(SESSION);
    const waiting = Object.fromEntries(queue.STEPS.slice(1)
      .map((step) => [step, queue.queue(step, registered, visits, new Set())]));
    assert.deepEqual(waiting, {
      ukur: [person(1)], catat: [person(2), person(3)], layanan: [], penyuluhan: [],
    });
    assert.equal(queue.nextTable(visits.get(person(4))), null);
  });

  it('reads a legacy attendance array and this device\'s legacy drafts', () => {
    app.records.put(visitDoc(2));
    const session = { _id: SESSION, attendance: [person(1), person(2)] };
    store[`siklus.draft:kader_a:visit:${SESSION}:${person(1)}`] = JSON.stringify({ done: { ukur: true } });
    assert.deepEqual(queue.registeredIds(session), [person(1), person(2)]);
    assert.equal(queue.nextTable(queue.readVisits(SESSION).get(person(1))), 'catat');
    app.records.put({ _id: 'encounter:x', type: 'encounter', person: person(3), posyandu_session: SESSION });
    assert.equal(queue.attendanceCount(session), 3); // finished before visits were documents
  });
});

describe('what the session screen says of the other tablets', () => {
  const sync = (phase, lastSync = '2026-03-10T09:00:00+07:00') => ({ state: { phase, lastSync } });

  it('says offline progress is not visible, with the last sync', () => {
    const text = syncNote(sync('offline'));
    assert.match(text, /^Offline: kemajuan dari tablet lain belum terlihat/);
    assert.match(text, /Sinkron terakhir .*10 Mar/);
  });

  it('never claims a sync it has not had', () => {
    assert.match(syncNote(sync('offline', null)), /belum pernah sinkron/);
    assert.match(syncNote(sync('error')), /^Sinkron belum berhasil/);
    assert.match(syncNote(sync('syncing')), /sedang diambil/);
    assert.equal(syncNote(sync('idle')), null);
  });
});
