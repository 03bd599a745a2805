// The maintained ICD-10 list (pwa/static/js/icd10-list.js) and its search (icd10.js): every
// code is one the encounter schema accepts, the common primary-care diagnoses are there with
// Indonesian names, and a person finds them by name, by a common word or by code; the demo's
// diagnoses are all named.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ICD10_ROWS } from '../../pwa/static/js/icd10-list.js';
import {
  ICD10_PATTERN, icd10Label, icd10Name, normalizeCode, parseIcd10Codes, searchIcd10,
} from '../../pwa/static/js/icd10.js';
import { ROOT } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { pendingProblem } = await import('../../pwa/static/js/views/icd10-picker.js');

test('every row is a schema-valid, unique code with an Indonesian name', () => {
  const codes = ICD10_ROWS.map(([code]) => code);
  assert.equal(new Set(codes).size, codes.length, 'duplicate codes');
  assert.ok(codes.length >= 150, `${codes.length} codes`);
  for (const [code, name, words] of ICD10_ROWS) {
    assert.match(code, ICD10_PATTERN);
    assert.ok(name.length >= 3 && !name.includes(code), `${code}: ${name}`);
    assert.equal(typeof (words ?? ''), 'string');
  }
});

test('the common primary-care diagnoses are listed', () => {
  const required = {
    'J06.9': /ISPA/, I10: /Hipertensi esensial/, 'E11.9': /Diabetes melitus tipe 2/, A09: /Diare/,
    'J18.9': /Pneumonia/, K30: /Dispepsia/, 'M79.1': /Mialgia/, 'L30.9': /Dermatitis/, 'D64.9': /Anemia/,
    E43: /Gizi buruk/, E45: /Stunting/, 'A15.0': /Tuberkulosis/, 'O99.0': /Anemia dalam kehamilan/,
  };
  for (const [code, name] of Object.entries(required)) assert.match(icd10Name(code) ?? '', name, code);
  for (const block of ['A15', 'A16', 'A18', 'A19']) {
    assert.ok(ICD10_ROWS.some(([code]) => code.startsWith(block)), `tuberculosis ${block}`);
  }
});

test('names, labels and codes as people type them', () => {
  assert.equal(icd10Label('i10'), 'I10 Hipertensi esensial');
  assert.equal(icd10Label(' e11,9 '), 'E11.9 Diabetes melitus tipe 2 tanpa komplikasi');
  assert.equal(icd10Name('X99.9'), null);
  assert.equal(icd10Label('X99.9'), 'X99.9');
  assert.equal(normalizeCode('k30 '), 'K30');
});

test('search finds by Indonesian name, by a common word and by code prefix, best first', () => {
  assert.equal(searchIcd10('hipertensi')[0].code, 'I10');
  assert.equal(searchIcd10('darah tinggi')[0].code, 'I10');
  assert.equal(searchIcd10('diare')[0].code, 'A09');
  assert.equal(searchIcd10('ispa')[0].code, 'J06.9');
  assert.equal(searchIcd10('maag').map((r) => r.code).sort().join(), 'K29.7,K30');
  assert.equal(searchIcd10('kencing manis')[0].code, 'E10.9');
  assert.ok(searchIcd10('tbc').every((r) => r.code.startsWith('A1')));
  assert.equal(searchIcd10('I10')[0].code, 'I10', 'an exact code first');
  assert.ok(searchIcd10('e1').every((r) => r.code.startsWith('E1')));
  assert.equal(searchIcd10('b35', 3).length, 3, 'limited');
  assert.deepEqual(searchIcd10('   '), []);
  assert.deepEqual(searchIcd10('zzzz'), []);
  assert.deepEqual(Object.keys(searchIcd10('stunting')[0]), ['code', 'name']);
});

test('typed codes split into known (once each) and unknown', () => {
  assert.deepEqual(parseIcd10Codes('i10, E11,9 ; X99 i10'), { known: ['I10', 'E11.9'], unknown: ['X99'] });
  assert.deepEqual(parseIcd10Codes(''), { known: [], unknown: [] });
});

test('a typed code that cannot be added says why in Indonesian', () => {
  assert.equal(pendingProblem('', []), null);
  assert.match(pendingProblem('X99.9', []), /^Kode X99\.9 tidak ada dalam daftar ICD-10 Puskesmas/);
  assert.match(pendingProblem('I10', ['I10']), /^I10 Hipertensi esensial sudah dipilih/);
  assert.match(pendingProblem('I1O', []), /Kode ICD-10 tidak sesuai/);
  assert.match(pendingProblem('hipertensi', []), /^Pilih diagnosis dari hasil pencarian/);
});

test('every diagnosis the demo generator writes has a name', () => {
  const folder = path.join(ROOT, 'backend', 'demo');
  const source = readdirSync(folder).filter((name) => name.endsWith('.py'))
    .map((name) => readFileSync(path.join(folder, name), 'utf8')).join('\n');
  const codes = [...new Set([...source.matchAll(/"([A-Z]\d{2}(?:\.\d{1,2})?)"/g)].map((m) => m[1]))];
  assert.ok(codes.length >= 5, `read ${codes.length} codes from backend/demo`);
  assert.deepEqual(codes.filter((code) => !icd10Name(code)), []);
});
