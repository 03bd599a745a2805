// The pure parts of the FKTP screens (views/fktp.js): what the finder asks the server for,
// when it refuses to ask, and the case report's body and problems — in Indonesian words.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import id from '../../pwa/static/js/i18n/id.js';

globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const { caseBody, finderErrors, finderQuery, FKTP_SERVICES } = await import('../../pwa/static/js/views/fktp.js');

const person = { id: 'person:1', name: 'Siti Aminah' };
const TODAY = '2026-11-30';
const values = (extra = {}) => ({ date: TODAY, diagnoses: 'I10', case: 'baru', services: [], ...extra });

describe('finder', () => {
  test('16 digits are a NIK, spaces ignored; anything else a name', () => {
    assert.deepEqual(finderQuery({ text: '3204 1957 0590 0001' }), { nik: '3204195705900001' });
    assert.deepEqual(finderQuery({ text: ' Siti ', birthYear: '1970', desa: '3204190001' }),
      { q: 'Siti', birth_year: '1970', desa: '3204190001' });
  });

  test('a short name, a partial NIK or a bad year is refused before asking', () => {
    assert.deepEqual(finderErrors(finderQuery({ text: 'Si' })), { text: 'Ketik NIK 16 angka atau paling sedikit 3 huruf nama.' });
    assert.deepEqual(finderErrors(finderQuery({ text: '320419' })), { text: id['fktp.valid.nik'] });
    assert.deepEqual(finderErrors(finderQuery({ text: 'Siti', birthYear: '70' })), { birth_year: id['fktp.valid.year'] });
    assert.deepEqual(finderErrors(finderQuery({ text: 'Siti' })), {});
  });
});

describe('case report', () => {
  test('a hypertension case: diagnosis, blood pressure, services', () => {
    const { body, errors } = caseBody(values({ sbp: '170', dbp: '100', services: ['penyuluhan'], provider: ' Bd. Neneng ' }), person, TODAY);
    assert.deepEqual(errors, {});
    assert.deepEqual(body, {
      person: 'person:1', date: TODAY, diagnoses: [{ icd10: 'I10', case: 'baru' }], services: ['penyuluhan'],
      measurements: { sbp: 170, dbp: 100 }, provider: 'Bd. Neneng',
    });
  });

  test('a future date, half a pressure, glucose without its type, nothing reported', () => {
    assert.deepEqual(caseBody(values({ date: '2026-12-01' }), person, TODAY).errors, { date: id['valid.future'] });
    assert.deepEqual(caseBody(values({ sbp: '170' }), person, TODAY).errors, { dbp: id['valid.bp_pair'] });
    assert.deepEqual(caseBody(values({ sbp: '90', dbp: '120' }), person, TODAY).errors, { dbp: id['valid.bp_order'] });
    assert.deepEqual(caseBody(values({ glucose_mgdl: '215' }), person, TODAY).errors, { glucose_type: id['valid.required'] });
    assert.deepEqual(caseBody(values({ weight_kg: 'berat' }), person, TODAY).errors, { weight_kg: id['fktp.valid.number'] });
    assert.deepEqual(caseBody(values({ diagnoses: '' }), person, TODAY).errors, { diagnoses: id['fktp.valid.something'] });
  });

  test('a decimal comma is a decimal point; the kind of case applies to every code', () => {
    const { body } = caseBody(values({ diagnoses: 'I10 E11.9', case: 'lama', glucose_mgdl: '215,5', glucose_type: 'GDS' }), person, TODAY);
    assert.deepEqual(body.diagnoses, [{ icd10: 'I10', case: 'lama' }, { icd10: 'E11.9', case: 'lama' }]);
    assert.deepEqual(body.measurements, { glucose_mgdl: 215.5, glucose_type: 'GDS' });
  });

  test('every service offered has an Indonesian label', () => {
    for (const code of FKTP_SERVICES) assert.ok(id[`service.${code}`], code);
  });
});
