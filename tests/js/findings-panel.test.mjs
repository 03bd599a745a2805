// The findings component's pure parts (pwa/static/js/views/findings-panel.js): what it shows
// for a form's values and the follow-up lines it announces, from the clinical evaluator and
// config/ilp/followup.json; plus the duplicate checks of the visit and screening forms.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadConfig } from './helpers.mjs';

// i18n.js reads the chosen language from localStorage when it loads.
globalThis.localStorage ??= { getItem: () => null, setItem: () => {} };
const panel = await import('../../pwa/static/js/views/findings-panel.js');
const { duplicateVisit, outsideArea } = await import('../../pwa/static/js/views/visit-parts.js');
const { alreadyScreened } = await import('../../pwa/static/js/views/screening.js');

const config = loadConfig();
const DATE = '2026-11-23';
// 21 weeks 0 days on DATE: HPHT 147 days before.
const woman = { _id: 'person:w', sex: 'P', birth_date: '1999-04-12' };
const pregnancy = { _id: 'pregnancy:w', type: 'pregnancy', person: 'person:w', status: 'ongoing', hpht: '2026-06-29' };
const man = { _id: 'person:m', sex: 'L', birth_date: '1972-02-03' };
const CODE = /\b[a-z]+_[a-z_]+\b/; // a snake_case code leaking into what a person reads

function shown(state) {
  return state.rows.map((row) => [panel.findingName(config, row), panel.findingValue(row), panel.findingMeaning(row)]);
}

test('the 21-week pregnant woman: hypertension in pregnancy, KEK and anaemia, referral to Puskesmas klaster 2 today', () => {
  const state = panel.panelState(config, {
    person: woman, history: [pregnancy], worker: true,
    encounter: { date: DATE, measurements: { sbp: 150, dbp: 100, muac_cm: 22.5, hb_gdl: 9.5 } },
  });
  assert.deepEqual(state.rows.map((row) => row.finding), ['bp', 'muac_cm', 'hb_gdl']);
  assert.deepEqual(shown(state), [
    ['Tekanan darah', '150/100 mmHg', 'Hipertensi derajat 2'],
    ['LiLA', '22,5 cm', 'Kurang energi kronis (KEK)'],
    ['Hemoglobin (Hb)', '9,5 g/dL', 'Anemia sedang'],
  ]);
  assert.ok(state.rows.every((row) => row.flags.includes('hamil')));
  const lines = state.followUps.map(panel.followUpLine);
  assert.ok(lines.some((line) => line.startsWith('Rujukan ke Puskesmas klaster 2 hari ini: Tekanan darah tinggi pada')),
    lines.join(' | '));
  assert.deepEqual(state.referral, { to: 'Puskesmas', urgent: true });
  // A kader's home visit refers her to the Puskesmas too: the rule sends it there.
  assert.equal(panel.panelState(config, {
    person: woman, history: [pregnancy], encounter: { date: DATE, measurements: { sbp: 150, dbp: 100 } },
  }).referral.to, 'Puskesmas');
});

test('the man with TD 168/98 and GDS 215: two tasks for the Pustu within 7 days; a kader refers him', () => {
  const state = panel.panelState(config, {
    person: man,
    encounter: { date: DATE, measurements: { sbp: 168, dbp: 98, glucose_mgdl: 215, glucose_type: 'GDS' } },
  });
  assert.deepEqual(state.rows.map((row) => [row.finding, row.tone]), [['bp', 'bad'], ['glucose', 'bad']]);
  assert.deepEqual(state.followUps.map(panel.followUpLine), [
    'Tugas tindak lanjut untuk Pustu: Tekanan darah tinggi, dalam 7 hari',
    'Tugas tindak lanjut untuk Pustu: Gula darah tinggi, dalam 7 hari',
  ]);
  // A kader refers him to the Pustu; for the bidan these follow-ups are her own tasks.
  assert.deepEqual(state.referral, { to: 'Pustu', urgent: false });
  assert.equal(panel.suggestedReferral(state.rows, state.followUps, { worker: true }), null);
});

test('normal values show their classes and lead to no follow-up and no referral', () => {
  const state = panel.panelState(config, {
    person: man, encounter: { date: DATE, measurements: { sbp: 112, dbp: 72, glucose_mgdl: 95, glucose_type: 'GDS' } },
  });
  assert.equal(state.rows.length, 2);
  assert.ok(state.rows.every((row) => row.tone === 'ok'), JSON.stringify(state.rows));
  assert.deepEqual(state.followUps, []);
  assert.equal(state.referral, null);
});

test('a value the evaluator refuses hides only its own row while the form is being typed', () => {
  const encounter = { date: DATE, measurements: { sbp: 80, dbp: 95, hb_gdl: 9.5 } }; // diastolic above systolic
  const rows = panel.safeFindings(config, { person: man, encounter });
  assert.deepEqual(rows.map((row) => row.finding), ['hb_gdl']);
  assert.deepEqual(panel.safeFindings(config, { person: man, encounter: { date: DATE, measurements: {} } }), []);
});

test('an explicit referral shows as a row and as its follow-up, in words', () => {
  const state = panel.panelState(config, {
    person: man, encounter: { date: DATE, measurements: {}, referral: { to: 'Puskesmas', reason: 'Nyeri dada' } },
  });
  const [[name, value, meaning]] = shown(state);
  assert.deepEqual([name, value], ['Rujukan', 'Puskesmas']);
  assert.match(meaning, /^Dirujuk/);
  assert.equal(state.followUps[0].to, 'puskesmas');
  assert.match(panel.followUpLine(state.followUps[0]), /^Rujukan ke Puskesmas dalam 3 hari/);
  assert.equal(state.referral, null, 'a referral already made is not suggested again');
});

test('a screening result is named by its instrument and announces its task', () => {
  const answers = Object.fromEntries(config.instruments.instruments.srq20.items.map((item, i) => [item.id, i < 8]));
  const state = panel.panelState(config, {
    person: man, encounter: { date: DATE, screenings: [{ instrument: 'srq20', answers }] },
  });
  const [name, value] = shown(state)[0];
  assert.equal(name, config.instruments.instruments.srq20.label);
  assert.equal(value, 'skor 8');
  assert.equal(state.followUps.length, 1);
  assert.match(panel.followUpLine(state.followUps[0]), /^Tugas tindak lanjut untuk Pustu: .+, dalam 7 hari$/);
});

test('no code or id ever reaches the text: unknown findings and labels read in words', () => {
  const row = { finding: 'something_new', code: 'kode_baru', label: null, value: 3, tone: 'warn', refer: false };
  assert.equal(panel.findingName(config, row), 'Pemeriksaan lain');
  assert.equal(panel.findingMeaning(row), 'Perlu perhatian');
  assert.doesNotMatch(panel.findingValue(row), CODE);
  for (const follow of [{ to: 'pustu', label: 'X', due_in_days: 14, urgent: false },
    { to: 'puskesmas', cluster: '4', label: 'X', due_in_days: 7, urgent: false },
    { to: 'puskesmas', cluster: null, label: 'X', due_in_days: 0, urgent: false }]) {
    assert.doesNotMatch(panel.followUpLine(follow), CODE);
  }
  assert.equal(panel.followUpLine({ to: 'puskesmas', cluster: '4', label: 'Terduga TB', due_in_days: 7, urgent: false }),
    'Rujukan ke Puskesmas klaster 4 dalam 7 hari: Terduga TB');
  assert.equal(panel.followUpLine({ to: 'puskesmas', cluster: 'siklus_hidup', label: 'X', due_in_days: 0, urgent: true }),
    'Rujukan ke Puskesmas hari ini: X');
  // A referral that absorbed the findings' own follow-ups says which.
  assert.equal(panel.followUpLine({
    to: 'puskesmas', cluster: '2', label: 'Dirujuk', reason: 'Dirujuk. Temuan: TD 150/100 mmHg', due_in_days: 0,
    urgent: true, covers: ['hipertensi_hamil'],
  }), 'Rujukan ke Puskesmas klaster 2 hari ini: Dirujuk. Temuan: TD 150/100 mmHg');
});

test('the weight trend adapter adds naik / tidak naik / 2T once, and never twice', () => {
  const child = { _id: 'person:c', sex: 'L', birth_date: '2024-11-01' };
  const args = { person: child, history: [], date: DATE, weight_kg: 8.7 };
  const tidakNaik = () => ({ code: 'tidak_naik', two_t: true });
  const row = panel.trendRow(config, [], args, tidakNaik);
  assert.equal(row.finding, 'weight_trend');
  assert.equal(row.tone, 'bad');
  assert.match(row.label, /^Tidak naik \(T\) · 2T/);
  assert.equal(panel.trendRow(config, [], args, () => ({ code: 'naik' })).tone, 'ok');
  assert.equal(panel.trendRow(config, [{ finding: 'weight_trend' }], args, tidakNaik), null, 'the evaluator reported it');
  assert.equal(panel.trendRow(config, [], { ...args, weight_kg: null }, tidakNaik), null);
  assert.equal(panel.trendRow(config, [], args, () => { throw new Error('adult'); }), null);
  assert.equal(panel.trendRow(config, [], args, () => ({ code: 'unheard_of' })), null, 'never a raw code');
  assert.equal(panel.trendRow(config, [], args, null), null, 'without the clinical trend nothing is made up');
});

test('a visit saved twice is recognised; a different or Posyandu visit is not', () => {
  const base = {
    person: 'person:m', date: DATE, setting: 'pustu', measurements: { sbp: 168, dbp: 98 },
    services: [{ code: 'anc' }], diagnoses: [{ icd10: 'I10', text: 'Hipertensi esensial' }],
  };
  const stored = { ...base, _id: 'encounter:1' };
  assert.equal(duplicateVisit([stored], { ...base }), stored);
  assert.equal(duplicateVisit([stored], { ...base, measurements: { sbp: 150, dbp: 98 } }), null);
  assert.equal(duplicateVisit([stored], { ...base, date: '2026-11-24' }), null);
  assert.equal(duplicateVisit([{ ...stored, posyandu_session: 'posyandu_session:1' }], base), null);
});

test('the same screening on the same day is recognised', () => {
  const encounters = [{ _id: 'encounter:1', date: DATE, screenings: [{ instrument: 'srq20', result: 'normal' }] }];
  assert.equal(alreadyScreened(encounters, 'srq20', DATE), true);
  assert.equal(alreadyScreened(encounters, 'srq20', '2026-11-24'), false);
  assert.equal(alreadyScreened(encounters, 'aks', DATE), false);
});

test('values read with their units: z-scores, BMI, the kind of glucose test', () => {
  assert.equal(panel.findingValue({ finding: 'bb_u', value: -2.35 }), 'z -2,35');
  assert.equal(panel.findingValue({ finding: 'bmi', value: 27.4 }), '27,4 kg/m²');
  assert.equal(panel.findingValue({ finding: 'glucose', value: 215, name: 'GDS' }), '215 mg/dL · GDS');
  assert.equal(panel.findingValue({ finding: 'glucose', value: 215, name: 'x_y' }), '215 mg/dL');
  assert.equal(panel.findingValue({ finding: 'temp_c', value: 38.2 }), '38,2 °C');
  assert.equal(panel.findingValue({ finding: 'waist_cm', value: 92 }), '92 cm');
  assert.equal(panel.findingName(config, { finding: 'temp_c' }), 'Suhu tubuh');
  assert.equal(panel.findingName(config, { finding: 'bb_tb' }), 'Berat badan menurut panjang/tinggi (BB/PB, BB/TB)');
});

test('a referral for a person outside the desa of the user is recognised', () => {
  assert.equal(outsideArea({ desa: '3204190001' }, ['3204190001']), false);
  assert.equal(outsideArea({ desa: '3204190002' }, ['3204190001']), true);
  assert.equal(outsideArea({}, ['3204190001']), true);
  assert.equal(outsideArea({ desa: '3204190002' }, undefined), true);
});
