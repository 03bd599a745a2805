// The outbox keeps the server's refusal code on each refused entry, across a reload.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { installFakeIndexedDB } from './fake-indexeddb.mjs';

installFakeIndexedDB();
const { Outbox } = await import('../../pwa/static/js/outbox.js');

const TASK = 'task:0190f3a2-5d4e-7c1b-9a2f-3b4c5d6e7f80';

test('a refused document keeps its code, reason and revision, and survives a reload', async () => {
  const outbox = await new Outbox('kader').load();
  await outbox.written(TASK, '2-abc', 'task');
  await outbox.denied({ id: TASK, name: 'forbidden', status: 403, code: 'role',
                        reason: "role 'kader' may not write 'task' documents" });
  assert.equal(outbox.pendingCount, 0);
  const reloaded = await new Outbox('kader').load();
  const entry = reloaded.refused[TASK];
  assert.deepEqual([entry.code, entry.rev, entry.type], ['role', '2-abc', 'task']);
  assert.match(entry.reason, /may not write/);
});

test('a server that sends no code leaves the code null', async () => {
  const outbox = await new Outbox('pustu').load();
  await outbox.denied({ id: TASK, name: 'forbidden', reason: 'Invalid document' });
  assert.equal(outbox.refused[TASK].code, null);
});
