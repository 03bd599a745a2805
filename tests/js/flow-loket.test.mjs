// The loket's pure parts (views/flow-arrival.js, flow-loket.js): the arrival form's defaults
// from the record, the routing rule's proposal in words, the rooms of a cluster, the request
// body and its refusals, and waiting for a person registered at this desk to reach the server.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import id from '../../pwa/static/js/i18n/id.js';
import { loadConfig } from './helpers.mjs';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const {
  arrivalBody, arrivalDefaults, arrivalFacts, proposeRoute, roomsFor,
} = await import('../../pwa/static/js/views/flow-arrival.js');
const { routeReasonLabels } = await import('../../pwa/static/js/views/clinical-labels.js');
const reasonsText = (config, codes) => routeReasonLabels(config, codes).join('; ');
const { whenOnServer } = await import('../../pwa/static/js/views/flow-loket.js');

const config = loadConfig();
const TODAY = '2026-11-30';
const adult = { _id: 'person:1', name: 'Budi Santoso', sex: 'L', birth_date: '1990-05-01' };
const child = { _id: 'person:2', name: 'Ayu', sex: 'P', birth_date: '2024-02-10' };
const elder = { _id: 'person:3', name: 'Mbah Euis', sex: 'P', birth_date: '1955-01-01', jkn: '0001234567890' };
const visit = (setting) => ({ _id: `encounter:${setting}`, type: 'encounter', person: 'person:1', date: '2026-06-01', setting });

describe('defaults from the record', () => {
  test('JKN when the person has a JKN number, else umum', () => {
    assert.equal(arrivalDefaults(elder).payer, 'jkn');
    assert.equal(arrivalDefaults(adult).payer, 'umum');
  });

  test('returning once a Puskesmas visit is on record; a Posyandu visit does not count', () => {
    assert.equal(arrivalDefaults(adult, []).new_patient, 'baru');
    assert.equal(arrivalDefaults(adult, [visit('posyandu'), visit('pustu')]).new_patient, 'baru');
    assert.equal(arrivalDefaults(adult, [visit('posyandu'), visit('puskesmas')]).new_patient, 'lama');
  });
});

describe('the proposed route', () => {
  const propose = (person, values = {}) => proposeRoute(config, { person, history: [], date: TODAY, values });

  test('an adult to Klaster 3, a child to Klaster 2, with the reason in words', () => {
    const route = propose(adult);
    assert.equal(route.cluster, '3');
    assert.equal(reasonsText(config, route.reasons), 'Usia dewasa dan lansia (18 tahun ke atas)');
    assert.equal(propose(child).cluster, '2');
  });

  test('cough ticked on the form: presumptive TB to Klaster 4', () => {
    const route = propose(adult, { symptoms: ['batuk'] });
    assert.equal(route.cluster, '4');
    assert.match(reasonsText(config, route.reasons), /Terduga TBC/);
  });

  test('emergency first; an older person and a disability are priority groups', () => {
    const emergency = propose(adult, { emergency: true });
    assert.deepEqual([emergency.cluster, emergency.priority], ['lintas', 'emergency']);
    const old = propose(elder, { disability: true });
    assert.equal(old.priority, 'priority');
    assert.deepEqual(old.priority_groups, ['lansia', 'disabilitas']);
  });

  test('an unreadable birth date proposes nothing rather than failing the form', () => {
    assert.equal(propose({ ...adult, birth_date: '2027-01-01' }), null);
  });

});

test('form values as the routing rule\'s facts', () => {
  assert.deepEqual(arrivalFacts({ emergency: true, disability: false, symptoms: ['batuk', 'demam'] }),
    { emergency: true, disability: false, symptoms: ['batuk', 'demam'] });
  assert.deepEqual(arrivalFacts({}), { emergency: false, disability: false, symptoms: [] });
});

test('rooms of a cluster in the Puskesmas order; Lintas Klaster goes to the emergency room', () => {
  const points = [
    { id: 'k3b', kind: 'cluster', clusters: ['3'], sort_order: 5 },
    { id: 'k3', kind: 'cluster', clusters: ['3', '4'], sort_order: 2 },
    { id: 'old', kind: 'cluster', clusters: ['3'], sort_order: 1, active: false },
    { id: 'ugd', kind: 'emergency', clusters: ['lintas'], sort_order: 4 },
    { id: 'lab', kind: 'lab', clusters: ['lintas'], sort_order: 3 },
  ];
  assert.deepEqual(roomsFor(points, '3').map((p) => p.id), ['k3', 'k3b']);
  assert.deepEqual(roomsFor(points, '4').map((p) => p.id), ['k3']);
  assert.deepEqual(roomsFor(points, 'lintas').map((p) => p.id), ['ugd']);
  assert.deepEqual(roomsFor(points, '2'), []);
});

describe('the request', () => {
  const values = (extra = {}) => ({
    complaint: '  batuk dua minggu ', payer: 'umum', new_patient: 'baru', emergency: false, disability: true,
    symptoms: ['batuk'], cluster: '4', service_point: 'k4', ...extra,
  });

  test('the body POST /flow/arrivals takes', () => {
    const { body, errors } = arrivalBody(values(), 'person:1');
    assert.deepEqual(errors, {});
    assert.deepEqual(body, {
      person: 'person:1', complaint: 'batuk dua minggu', payer: 'umum', new_patient: true, emergency: false,
      disability: true, symptoms: ['batuk'], cluster: '4', service_point: 'k4',
    });
    const plain = arrivalBody(values({ complaint: ' ', service_point: '', new_patient: 'lama' }), 'person:1').body;
    assert.equal(plain.complaint, undefined);
    assert.equal(plain.service_point, undefined);
    assert.equal(plain.new_patient, false);
  });

  test('payer, kind of visit and cluster are required; a long complaint is refused', () => {
    const { errors } = arrivalBody(values({ payer: undefined, new_patient: '', cluster: '1', complaint: 'x'.repeat(301) }), 'person:1');
    assert.deepEqual(Object.keys(errors).sort(), ['cluster', 'complaint', 'new_patient', 'payer']);
    assert.equal(errors.payer, id['valid.required']);
    assert.equal(errors.complaint, 'Paling banyak 300 huruf.');
  });
});

describe('a person registered at this desk reaches the server first', () => {
  const outbox = (pending = {}, refused = {}) => Object.assign(new EventTarget(), { pending, refused });

  test('nothing unsent: at once, without nudging the replication', async () => {
    let nudged = false;
    await whenOnServer(outbox({ 'person:9': {} }), ['person:1', null], { nudge: () => { nudged = true; } });
    assert.equal(nudged, false);
  });

  test('waits for the push, nudging it', async () => {
    const box = outbox({ 'person:1': {}, 'household:1': {} });
    let nudged = false;
    const waiting = whenOnServer(box, ['person:1', 'household:1'], { nudge: () => { nudged = true; } });
    delete box.pending['person:1'];
    box.dispatchEvent(new Event('change'));
    delete box.pending['household:1'];
    box.dispatchEvent(new Event('change'));
    await waiting;
    assert.ok(nudged);
  });

  test('a refusal or no push in time rejects', async () => {
    await assert.rejects(whenOnServer(outbox({}, { 'person:1': {} }), ['person:1']), { refused: true });
    const box = outbox({ 'person:1': {} });
    const waiting = whenOnServer(box, ['person:1'], { timeoutMs: 5 });
    await assert.rejects(waiting, { status: 0 });
    const refusedLater = whenOnServer(box, ['person:1']);
    box.refused['person:1'] = {};
    box.dispatchEvent(new Event('change'));
    await assert.rejects(refusedLater, { refused: true });
  });
});
