// The waiting-room screen's SSE parser (pwa/static/js/layar/feed.js): what the server sends
// (backend/flow/display.py) split into events, partial blocks kept for the next chunk.
import assert from 'node:assert/strict';
import test from 'node:test';

import { parseSse } from '../../pwa/static/js/layar/feed.js';

test('blocks become events with their kind, id and data; retry is read; comments are skipped', () => {
  const text = 'retry: 1000\n\nid: 7\nevent: state\ndata: {"a":1}\n\n: ping\n\nid: 8\nevent: call\ndata: {"ticket":"C-001"}\n\nid: 9\nevent: ca';
  const { events, retry, rest } = parseSse(text);
  assert.equal(retry, 1000);
  assert.deepEqual(events, [
    { event: 'state', id: '7', data: '{"a":1}' },
    { event: 'call', id: '8', data: '{"ticket":"C-001"}' },
  ]);
  assert.equal(rest, 'id: 9\nevent: ca');
  const next = parseSse(`${rest}ll\ndata: {"ticket":"C-002"}\n\n`);
  assert.deepEqual(next.events, [{ event: 'call', id: '9', data: '{"ticket":"C-002"}' }]);
  assert.equal(next.rest, '');
});

test('CRLF line ends, multi-line data and a field without a space', () => {
  const { events } = parseSse('event:removed\r\ndata:{}\r\n\r\ndata: a\ndata: b\n\n');
  assert.deepEqual(events, [{ event: 'removed', id: null, data: '{}' }, { event: 'message', id: null, data: 'a\nb' }]);
});
