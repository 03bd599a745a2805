// Document ids made on the tablet: UUIDv7, time-ordered, accepted by the server's schemas.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { newId, uuidv7 } from '../../pwa/static/js/ids.js';

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// backend/documents/fieldtypes.py Ref("person") and backend/sync/prepare.py DOC_ID
const REF = /^person:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('version 7 and variant 10, in the RFC 9562 layout', () => {
  for (let i = 0; i < 1000; i += 1) assert.match(uuidv7(), UUID7);
});

test('the first 48 bits are the creation time in milliseconds', () => {
  const ms = Date.UTC(2026, 10, 22, 7, 30, 15, 123);
  const id = uuidv7(ms);
  assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), ms);
});

test('ids made later sort later; ids made in the same millisecond still differ', () => {
  const ids = [];
  for (let ms = 1_700_000_000_000; ms < 1_700_000_000_000 + 5000; ms += 7) ids.push(uuidv7(ms));
  assert.deepEqual([...ids].sort(), ids);
  const same = new Set(Array.from({ length: 10000 }, () => uuidv7(1_700_000_000_000)));
  assert.equal(same.size, 10000);
});

test('newId is <type>:<uuid> as the schemas require', () => {
  const id = newId('person');
  assert.match(id, REF);
  assert.match(id.split(':')[1], UUID7);
});
