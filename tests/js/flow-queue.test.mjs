// The queue panel's pure parts (views/flow-queue.js, flow-parts.js, flow-dialogs.js,
// flow-home.js): which steps an entry offers, which entry is this desk's, when the screen
// must be redrawn, and every priority, status and refusal in words, never a code.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import en from '../../pwa/static/js/i18n/en.js';
import id from '../../pwa/static/js/i18n/id.js';
import { loadConfig } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { currentEntry, entryActions, queueSignature } = await import('../../pwa/static/js/views/flow-queue.js');
const {
  durationText, minutesSince, pointHref, priorityText, problemText, queueHref,
} = await import('../../pwa/static/js/views/flow-parts.js');
const { transferTargets } = await import('../../pwa/static/js/views/flow-dialogs.js');
const { pointKindText, pointRows } = await import('../../pwa/static/js/views/flow-home.js');

const entry = (id_, status, extra = {}) => ({
  id: id_, status, ticket: `C-00${id_}`, priority: 'normal', priority_groups: [], call_count: 1,
  person: { id: `person:${id_}`, name: `Warga ${id_}` }, ...extra,
});
const queue = (extra = {}) => ({
  point: { id: 'k3', label: 'Ruang Klaster 3' }, waiting: [], called: [], in_service: [], skipped: [], done_count: 0, ...extra,
});

describe('steps of an entry', () => {
  test('called, in service and skipped offer their steps; an ended entry none', () => {
    assert.deepEqual(entryActions('called'), ['recall', 'start', 'skip', 'transfer', 'cancel']);
    assert.deepEqual(entryActions('in_service'), ['done', 'transfer', 'cancel']);
    assert.deepEqual(entryActions('skipped'), ['recall']);
    for (const status of ['waiting', 'done', 'transferred', 'cancelled']) assert.deepEqual(entryActions(status), []);
  });

  test('every step has a label and a confirmation in both languages', () => {
    const actions = new Set(['next', ...['called', 'in_service', 'skipped'].flatMap(entryActions)]);
    for (const catalog of [id, en]) {
      for (const action of actions) {
        assert.ok(catalog[`flow.action.${action}`], action);
        assert.ok(catalog[`flow.done.${action}`]?.includes('{ticket}'), action);
      }
      assert.ok(catalog['flow.action.recall_skipped']);
    }
  });
});

describe("this desk's entry", () => {
  const called = entry(1, 'called');
  const other = entry(2, 'in_service', { served_by: 'bidan2' });
  const mineServed = entry(3, 'in_service', { served_by: 'dokter3' });

  test('the entry this desk called, while it is active', () => {
    assert.equal(currentEntry(queue({ called: [called], in_service: [other] }), { mine: 1, username: 'dokter3' }), called);
  });

  test('else one this user serves; another desk\'s person at a shared room is never ours', () => {
    assert.equal(currentEntry(queue({ in_service: [other, mineServed] }), { mine: 9, username: 'dokter3' }), mineServed);
    assert.equal(currentEntry(queue({ called: [called], in_service: [other] }), { mine: null, username: 'dokter3' }), null);
    assert.equal(currentEntry(queue(), { mine: 1 }), null);
  });
});

test('a redraw only when something but time changed', () => {
  const before = queue({ waiting: [entry(1, 'waiting', { queued_at: '2026-11-30T01:00:00Z' })] });
  const later = structuredClone(before);
  assert.equal(queueSignature(before), queueSignature(later));
  later.waiting[0].priority = 'emergency';
  assert.notEqual(queueSignature(before), queueSignature(later));
  const called = structuredClone(before);
  called.called = called.waiting.splice(0, 1).map((e) => ({ ...e, status: 'called' }));
  assert.notEqual(queueSignature(before), queueSignature(called));
});

describe('in words', () => {
  test('priorities: emergency, the groups by the labels of routing.json', () => {
    const config = loadConfig();
    assert.equal(priorityText({ priority: 'emergency', priority_groups: [] }, config), 'Gawat darurat');
    assert.equal(priorityText({ priority: 'priority', priority_groups: ['lansia', 'disabilitas'] }, config),
      'Prioritas: Lansia, Penyandang disabilitas');
    assert.equal(priorityText({ priority: 'priority', priority_groups: ['hamil'] }, config), 'Prioritas: Ibu hamil');
    assert.equal(priorityText({ priority: 'priority', priority_groups: ['lansia'] }), 'Prioritas'); // config not loaded yet
    assert.equal(priorityText({ priority: 'normal', priority_groups: [] }, config), null);
  });

  test('every entry status has a label in both languages', () => {
    for (const status of ['waiting', 'called', 'in_service', 'done', 'skipped', 'transferred', 'cancelled']) {
      assert.ok(id[`flow.status.${status}`] && en[`flow.status.${status}`], status);
    }
  });

  test('waiting time in minutes and hours, never negative', () => {
    const now = Date.parse('2026-11-30T03:00:00Z');
    assert.equal(minutesSince('2026-11-30T02:47:30Z', now), 12);
    assert.equal(minutesSince('2026-11-30T03:00:30Z', now), 0);
    assert.equal(durationText(0), '< 1 mnt');
    assert.equal(durationText(12), '12 mnt');
    assert.equal(durationText(65), '1 jam 5 mnt');
  });

  test('a refusal: the catalog sentence for its code, else the server\'s words, else by status', () => {
    const problem = (status, code, detail) => Object.assign(new Error('x'), { status, problem: { code, detail } });
    assert.equal(problemText(problem(409, 'queue_empty', 'Antrean kosong')), id['flow.error.queue_empty']);
    assert.equal(problemText(problem(409, 'entry_ended', 'x')), id['flow.error.entry_ended']);
    assert.equal(problemText(problem(409, 'ticket_elsewhere', 'Nomor ini milik Puskesmas lain.')), 'Nomor ini milik Puskesmas lain.');
    assert.equal(problemText(problem(403)), id['flow.error.http_403']);
    assert.equal(problemText(problem(422)), id['flow.error.http_422']);
    assert.equal(problemText(problem(500)), id['flow.error.http_500']);
    assert.equal(problemText(new TypeError('Failed to fetch')), id['flow.error.offline']);
  });
});

describe('service points', () => {
  const points = [
    { id: 'loket', kind: 'registration', label: 'Loket', clusters: ['1'], sort_order: 0 },
    { id: 'k2', kind: 'cluster', label: 'Ruang Klaster 2', clusters: ['2'], sort_order: 1 },
    { id: 'k34', kind: 'cluster', label: 'Ruang Bersama', clusters: ['3', '4'], sort_order: 2 },
    { id: 'lab', kind: 'lab', label: 'Laboratorium', clusters: ['lintas'], sort_order: 4 },
    { id: 'farmasi', kind: 'pharmacy', label: 'Farmasi', clusters: ['lintas'], sort_order: 3 },
    { id: 'ugd', kind: 'emergency', label: 'UGD', clusters: ['lintas'], sort_order: 5, active: false },
  ];

  test('each kind opens its own screen', () => {
    assert.deepEqual(points.map(pointHref), ['#/flow/loket', '#/flow/meja/k2', '#/flow/meja/k34', '#/flow/lab/lab',
      '#/flow/farmasi/farmasi', '#/flow/meja/ugd']);
    assert.equal(pointHref({ id: 'x y', kind: 'new' }), queueHref('x y'));
    assert.equal(queueHref('x y'), '#/flow/antrean/x%20y');
  });

  test('a shared room names both clusters; other kinds by their kind', () => {
    assert.equal(pointKindText(points[2]), 'Klaster 3 (dewasa dan lansia) · Klaster 4 (penyakit menular)');
    assert.equal(pointKindText(points[0]), 'Pendaftaran');
    assert.equal(pointKindText(points[3]), 'Laboratorium');
  });

  test('transfer targets: active, not the loket, not here, in the Puskesmas order', () => {
    assert.deepEqual(transferTargets(points, 'k2').map((p) => p.id), ['k34', 'farmasi', 'lab']);
  });

  test('the points answer with counts, in order', () => {
    const rows = pointRows([{ ...points[3], waiting: 2, done: 1 }, { service_point: points[1], counts: { waiting: 4, called: 1 } }]);
    assert.deepEqual(rows.map((row) => row.point.id), ['k2', 'lab']);
    assert.deepEqual(rows[0].counts, { waiting: 4, called: 1, in_service: 0, done: 0 });
    assert.deepEqual(rows[1].counts, { waiting: 2, called: 0, in_service: 0, done: 1 });
  });
});
