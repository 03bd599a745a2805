// The sync controller pushes documents refused for a missing reference once more when the
// push has caught up, and only those; the retry's own refusals reach the outbox.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { installFakeIndexedDB } from './fake-indexeddb.mjs';
import { FakeEmitter } from './fake-replication.mjs';

installFakeIndexedDB();
globalThis.window = { location: { origin: 'http://puskesmas.test' },
                      addEventListener() {}, removeEventListener() {} };
globalThis.PouchDB = class {
  static replicate(source, target, opts) {
    return new FakeEmitter(opts);
  }
};
const { SyncController } = await import('../../pwa/static/js/sync.js');

function controller() {
  const retries = [];
  const local = { replicate: { to: (remote, opts) => {
    const replication = new FakeEmitter(opts);
    retries.push(replication);
    return replication;
  } } };
  const outbox = { denied: [], pushed: [], addEventListener() {}, removeEventListener() {},
                   pendingCount: 0, refusedCount: 0 };
  const sync = new SyncController({
    local, username: 'bidan', onCaughtUp: async () => {},
    outbox: { ...outbox, denied: (e) => outbox.denied.push(e.id), pushed: (d) => outbox.pushed.push(...d) },
  });
  sync.run();
  return { sync, retries, outbox };
}

const VISIT = 'encounter:0190f3a2-5d4e-7c1b-9a2f-3b4c5d6e7f81';

test('a visit refused for a missing person is pushed once more after the push caught up', () => {
  const { sync, retries, outbox } = controller();
  const push = sync.replications.push;
  push.emit('active');
  push.emit('denied', { id: VISIT, name: 'forbidden', code: 'reference_missing' });
  push.emit('denied', { id: 'task:1', name: 'forbidden', code: 'role' });
  assert.equal(retries.length, 0);  // not while the push is still running
  push.emit('paused');
  assert.deepEqual(retries.map((r) => r.opts), [{ doc_ids: [VISIT], checkpoint: false }]);
  retries[0].emit('denied', { id: VISIT, name: 'forbidden', code: 'reference_missing' });
  push.emit('paused');
  assert.equal(retries.length, 1);  // refused again: it stays listed, no loop
  assert.deepEqual(outbox.denied, [VISIT, 'task:1', VISIT]);
  sync.stop();
});
