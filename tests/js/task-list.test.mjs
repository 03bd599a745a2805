// Follow-up tasks as the Pustu reads them: urgent first, new since the user last looked,
// where each came from in words (never an id), and what closing one needs.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { closeChanges, closeErrors, inTab, newTasks, orderTasks, originWords } from '../../pwa/static/js/task-list.js';

const task = (id, over = {}) => ({ _id: `task:${id}`, status: 'open', due_date: '2026-12-01', reason: 'r', ...over });
const ids = (list) => list.map((item) => item._id);

test('urgent tasks come first, then the earliest due', () => {
  const list = [task('a', { due_date: '2026-11-20' }), task('b', { urgent: true, due_date: '2026-12-05' }),
    task('c', { due_date: '2026-11-10' }), task('d', { urgent: true, due_date: '2026-12-01' })];
  assert.deepEqual(ids(orderTasks(list)), ['task:d', 'task:b', 'task:c', 'task:a']);
  assert.deepEqual(ids(orderTasks(list, 'done')), ['task:b', 'task:d', 'task:a', 'task:c']);
});

test('tabs: open, overdue from the day after the due date, done and cancelled together', () => {
  const today = '2026-11-30';
  assert.ok(inTab(task('a', { due_date: '2026-11-29' }), 'overdue', today));
  assert.ok(!inTab(task('a', { due_date: '2026-11-30' }), 'overdue', today));
  assert.ok(inTab(task('a', { status: 'in_progress' }), 'open', today));
  assert.ok(inTab(task('a', { status: 'cancelled' }), 'done', today));
  assert.ok(!inTab(task('a', { status: 'done', due_date: '2026-01-01' }), 'overdue', today));
});

test('new tasks are the open ones not seen in the list, urgent first; never seen means all', () => {
  const list = [task('a'), task('b', { urgent: true }), task('c', { status: 'done' }), task('d')];
  assert.deepEqual(ids(newTasks(list, null)), ['task:b', 'task:a', 'task:d']);
  assert.deepEqual(ids(newTasks(list, new Set(['task:a', 'task:b']))), ['task:d']);
  assert.deepEqual(newTasks(list, new Set(ids(list))), []);
});

const PLACES = {
  'encounter:1': { setting: 'posyandu', place: 'place:melati', date: '2026-11-12' },
  'encounter:2': { setting: 'pustu', place: 'place:pustu', date: '2026-11-13' },
  'encounter:3': { setting: 'home', date: '2026-11-14' },
  'encounter:4': { setting: 'posyandu', place: 'place:mawar', date: '2026-11-15' },
  'encounter:5': { setting: 'puskesmas', date: '2026-11-16' },
  'place:melati': { name: 'Posyandu Melati' },
  'place:mawar': { name: 'Mawar' },
  'place:pustu': { name: 'pustu sukamanah' },
};
const SETTINGS = { posyandu: 'Posyandu', pustu: 'Pustu', puskesmas: 'Puskesmas', home: 'Kunjungan rumah' };
const lookup = {
  get: (id) => PLACES[id] ?? null, settingWord: (setting) => SETTINGS[setting], formatDate: (iso) => `<${iso}>`,
  formatMonth: (month) => `<${month}>`,
};

test('a task names its origin in words: the setting, the place without a doubled kind, the date', () => {
  const words = (over) => originWords(task('x', over), lookup);
  assert.deepEqual(words({ origin: 'encounter:1' }), { key: 'tasks.origin', params: { where: 'Posyandu Melati', date: '<2026-11-12>' } });
  assert.deepEqual(words({ origin: 'encounter:4' }).params.where, 'Posyandu Mawar');
  assert.deepEqual(words({ origin: 'encounter:2' }).params.where, 'pustu sukamanah');
  assert.deepEqual(words({ origin: 'encounter:3' }), { key: 'tasks.origin_home', params: { date: '<2026-11-14>' } });
  assert.deepEqual(words({ origin: 'encounter:5' }).params.where, 'Puskesmas');
  assert.deepEqual(words({ origin: 'encounter:0190d7f2-0000-7000-8000-000000000000' }), { key: 'tasks.origin_missing', params: {} });
});

test('a source is shown only when it is words, never a document id', () => {
  assert.deepEqual(originWords(task('x', { source: 'Klaster 2' }), lookup), { key: 'tasks.origin_source', params: { source: 'Klaster 2' } });
  assert.equal(originWords(task('x', { source: 'encounter:77669eaf-1c2d-7e3f-8a9b-0c1d2e3f4a5b' }), lookup), null);
  assert.equal(originWords(task('x'), lookup), null);
});

test('done needs the outcome and the result in words; cancelling needs neither', () => {
  assert.deepEqual(closeErrors({ status: 'done', outcome: ' ' }),
    { outcome_code: 'tasks.outcome_code_required', outcome: 'tasks.outcome_required' });
  assert.deepEqual(closeErrors({ status: 'done', outcome_code: 'datang', outcome: 'TD 130/85' }), {});
  assert.deepEqual(closeErrors({ status: 'cancelled', outcome_code: 'pindah', outcome: '' }), {});
  assert.deepEqual(closeErrors({ status: '' }), { status: 'valid.required' });
  assert.deepEqual(closeErrors({ status: 'done', outcome_code: 'sembuh', outcome: 'x' }), { outcome_code: 'valid.required' });
});

test('closing writes status, outcome code and text, and the time it was done', () => {
  const open = task('a');
  assert.deepEqual(closeChanges(open, { status: 'done', outcome_code: 'tidak_datang', outcome: ' dicari ke rumah ' }, 'NOW'),
    { status: 'done', outcome: 'dicari ke rumah', outcome_code: 'tidak_datang', done_at: 'NOW' });
  // A task only being worked on keeps no outcome code the form still shows.
  assert.equal(closeChanges(open, { status: 'in_progress', outcome_code: 'datang', outcome: '' }, 'NOW').outcome_code, undefined);
  const done = task('b', { status: 'done', done_at: 'THEN', outcome_code: 'datang' });
  assert.equal(closeChanges(done, { status: 'done', outcome_code: 'datang', outcome: 'x' }, 'NOW').done_at, 'THEN');
});

test('a PWS follow-up names PWS and its month, never its source key', () => {
  assert.deepEqual(originWords(task('x', { source: 'pws:idl:2026-10' }), lookup), { key: 'tasks.origin_pws', params: { month: '<2026-10>' } });
  assert.deepEqual(originWords(task('x', { source: 'pws:usia_produktif:2026-01' }), lookup).key, 'tasks.origin_pws');
});
