// Pure parts of staff notifications: which staff rules reach a role (read from
// config/ilp/reminders.json, never a second list), ages in words against the server's clock,
// a push service's answer in words, and rule names (never a rule code).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import id from '../../pwa/static/js/i18n/id.js';
import { ROOT } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { staffRules } = await import('../../pwa/static/js/push.js');
const { errorWords, relative, ruleLabel } = await import('../../pwa/static/js/views/admin-push.js');

const reminders = JSON.parse(readFileSync(path.join(ROOT, 'config/ilp/reminders.json'), 'utf8'));
const config = { reminders };

describe('staffRules', () => {
  test('the Pustu hears of new tasks and refused records; a kader only of refused records', () => {
    assert.deepEqual(staffRules(config, 'pustu').map((r) => r.code), ['tugas_baru', 'dokumen_ditolak']);
    assert.deepEqual(staffRules(config, 'kader').map((r) => r.code), ['dokumen_ditolak']);
  });

  test('a klaster user hears of tasks referred to its cluster; the kapus of no task', () => {
    assert.deepEqual(staffRules(config, 'klaster').map((r) => r.code), ['tugas_klaster', 'dokumen_ditolak']);
    assert.deepEqual(staffRules(config, 'kapus').map((r) => r.code), ['dokumen_ditolak']);
  });

  test('family reminders never reach a staff device', () => {
    assert.ok(staffRules(config, 'admin').every((rule) => rule.audience === 'staff'));
  });

  test('without the rules (config not loaded) nothing is claimed', () => {
    assert.deepEqual(staffRules(null, 'pustu'), []);
  });
});

describe('relative', () => {
  const now = '2026-03-10T05:00:00+00:00';
  test('measured against the server\'s now, in Indonesian', () => {
    assert.equal(relative('2026-03-10T04:58:00+00:00', now), '2 menit yang lalu');
    assert.equal(relative('2026-03-10T02:00:00+00:00', now), '3 jam yang lalu');
    assert.equal(relative('2026-03-10T05:10:00+00:00', now), 'dalam 10 menit');
  });
});

describe('errorWords', () => {
  test('what a push service answered, in words', () => {
    assert.equal(errorWords('410 Gone'), id['push.fail.gone']);
    assert.equal(errorWords('gave up after 5 tries: 503 Service Unavailable'), id['push.fail.server']);
    assert.equal(errorWords('429 Too Many Requests'), id['push.fail.rate_limited']);
    assert.equal(errorWords('413 Payload Too Large'), id['push.fail.too_large']);
    assert.equal(errorWords('timeout after 10 s'), id['push.fail.timeout']);
    assert.equal(errorWords('something odd'), id['push.fail.other']);
  });
});

describe('ruleLabel', () => {
  test('the rule\'s own label, the test message, else a neutral word — never the code', () => {
    assert.equal(ruleLabel('tugas_baru', config), 'Tugas baru');
    assert.equal(ruleLabel('staff_test', config), id['push.rule.staff_test']);
    assert.equal(ruleLabel('no_such_rule', config), id['push.rule.other']);
  });
});
