// A place is named with its kind once: "Posyandu Melati", never "Posyandu Posyandu Melati".

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { doublesWord, placeLabel } from '../../pwa/static/js/place-label.js';

test('the kind is prefixed only when the name does not start with it', () => {
  assert.equal(placeLabel('Posyandu', 'Melati'), 'Posyandu Melati');
  assert.equal(placeLabel('Posyandu', 'Posyandu Melati'), 'Posyandu Melati');
  assert.equal(placeLabel('Posyandu', 'posyandu melati'), 'posyandu melati');
  assert.equal(placeLabel('Pustu', 'Pustu Sukamanah'), 'Pustu Sukamanah');
  assert.equal(placeLabel('Pustu', 'Pustuku'), 'Pustu Pustuku');
  assert.equal(placeLabel('Kunjungan rumah', 'Kunjungan rumah'), 'Kunjungan rumah');
  assert.equal(placeLabel('Posyandu', ''), 'Posyandu');
  assert.equal(placeLabel('Posyandu', null), 'Posyandu');
  assert.equal(placeLabel('', 'Melati'), 'Melati');
});

test('a rendered place label never doubles its kind', () => {
  for (const kind of ['Posyandu', 'Pustu', 'Puskesmas', 'Desa']) {
    for (const name of ['Melati', `${kind} Melati`, `${kind.toUpperCase()} MELATI`, `${kind} ${kind}`]) {
      const label = placeLabel(kind, name);
      if (name !== `${kind} ${kind}`) assert.ok(!doublesWord(label), label);
    }
  }
  assert.ok(doublesWord('Posyandu Posyandu Melati'));
  assert.ok(doublesWord('Pustu pustu'));
  assert.ok(!doublesWord('Posyandu Melati'));
});
