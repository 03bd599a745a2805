// The organisation and duty screens' pure parts: who may set a point's duty (the server's
// backend/flow/duty.py may_set), and the kinds and clusters the screens offer, which must be
// the server's (backend/flow/vocabulary.py POINT_KINDS, organisation.py KIND_CLUSTERS), each
// labelled in both languages.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import en from '../../pwa/static/js/i18n/en.js';
import id from '../../pwa/static/js/i18n/id.js';
import { ROOT } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { KIND_CLUSTERS, POINT_KINDS } = await import('../../pwa/static/js/views/flow-organisation.js');
const { maySet } = await import('../../pwa/static/js/views/flow-duty.js');

const org = (staff) => ({ staffByName: new Map(staff.map((m) => [m.username, m])) });
const K2 = { id: 'k2', clusters: ['2'] };
const SHARED = { id: 'k23', clusters: ['2', '3'] };

describe('maySet', () => {
  test('kapus and admin set every point', () => {
    for (const role of ['kapus', 'admin']) assert.ok(maySet(org([]), K2, { role, username: role }));
  });

  test('a PJ sets the points that serve their cluster, shared rooms included', () => {
    const o = org([{ username: 'bidan', assigned: true, position: 'pj', cluster: '2' }]);
    const me = { role: 'klaster', username: 'bidan' };
    assert.ok(maySet(o, K2, me));
    assert.ok(maySet(o, SHARED, me));
    assert.ok(!maySet(o, { id: 'k3', clusters: ['3'] }, me));
  });

  test('an anggota, an unplaced account and other roles may not', () => {
    const o = org([{ username: 'a', assigned: true, position: 'anggota', cluster: '2' },
      { username: 'b', assigned: false, position: null, cluster: '2' }]);
    assert.ok(!maySet(o, K2, { role: 'klaster', username: 'a' }));
    assert.ok(!maySet(o, K2, { role: 'klaster', username: 'b' }));
    assert.ok(!maySet(o, K2, { role: 'klaster', username: 'nobody' }));
    assert.ok(!maySet(org([{ username: 'p', assigned: true, position: 'pj', cluster: '2' }]), K2,
      { role: 'pustu', username: 'p' }));
  });
});

describe('kinds and clusters', () => {
  const python = (file) => readFileSync(path.join(ROOT, file), 'utf8');

  test('the point kinds are the server\'s, each labelled in both languages', () => {
    const kinds = /^POINT_KINDS = \(([^)]*)\)/m.exec(python('backend/flow/vocabulary.py'))[1]
      .match(/"(\w+)"/g).map((s) => s.slice(1, -1));
    assert.deepEqual(POINT_KINDS, kinds);
    for (const kind of kinds) {
      assert.ok(id[`org.kind.${kind}`] && en[`org.kind.${kind}`], kind);
    }
  });

  test('the clusters a kind may serve are the server\'s', () => {
    const body = /^KIND_CLUSTERS = \{([\s\S]*?)\}\n/m.exec(python('backend/flow/organisation.py'))[1];
    const server = Object.fromEntries([...body.matchAll(/"(\w+)": \{([^}]*)\}/g)]
      .map(([, kind, set]) => [kind, set.match(/"(\w+)"/g).map((s) => s.slice(1, -1)).sort()]));
    const client = Object.fromEntries(Object.entries(KIND_CLUSTERS).map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(client, server);
  });
});
