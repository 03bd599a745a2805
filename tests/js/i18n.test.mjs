// The catalogs and refusal sentences: id.js and en.js carry the same keys, and every refusal
// code the server sends (backend/sync/prepare.py REFUSAL_CODES) has a sentence in both; the
// wording reads clean (no "..", real "≥", no doubled word).

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import en from '../../pwa/static/js/i18n/en.js';
import id from '../../pwa/static/js/i18n/id.js';
import { ROOT } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { REFUSAL_KEY_PREFIX, refusalKey, refusalText } = await import('../../pwa/static/js/refusals.js');
const { t } = await import('../../pwa/static/js/i18n.js');
const { doublesWord, placeLabel } = await import('../../pwa/static/js/place-label.js');

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

// Wording (issue 11): no "..", a real "≥"/"≤", no word said twice ("Posyandu Posyandu"),
// in the catalogs and in what config/ilp shows a person (labels, not the cited rules).
const STUTTER = /\.\.(?!\.)|>=|<=|(?<![\p{L}\p{N}])(\p{L}{2,})\s+\1(?![\p{L}\p{N}])/iu;
const DOCUMENTATION = new Set(['source', 'sources', 'cfg', 'rule', 'note', 'notes', 'description', 'basis']);

test('no catalog sentence has "..", ">=", "<=" or a doubled word', () => {
  for (const [name, catalog] of [['id', id], ['en', en]]) {
    const bad = Object.entries(catalog).filter(([, text]) => STUTTER.test(text));
    assert.deepEqual(bad, [], name);
  }
});

test('a template ending in a placeholder and "." is never fed a value ending in "."', () => {
  // The catalog's own values that fill such templates (labels of settings, statuses): none
  // may end with a full stop, or "Tersimpan: Pustu Ds.." follows.
  for (const [key, text] of Object.entries(id)) {
    if (/^(setting|task\.status|task\.outcome|nav|admin\.places\.kind)\./.test(key)) assert.ok(!text.endsWith('.'), key);
  }
});

function shownStrings(value, key = '', out = []) {
  if (typeof value === 'string') out.push([key, value]);
  else if (Array.isArray(value)) value.forEach((item) => shownStrings(item, key, out));
  else if (value && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) {
      if (!DOCUMENTATION.has(name) && !name.endsWith('_cfg')) shownStrings(item, name, out);
    }
  }
  return out;
}

test('no label config/ilp shows a person has "..", ">=", "<=" or a doubled word', () => {
  const dir = path.join(ROOT, 'config', 'ilp');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const bad = shownStrings(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
      .filter(([, text]) => STUTTER.test(text));
    assert.deepEqual(bad, [], file);
  }
});

test('a place label built from the catalog never doubles its kind', () => {
  for (const setting of ['posyandu', 'pustu', 'puskesmas', 'fktp']) {
    for (const name of ['Melati', `${id[`setting.${setting}`]} Melati`]) {
      const label = placeLabel(id[`setting.${setting}`], name);
      assert.ok(!doublesWord(label) && !STUTTER.test(t('tasks.origin', { where: label, date: '12 Nov 2026' })), label);
    }
  }
});
