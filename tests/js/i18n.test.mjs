// The catalogs and refusal sentences: id.js and en.js carry the same keys, and every refusal
// code the server sends (backend/sync/prepare.py REFUSAL_CODES) has a sentence in both.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import en from '../../pwa/static/js/i18n/en.js';
import id from '../../pwa/static/js/i18n/id.js';
import { ROOT } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { REFUSAL_KEY_PREFIX, refusalKey, refusalText } = await import('../../pwa/static/js/refusals.js');

function serverRefusalCodes() {
  const source = readFileSync(path.join(ROOT, 'backend', 'sync', 'prepare.py'), 'utf8');
  const body = /^REFUSAL_CODES = \{\n([\s\S]*?)\n\}/m.exec(source)[1];
  return [...body.matchAll(/^\s+"(\w+)":/gm)].map((match) => match[1]);
}

test('the Indonesian and English catalogs have the same keys', () => {
  const idKeys = Object.keys(id).sort();
  assert.deepEqual(idKeys.filter((key) => !(key in en)), [], 'missing in en.js');
  assert.deepEqual(Object.keys(en).filter((key) => !(key in id)), [], 'missing in id.js');
});

test('every refusal code the server sends has a sentence in both languages', () => {
  const codes = serverRefusalCodes();
  assert.ok(codes.length >= 9, `read ${codes.length} codes from prepare.py`);
  for (const code of codes) {
    for (const [name, catalog] of [['id', id], ['en', en]]) {
      const text = catalog[refusalKey(code)];
      // A sentence, not the code dressed up: no snake_case word may leak through.
      assert.ok(text && text.length > 20 && text !== code && !/[a-z]_[a-z]/.test(text), `${name}: ${code} -> ${text}`);
    }
  }
});

test('no sentence is kept for a code the server no longer sends', () => {
  const codes = new Set(serverRefusalCodes());
  const stale = Object.keys(id).filter((key) => key.startsWith(REFUSAL_KEY_PREFIX))
    .map((key) => key.slice(REFUSAL_KEY_PREFIX.length)).filter((code) => !codes.has(code));
  assert.deepEqual(stale, []);
});

test('a refused entry reads as the sentence for its code, never the code or the English reason', () => {
  const entry = { code: 'area', reason: 'desa 3204190001 is outside your area' };
  assert.equal(refusalText(entry), id['refused.code.area']);
});

test('a missing or unknown code reads as the neutral sentence', () => {
  for (const entry of [{ reason: 'old entry' }, { code: 'from_the_future' }, { code: 'constructor' }, { code: 5 }, null]) {
    assert.equal(refusalText(entry), id['refused.unknown']);
  }
});
