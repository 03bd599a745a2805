// Pure parts of the admin screens: problem+json to field messages, the place form's document,
// the audit query, and audit labels in words (never a raw action code or document id).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import en from '../../pwa/static/js/i18n/en.js';
import id from '../../pwa/static/js/i18n/id.js';
import { ROOT } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { problemErrors } = await import('../../pwa/static/js/views/admin.js');
const { placeFromForm } = await import('../../pwa/static/js/views/admin-places.js');
const { ACTIONS, auditQuery, targetLabel } = await import('../../pwa/static/js/views/admin-audit.js');

const refused = (status, problem) => Object.assign(new Error('refused'), { status, problem });

describe('problemErrors', () => {
  test('a field the problem names gets the catalog sentence under that field', () => {
    const error = refused(422, { detail: 'cluster: a klaster user needs a cluster',
      errors: { json: { cluster: ['a klaster user needs a cluster'] } } });
    assert.deepEqual(problemErrors(error, ['role', 'cluster']), { cluster: id['admin.error.cluster'] });
  });

  test('a taken username (409) reads as taken, under the username field', () => {
    const error = refused(409, { errors: { json: { username: ["username 'kader_a' is already taken"] } } });
    assert.deepEqual(problemErrors(error, ['username']), { username: id['admin.error.username_taken'] });
  });

  test('a field without its own sentence shows the server\'s words, named', () => {
    const error = refused(422, { errors: { json: { display_name: { 0: ['Longer than maximum length 120.'] } } } });
    assert.deepEqual(problemErrors(error, ['display_name']),
      { display_name: id['admin.error.field'].replace('{detail}', 'Longer than maximum length 120.') });
  });

  test('a field the form does not have goes to the form-level message', () => {
    const error = refused(409, { errors: { json: { active: ['the last active admin'] } } });
    assert.deepEqual(problemErrors(error, []), { _form: id['admin.error.active_taken'] });
  });

  test('a stale revision (409 without a field) reads as the conflict sentence given', () => {
    const error = refused(409, { detail: 'The document changed since you read it; reload and try again.' });
    assert.deepEqual(problemErrors(error, ['name'], 'RELOAD'), { _form: 'RELOAD' });
  });

  test('a refusal naming no field carries the server\'s detail; a body-less one a general sentence', () => {
    assert.equal(problemErrors(refused(422, { detail: 'x is wrong' }), [])._form,
      id['admin.error.refused'].replace('{detail}', 'x is wrong'));
    assert.equal(problemErrors(refused(502, null), [])._form, id['admin.failed']);
    assert.equal(problemErrors(refused(403, { detail: "Role 'kapus' may not do this." }), [])._form, id['admin.forbidden']);
  });
});

describe('placeFromForm', () => {
  const places = [
    { id: 'place:pkm', kind: 'puskesmas', name: 'Puskesmas Cikalong', desa: null },
    { id: 'place:a', kind: 'desa', name: 'Cikalong', code: '3204190001', desa: '3204190001' },
    { id: 'place:m', kind: 'posyandu', name: 'Posyandu Melati', desa: '3204190001' },
  ];

  test('a desa is its own desa and hangs under the Puskesmas unless a parent is chosen', () => {
    const { fields, errors } = placeFromForm({ kind: 'desa', name: ' Mekarjaya ', code: '3204190002' }, places);
    assert.deepEqual(errors, {});
    assert.deepEqual(fields, { kind: 'desa', name: 'Mekarjaya', code: '3204190002', desa: '3204190002',
      parent: 'place:pkm', dusun: null, address: null });
  });

  test('a Posyandu hangs under its desa, with its monthly day', () => {
    const { fields, errors } = placeFromForm({ kind: 'posyandu', name: 'Posyandu Anggrek', desa: '3204190001',
      schedule_day: '15', dusun: 'Kaler' }, places);
    assert.deepEqual(errors, {});
    assert.equal(fields.parent, 'place:a');
    assert.equal(fields.schedule_day, 15);
    assert.equal(fields.dusun, 'Kaler');
  });

  test('impossible input is named: day outside 1-28, a desa code not of 10 digits, a wrong parent', () => {
    for (const day of ['0', '29', '31', '2.5', 'x']) {
      const { errors } = placeFromForm({ kind: 'posyandu', name: 'P', desa: '3204190001', schedule_day: day }, places);
      assert.equal(errors.schedule_day, id['admin.error.schedule_day'], day);
    }
    assert.equal(placeFromForm({ kind: 'desa', name: 'D', code: '320419' }, places).errors.code, id['admin.error.code']);
    assert.equal(placeFromForm({ kind: 'pustu', name: 'P', desa: '3204190001', parent: 'place:m' }, places).errors.parent,
      id['admin.error.parent_kind']);
    assert.ok(placeFromForm({ kind: 'pustu', name: 'P' }, places).errors.desa);
  });
});

describe('audit', () => {
  test('the actions offered are exactly backend/audit/trail.py ACTIONS, each with a sentence in both languages', () => {
    const source = readFileSync(path.join(ROOT, 'backend', 'audit', 'trail.py'), 'utf8');
    const body = /^ACTIONS = \{\n([\s\S]*?)\n\}/m.exec(source)[1];
    const server = [...body.matchAll(/^\s+"([\w.]+)":/gm)].map((match) => match[1]);
    assert.deepEqual([...ACTIONS].sort(), server.sort());
    for (const action of ACTIONS) {
      assert.ok(id[`audit.action.${action}`] && en[`audit.action.${action}`], action);
    }
  });

  test('the query sends only the filters set, and the days as calendar days of the Puskesmas', () => {
    const query = auditQuery({ actor: 'bidan.a', action: '', since: '2026-11-01', until: '2026-11-30', before_id: '40' });
    assert.equal(query.get('actor'), 'bidan.a');
    assert.equal(query.has('action'), false);
    assert.equal(query.get('limit'), '50');
    assert.equal(query.get('before_id'), '40');
    assert.equal(query.get('date_from'), '2026-11-01');
    assert.equal(query.get('date_to'), '2026-11-30'); // inclusive: the server reads the whole day
  });

  test('a record the screen cannot name reads as a neutral label, never its id', () => {
    const names = { users: new Map([['3', 'Pustu B']]), usernames: new Map(), places: new Map([['place:a', 'Cikalong']]), desa: new Map() };
    assert.equal(targetLabel({ target_type: 'user', target_id: 3 }, names), 'Pustu B');
    assert.equal(targetLabel({ target_type: 'place', target_id: 'place:a' }, names), 'Cikalong');
    for (const entry of [{ target_type: 'user', target_id: 99 }, { target_type: 'place', target_id: 'place:zz' },
      { target_type: 'person', target_id: 'person:0193-abc' }, { target_type: 'document', target_id: 'encounter:1' }]) {
      const label = targetLabel(entry, names);
      assert.ok(!label.includes(String(entry.target_id)) && !label.includes(':'), label);
    }
  });
});
