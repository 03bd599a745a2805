// Assembling the configuration the PWA evaluators take (Python twin: test_config.py).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assembleConfig } from '../../pwa/static/js/clinical/config.js';
import { loadConfig } from './helpers.mjs';

const config = loadConfig();

test('every manifest file is loaded with its version', () => {
  for (const [name, entry] of Object.entries(config.manifest.files)) {
    assert.equal(config[name].version, entry.version);
  }
});

test('a file whose version was not recorded in the manifest is refused', () => {
  const files = Object.fromEntries(Object.keys(config.manifest.files).map((n) => [n, config[n]]));
  files.pispk = { ...files.pispk, version: '9.9.9' };
  assert.throws(() => assembleConfig(config.manifest, files), /pispk\.json/);
});

test('a missing file is refused', () => {
  assert.throws(() => assembleConfig(config.manifest, {}), /missing clinical config file/);
});

test('WHO tables carry the published LMS values', () => {
  const wfa = config.who.who2006.bb_u.L;
  assert.deepEqual([wfa.l[0], wfa.m[0], wfa.s[0]], [0.3487, 3.3464, 0.14602]);
  const bmi = config.who.who2007.imt_u.L;
  assert.deepEqual([bmi.l[0], bmi.m[0], bmi.s[0]], [-0.7387, 15.2641, 0.0839]);
});
