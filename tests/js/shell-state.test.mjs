// The shell's pure state: the sync phase and its words (never "Terbaru" before the first
// sync has finished, offline with the last sync time), the menu a phone shows, and which
// destination is current.

import assert from 'node:assert/strict';
import { test } from 'node:test';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { dataReady, lastSyncText, syncPhase, syncSummary } = await import('../../pwa/static/js/sync-state.js');
const { BAR_SIZE, currentHref, menuItems, splitMenu } = await import('../../pwa/static/js/nav-menu.js');

const NOW = new Date(2026, 10, 30, 15, 0);
const state = (over) => ({ phase: 'idle', pending: 0, refused: 0, lastSync: null, ...over });

test('the phase is syncing until every replication passed and the records caught up', () => {
  assert.equal(syncPhase({ caughtUp: false }), 'syncing');
  assert.equal(syncPhase({ caughtUp: true, busy: true }), 'syncing');
  assert.equal(syncPhase({ caughtUp: true }), 'idle');
  assert.equal(syncPhase({ caughtUp: true, online: false }), 'offline');
  assert.equal(syncPhase({ caughtUp: true, error: { status: 500 } }), 'error');
  assert.equal(syncPhase({ caughtUp: true, error: new TypeError('Failed to fetch') }), 'offline');
  assert.equal(syncPhase({ halted: 'login', online: false }), 'login');
});

test('the chip never says Terbaru during the first sync', () => {
  const first = syncSummary(state({ phase: 'syncing' }), { now: NOW });
  assert.equal(first.text, 'Sinkron pertama…');
  assert.equal(first.tone, 'busy');
  assert.equal(dataReady(state({ phase: 'syncing' })), false);
  const later = syncSummary(state({ phase: 'syncing', lastSync: NOW.toISOString() }), { now: NOW });
  assert.equal(later.text, 'Menyinkronkan…');
  assert.equal(syncSummary(state({ lastSync: NOW.toISOString() }), { now: NOW }).text, 'Terbaru');
});

test('offline says so with the last successful sync, short on the same day', () => {
  const today = new Date(2026, 10, 30, 14, 5).toISOString();
  const summary = syncSummary(state({ phase: 'offline', lastSync: today, pending: 2 }), { now: NOW });
  assert.equal(summary.text, 'Offline · 2 menunggu');
  assert.match(summary.detail, /^sinkron terakhir 14[.:]05$/);
  assert.match(summary.full, /^Offline · 2 menunggu · sinkron terakhir 14[.:]05$/);
  assert.equal(summary.tone, 'muted');
  assert.match(lastSyncText(new Date(2026, 10, 28, 9, 30).toISOString(), NOW), /^28 Nov,? 09[.:]30$/);
  assert.equal(syncSummary(state({ phase: 'offline' }), { now: NOW }).full, 'Offline');
  assert.equal(syncSummary(state({ phase: 'idle', lastSync: today }), { now: NOW }).detail, null);
});

test('refusals colour the chip and a desk reads online or offline', () => {
  const refused = syncSummary(state({ lastSync: 'x', refused: 3 }), { now: NOW });
  assert.deepEqual([refused.full, refused.tone], ['Terbaru · 3 ditolak', 'bad']);
  assert.equal(syncSummary(state({ lastSync: NOW.toISOString() }), { desk: true }).text, 'Online');
  assert.equal(syncSummary(state({ phase: 'offline' }), { desk: true }).text, 'Offline — perlu koneksi');
});

const PUSTU = { writes: ['person', 'household', 'encounter', 'task', 'pregnancy'], role: 'pustu' };
const KADER = { writes: ['person', 'household', 'encounter'], role: 'kader' };
const KAPUS = { desk: true, writes: ['task'], role: 'kapus' };
const hrefs = (items) => items.map((item) => item.href);

test('a phone bar holds the four most used, the rest are under Lainnya', () => {
  const { bar, more } = splitMenu(menuItems(PUSTU));
  assert.deepEqual(hrefs(bar), ['#/', '#/posyandu', '#/persons', '#/tasks']);
  assert.deepEqual(hrefs(more), ['#/due', '#/pws', '#/sync', '#/settings']);
  const kader = splitMenu(menuItems(KADER));
  assert.deepEqual(hrefs(kader.bar), ['#/', '#/posyandu', '#/persons', '#/due']);
  assert.deepEqual(hrefs(kader.more), ['#/sync', '#/settings']);
  const desk = splitMenu(menuItems(KAPUS));
  assert.deepEqual(hrefs(desk.bar), ['#/', '#/flow', '#/persons', '#/tasks']);
  assert.deepEqual(hrefs(desk.more), ['#/pws', '#/review', '#/admin/audit', '#/sync', '#/settings']);
});

test('Layanan: the service flow for the Puskesmas roles at a desk, nobody else', () => {
  const has = (profile) => hrefs(menuItems(profile)).includes('#/flow');
  for (const role of ['klaster', 'kapus', 'admin']) assert.ok(has({ desk: true, writes: [], role }), role);
  for (const role of ['dinkes', 'fktp']) assert.ok(!has({ desk: true, writes: [], role }), role);
  assert.ok(!has(PUSTU) && !has(KADER));
  assert.equal(currentHref('#/flow/antrean/k3', ['#/', '#/flow', '#/persons']), '#/flow');
});

test('every destination is on the bar or under Lainnya, once', () => {
  for (const role of [PUSTU, KADER, KAPUS, { desk: true, writes: [], role: 'admin' }]) {
    const items = menuItems(role);
    const { bar, more } = splitMenu(items);
    assert.ok(bar.length <= BAR_SIZE + 1);
    assert.deepEqual([...hrefs(bar), ...hrefs(more)], hrefs(items));
    assert.ok(hrefs(items).includes('#/sync') && hrefs(items).includes('#/settings'));
  }
  // Five fit on the bar: a "Lainnya" for one item would be a detour.
  const five = [1, 2, 3, 4, 5].map((n) => ({ href: `#/${n}` }));
  assert.deepEqual(splitMenu(five), { bar: five, more: [] });
});

test('the current destination is the longest match, with screens under their list', () => {
  const all = ['#/', '#/persons', '#/tasks', '#/admin', '#/admin/audit', '#/posyandu', '#/sync'];
  assert.equal(currentHref('#/', all), '#/');
  assert.equal(currentHref('', all), '#/');
  assert.equal(currentHref('#/admin/audit?page=2', all), '#/admin/audit');
  assert.equal(currentHref('#/admin/users/new', all), '#/admin');
  assert.equal(currentHref('#/person/person:1/visit', all), '#/persons');
  assert.equal(currentHref('#/household/household:1', all), '#/persons');
  assert.equal(currentHref('#/task/task:1', all), '#/tasks');
  assert.equal(currentHref('#/tasks?tab=done', all), '#/tasks');
  assert.equal(currentHref('#/posyandu/s/daftar', all), '#/posyandu');
  assert.equal(currentHref('#/settingsx', all), null);
});
