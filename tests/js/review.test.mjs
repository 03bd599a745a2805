// The Tinjauan screens' words and choices (views/review-model.js) and the tablet's correction
// flow (corrections.js): what a score says, what a verdict needs, who a merge keeps by
// default and what it may take, a conflict's document in words, and how a correction task
// opens the right form and is recognised once made.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  correctionFields, correctionMade, correctionOf, correctionTarget, correctionValues, isCorrection,
} from '../../pwa/static/js/corrections.js';
import {
  decisionProblem, decisionStatus, docDate, docType, flagText, isReference, mergeSummary, movedParts, percent,
  scoreWords, sideNames, subjectOf, suggestedSurvivor, takeField, takeableFields,
} from '../../pwa/static/js/views/review-model.js';
import en from '../../pwa/static/js/i18n/en.js';
import id from '../../pwa/static/js/i18n/id.js';
import { loadConfig } from './helpers.mjs';

test('a score reads as words: very likely from the configured threshold, likely below', () => {
  const config = loadConfig();
  const likely = config.duplicates.threshold.likely_score;
  assert.ok(likely > config.duplicates.threshold.list && likely <= 1, 'between the list floor and 1');
  const key = (score) => scoreWords(config, score).key;
  assert.equal(key(likely), 'review.score.very_likely');
  assert.equal(key(0.99), 'review.score.very_likely');
  assert.equal(key(likely - 0.01), 'review.score.likely');
  assert.equal(key(undefined), 'review.score.likely');
  assert.deepEqual([scoreWords(config, likely).tone, scoreWords(config, likely - 0.01).tone], ['bad', 'warn']);
  // The threshold is the config's, not a constant in the PWA: moving it moves the words.
  const stricter = { ...config, duplicates: { ...config.duplicates, threshold: { ...config.duplicates.threshold, likely_score: 0.95 } } };
  assert.equal(scoreWords(stricter, 0.9).key, 'review.score.likely');
  for (const name of ['review.score.very_likely', 'review.score.likely']) assert.ok(id[name]);
});

test('a data-quality flag is marked "check this value", never with the clinical word for findings', () => {
  // "Temuan" is what the app calls clinical findings (TD tinggi, gizi kurang); a flag says the
  // record may be wrong, so the queue's words for flags ask to check the data.
  assert.equal(id['review.flag.open'], 'Periksa data');
  const flagWords = ['review.flag.open', 'review.flagged_only', 'review.counts', 'review.picker_flags', 'review.progress.open_flags'];
  for (const name of flagWords) {
    assert.doesNotMatch(id[name], /temuan/i, name);
    assert.doesNotMatch(en[name], /finding/i, name);
  }
});

test('a verdict needs a selection, at most 200 records, and a note to send a record back', () => {
  assert.equal(decisionProblem('benar', [], ''), 'review.problem.none_selected');
  assert.equal(decisionProblem('benar', Array(201).fill('x'), ''), 'review.problem.too_many');
  assert.equal(decisionProblem('benar', ['a'], ''), null);
  assert.equal(decisionProblem('tidak_relevan', ['a'], undefined), null);
  assert.equal(decisionProblem('perbaikan', ['a'], '   '), 'review.problem.note_needed');
  assert.equal(decisionProblem('perbaikan', ['a'], 'x'.repeat(301)), 'review.problem.note_long');
  assert.equal(decisionProblem('perbaikan', ['a'], 'Tinggi badan 17, mungkin 71'), null);
  assert.equal(decisionProblem('hapus', ['a'], ''), 'review.problem.decision');
});

test('the status line after a verdict counts what the server decided, and the tasks sent', () => {
  assert.deepEqual(decisionStatus('perbaikan', { decided: ['a', 'b'], tasks: ['t1', 't2'] }),
    { key: 'review.status.perbaikan', params: { n: 2, tasks: 2 } });
  assert.deepEqual(decisionStatus('benar', { decided: ['a'], tasks: [] }), { key: 'review.status.benar', params: { n: 1 } });
  for (const decision of ['benar', 'perbaikan', 'tidak_relevan']) assert.ok(id[`review.status.${decision}`]);
});

test('the survivor by default is the one with more visits, then pregnancies, then the first registered', () => {
  const p = (over) => ({ encounters: 0, pregnancies: 0, tasks: 0, created_at: '2026-01-01T00:00:00Z', ...over });
  assert.equal(suggestedSurvivor(p({ encounters: 1 }), p({ encounters: 4 })), 'b');
  assert.equal(suggestedSurvivor(p({ encounters: 2, pregnancies: 1 }), p({ encounters: 2 })), 'a');
  assert.equal(suggestedSurvivor(p({ created_at: '2026-03-01T00:00:00Z' }), p({ created_at: '2026-02-01T00:00:00Z' })), 'b');
  assert.equal(suggestedSurvivor(p({}), p({})), 'a');
});

test('the survivor may take a differing field the merge API takes and the other has, never a same or empty one', () => {
  const fields = [
    { field: 'name', a: 'Siti Aminah', b: 'Siti Aminah', same: true },
    { field: 'nik', a: null, b: '3204194101900001', same: false },
    { field: 'phone', a: '081234567890', b: '', same: false },
    { field: 'household_name', a: 'Keluarga A', b: 'Keluarga B', same: false },
    { field: 'relation', a: 'anak', b: 'cucu', same: false },
    { field: 'birth_date', a: '1990-01-01', b: '1990-01-10', same: false },
  ];
  assert.deepEqual(takeableFields(fields, 'a'), ['nik', 'household_name', 'birth_date']);
  assert.deepEqual(takeableFields(fields, 'b'), ['phone', 'household_name', 'birth_date']);
  assert.equal(takeField('household_name'), 'household');
  assert.equal(takeField('mother_name'), 'mother');
  assert.equal(takeField('nik'), 'nik');
});

test('the merge confirmation names who stays and how much of the other moves', () => {
  const compare = { a: { name: 'Siti', encounters: 3, pregnancies: 1, tasks: 0 }, b: { name: 'Siti A.', encounters: 2 } };
  assert.deepEqual(mergeSummary(compare, 'a'), { survivor: 'Siti', merged: 'Siti A.', encounters: 2, pregnancies: 0, tasks: 0 });
  assert.deepEqual(mergeSummary(compare, 'b').survivor, 'Siti A.');
  assert.deepEqual(movedParts({ encounter: 2, pregnancy: 0, task: 1, person: 1, household: 0 }),
    [{ key: 'review.moved.encounter', n: 2 }, { key: 'review.moved.task', n: 1 }]);
  assert.deepEqual(movedParts(undefined), []);
});

test('a conflict reads by kind, person and date, never by id', () => {
  assert.equal(docType('encounter:0190a1b2-aaaa'), 'encounter');
  assert.equal(docType('nonsense'), null);
  assert.ok(isReference('place:0190a1b2-c3d4') && !isReference('Siti') && !isReference(3204190001));
  assert.equal(subjectOf({ _id: 'person:1', type: 'person' }), 'person:1');
  assert.equal(subjectOf({ _id: 'encounter:1', type: 'encounter', person: 'person:2' }), 'person:2');
  assert.equal(subjectOf(null), null);
  assert.equal(docDate({ type: 'encounter', date: '2026-11-02' }), '2026-11-02');
  assert.equal(docDate({ type: 'pregnancy', hpht: '2026-05-01', created_at: '2026-06-01T03:00:00Z' }), '2026-05-01');
  assert.equal(docDate({ type: 'person', created_at: '2026-06-01T03:00:00Z' }), '2026-06-01');
});

test('a flag line says the rule and its detail once; shares read as whole percents', () => {
  assert.equal(flagText({ label: 'Tinggi badan tidak masuk akal', detail: 'TB/U z = -9,1' }), 'Tinggi badan tidak masuk akal: TB/U z = -9,1');
  assert.equal(flagText({ label: 'HPHT kosong', detail: 'HPHT kosong' }), 'HPHT kosong');
  assert.equal(flagText({ label: 'HPHT kosong', detail: null }), 'HPHT kosong');
  assert.equal(percent(0.456), '46%');
  assert.equal(percent(0), '0%');
  assert.equal(percent(null), null);
});

const correction = (over) => ({
  _id: 'task:k', type: 'task', rule: 'koreksi', person: 'person:p', status: 'open', created_at: '2026-11-20T01:00:00Z', ...over,
});

test('a correction task opens the screen of what it names: a new visit, the pregnancy, else the person', () => {
  assert.ok(isCorrection(correction()) && !isCorrection({ rule: 'hipertensi' }) && !isCorrection(null));
  assert.deepEqual(correctionTarget(correction({ origin: 'encounter:e1' })),
    { kind: 'encounter', id: 'encounter:e1', href: '#/person/person%3Ap/visit?corrects=encounter%3Ae1' });
  assert.deepEqual(correctionTarget(correction({ pregnancy: 'pregnancy:g' })),
    { kind: 'pregnancy', id: 'pregnancy:g', href: '#/person/person%3Ap/pregnancy?edit=pregnancy%3Ag' });
  assert.deepEqual(correctionTarget(correction()), { kind: 'person', id: 'person:p', href: '#/person/person%3Ap/edit' });
  assert.equal(correctionTarget({ ...correction(), rule: 'hipertensi', origin: 'encounter:e1' }), null);
  assert.equal(correctionTarget(correction({ person: undefined })), null);
});

test('the visit form starts from the corrected visit, numbers with a decimal comma', () => {
  const visit = {
    _id: 'encounter:e1', type: 'encounter', person: 'person:p', date: '2026-11-02', setting: 'posyandu',
    measurements: { weight_kg: 9.4, height_cm: 17, length_or_height: 'standing', sbp: 120, dbp: 80, glucose_mgdl: 100, glucose_type: 'GDS' },
    referral: { to: 'Pustu' }, notes: 'rewel',
  };
  assert.deepEqual(correctionValues(visit), {
    setting: 'posyandu', date: '2026-11-02', weight_kg: '9,4', height_cm: '17', sbp: '120', dbp: '80', glucose_mgdl: '100',
    glucose_type: 'GDS', length_or_height: 'standing', refer: true, refer_to: 'Pustu', refer_reason: '', notes: 'rewel',
  });
  assert.deepEqual(correctionValues({ setting: 'home', date: '2026-11-01' }), { setting: 'home', date: '2026-11-01' });
});

test('a correction keeps what the form cannot show again, takes what the form gives, and names what it corrects', () => {
  const visit = {
    _id: 'encounter:e1', place: 'place:melati', posyandu_session: 'posyandu_session:s', screenings: [{ instrument: 'kpsp' }],
    services: [{ code: 'vitamin_a' }], pregnancy: 'pregnancy:g',
  };
  const typed = { person: 'person:p', date: '2026-11-02', measurements: { height_cm: 71 }, services: undefined, pregnancy: undefined };
  assert.deepEqual(correctionFields(visit, typed), {
    person: 'person:p', date: '2026-11-02', measurements: { height_cm: 71 }, place: 'place:melati',
    posyandu_session: 'posyandu_session:s', screenings: [{ instrument: 'kpsp' }], services: [{ code: 'vitamin_a' }],
    pregnancy: 'pregnancy:g', corrects: 'encounter:e1',
  });
  assert.deepEqual(correctionFields(visit, { services: [{ code: 'pmt' }] }).services, [{ code: 'pmt' }]);
});

test('a correction counts as made once the device holds it: a visit correcting it, or a later edit', () => {
  const encounters = [{ _id: 'encounter:x', corrects: 'encounter:other' }];
  const task = correction({ origin: 'encounter:e1' });
  assert.equal(correctionMade(task, () => null, encounters), false);
  const fix = { _id: 'encounter:f', corrects: 'encounter:e1', created_at: '2026-11-21T00:00:00Z' };
  const later = { _id: 'encounter:g', corrects: 'encounter:e1', created_at: '2026-11-22T00:00:00Z' };
  assert.equal(correctionMade(task, () => null, [...encounters, fix]), true);
  assert.equal(correctionOf('encounter:e1', [fix, later])._id, 'encounter:g');
  const docs = { 'person:p': { updated_at: '2026-11-19T00:00:00Z' } };
  assert.equal(correctionMade(correction(), (docId) => docs[docId], []), false);
  docs['person:p'].updated_at = '2026-11-21T00:00:00Z';
  assert.equal(correctionMade(correction(), (docId) => docs[docId], []), true);
});

test('the comparison names each person, and which registration when both carry one name', () => {
  assert.deepEqual(sideNames({ a: { name: 'Siti Aminah' }, b: { name: 'Siti Aminah ' } }), {
    a: { key: 'review.cmp.registration', params: { name: 'Siti Aminah', n: 1 } },
    b: { key: 'review.cmp.registration', params: { name: 'Siti Aminah ', n: 2 } },
  });
  const named = sideNames({ a: { name: 'Muhamad Rizky' }, b: { name: 'Muhammad Rizki' } });
  assert.deepEqual([named.a, named.b], [{ key: null, params: { name: 'Muhamad Rizky' } }, { key: null, params: { name: 'Muhammad Rizki' } }]);
  assert.ok(id['review.cmp.registration'] && en['review.cmp.registration']);
});
