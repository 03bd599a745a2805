// "Terbaru" only once the screens hold what the pull wrote: Records.settled() waits for its
// changes feed to apply everything in the local database, and the sync controller sets
// lastSync (the first sync is over) only after that. PouchDB is a stand-in.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { installFakeIndexedDB } from './fake-indexeddb.mjs';
import { FakeEmitter } from './fake-replication.mjs';

installFakeIndexedDB();
globalThis.window = { location: { origin: 'http://puskesmas.test' }, addEventListener() {}, removeEventListener() {} };
Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });

globalThis.PouchDB = class {
  static replicate(source, target, opts) {
    return new FakeEmitter(opts);
  }
};

const { Records } = await import('../../pwa/static/js/records.js');
const { SyncController } = await import('../../pwa/static/js/sync.js');

/** A local database holding `written` changes (seq 1..n) whose live feed the test drives. */
function fakeLocal() {
  const changes = [];
  const local = {
    feed: null,
    write(doc) {
      changes.push({ seq: changes.length + 1, id: doc._id, doc });
    },
    async info() {
      return { update_seq: 0 };
    },
    async allDocs() {
      return { rows: [] };
    },
    changes(opts) {
      if (opts.live) {
        local.feed = new FakeEmitter(opts);
        return local.feed;
      }
      return Promise.resolve({ results: changes.filter((change) => change.seq > opts.since).slice(0, opts.limit) });
    },
    /** The feed catches up: every written change is applied. */
    catchUp() {
      for (const change of changes) local.feed.emit('change', change);
    },
  };
  return local;
}

const person = (n) => ({ _id: `person:${n}`, type: 'person', name: `Warga ${n}` });

test('settled() waits until the feed has applied everything in the local database', async () => {
  const local = fakeLocal();
  const records = await new Records(local).load();
  await records.settled();  // nothing written: settled at once
  [1, 2, 3].forEach((n) => local.write(person(n)));
  let done = false;
  const waiting = records.settled().then(() => { done = true; });
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  assert.equal(done, false, 'the pull wrote 3 persons the screens do not hold yet');
  local.catchUp();
  await waiting;
  assert.equal(records.all('person').length, 3);
});

test('the first sync is not over, nor "idle", until the records have settled', async () => {
  const local = fakeLocal();
  const records = await new Records(local).load();
  local.write(person(1));
  const outbox = { addEventListener() {}, removeEventListener() {}, denied() {}, pushed() {}, pendingCount: 0, refusedCount: 0 };
  const sync = new SyncController({
    local, outbox, username: 'bidan', onCaughtUp: async () => {}, settle: () => records.settled(),
  });
  sync.run();
  sync.replications.push.emit('paused');
  sync.replications.pull.emit('active');
  sync.replications.pull.emit('paused');
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  assert.equal(sync.state.phase, 'syncing');
  assert.equal(sync.state.lastSync, null);
  local.catchUp();
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  assert.equal(sync.state.phase, 'idle');
  assert.ok(sync.state.lastSync);
  sync.stop();
});
