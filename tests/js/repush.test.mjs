// Documents refused for a reference that had not arrived are pushed once more, by id.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ReferenceRetry } from '../../pwa/static/js/repush.js';

function fakeLocal() {
  const calls = [];
  return { calls, replicate: { to: (remote, opts) => { calls.push({ remote, opts }); return 'rep'; } } };
}

test('only reference_missing refusals are collected, each id once', () => {
  const retry = new ReferenceRetry();
  retry.denied({ id: 'encounter:1', code: 'reference_missing' });
  retry.denied({ id: 'encounter:1', code: 'reference_missing' });
  retry.denied({ id: 'task:2', code: 'role' });
  retry.denied({ id: 'person:3', reason: 'no code from an older server' });
  assert.equal(retry.waiting, 1);
});

test('flush pushes the collected ids once, without checkpoints, then forgets them', () => {
  const retry = new ReferenceRetry();
  const local = fakeLocal();
  retry.denied({ id: 'encounter:1', code: 'reference_missing' });
  retry.denied({ id: 'encounter:2', code: 'reference_missing' });
  assert.equal(retry.flush(local, 'remote'), 'rep');
  assert.deepEqual(local.calls, [{ remote: 'remote',
    opts: { doc_ids: ['encounter:1', 'encounter:2'], checkpoint: false } }]);
  assert.equal(retry.waiting, 0);
  assert.equal(retry.flush(local, 'remote'), null);
  assert.equal(local.calls.length, 1);
});
