// Data-quality rules over one person's record: values that cannot be true or contradict each
// other (Python twin: backend/clinical/quality.py; rules and sources in config/ilp/quality.json;
// docs/review.md "Rules"). The tablet uses entryWarnings to say "Periksa lagi: …" while a visit
// or a registration is typed, offline, from the local record; the server keeps qualityFlags
// for the Puskesmas review. A warning, never a refusal.

import { completedMonths, parseDate, toIso } from './dates.js';
import { ClinicalInputError } from './errors.js';
import { growthZscores } from './growth.js';
import * as hist from './history.js';
import * as measures from './quality-measures.js';
import * as recordRules from './quality-records.js';

const DRAFT_ID = 'draft';

// [{doc_id, doc_type, rule, field, detail, date}] of every rule firing on the person and
// their encounters and pregnancies, ordered by record date, record id, then rule order.
export function qualityFlags(config, { person, records = [] }) {
  const ctx = makeRecord(config, person, records ?? []);
  const found = [];
  config.quality.rules.forEach((rule, order) => {
    let hits;
    try {
      hits = KINDS[rule.kind](ctx, rule);
    } catch (error) {
      if (!(error instanceof ClinicalInputError)) throw error;
      return; // a value the evaluator cannot read: nothing to judge this rule on
    }
    for (const [doc, field, detail] of hits) {
      found.push([order, {
        doc_id: doc._id ?? null, doc_type: doc.type ?? null, rule: rule.id, field, detail,
        date: recordDate(doc),
      }]);
    }
  });
  const key = ([order, flag]) => [flag.date ?? '', flag.doc_id ?? '', order];
  found.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i += 1) {
      if (x[i] < y[i]) return -1;
      if (x[i] > y[i]) return 1;
    }
    return 0;
  });
  return found.map(([, flag]) => flag);
}

// [{rule, field, label, detail}] of the warn_on_entry rules firing on `draft` (an encounter
// being recorded for `person`, or the person being registered or edited), judged against
// the person's local history as the review will judge it after sync.
export function entryWarnings(config, { person, history = [], draft = null }) {
  let subject = person;
  let records = [...(history ?? [])];
  if (draft === null || draft.type === 'person') {
    subject = { ...(draft ?? person), type: 'person', _id: DRAFT_ID };
  } else {
    records.push({ type: 'encounter', ...draft, _id: DRAFT_ID });
  }
  const rules = new Map(config.quality.rules.filter((rule) => rule.warn_on_entry)
    .map((rule) => [rule.id, rule]));
  let flags;
  try {
    flags = qualityFlags(config, { person: subject, records });
  } catch (error) {
    if (!(error instanceof ClinicalInputError)) throw error;
    return []; // a draft without a readable date or birth date: nothing to judge yet
  }
  return flags.filter((flag) => flag.doc_id === DRAFT_ID && rules.has(flag.rule))
    .map((flag) => ({
      rule: flag.rule, field: flag.field, label: rules.get(flag.rule).label.id,
      detail: flag.detail,
    }));
}

// The date a record belongs to: an encounter's date; a pregnancy's HPHT, else the day it was
// recorded; a person's registration day.
export function recordDate(doc) {
  if (doc.type === 'encounter') return doc.date ?? null;
  if (doc.type === 'pregnancy' && doc.hpht) return doc.hpht;
  return typeof doc.created_at === 'string' ? doc.created_at.slice(0, 10) : null;
}

// "3 Okt 2026", the way the PWA shows a date in id-ID.
export function dayText(config, day) {
  const [year, month, date] = toIso(day).split('-').map(Number);
  return `${date} ${config.quality.months[month - 1]} ${year}`;
}

function makeRecord(config, person, records) {
  const birth = parseDate(person.birth_date, 'person.birth_date');
  const growthOf = new Map();
  const ctx = {
    config, person, birth,
    encs: hist.encounters(records, Infinity),
    pregnancies: hist.pregnancies(records),
    months: (enc) => (enc._date < birth ? null : completedMonths(birth, enc._date)),
    day: (value) => dayText(config, value),
    growth(enc) {
      if (!growthOf.has(enc)) growthOf.set(enc, evaluateGrowth(ctx, enc));
      return growthOf.get(enc);
    },
  };
  return ctx;
}

function evaluateGrowth(ctx, enc) {
  const measured = enc.measurements ?? {};
  if (enc._date < ctx.birth || (measured.weight_kg == null && measured.height_cm == null)) {
    return null;
  }
  try {
    return growthZscores(ctx.config, {
      sex: ctx.person.sex, weight_kg: measured.weight_kg ?? null,
      height_cm: measured.height_cm ?? null, measure: measured.length_or_height ?? null,
      oedema: Boolean(measured.oedema), birth_date: ctx.person.birth_date, date: enc.date,
    });
  } catch (error) {
    if (!(error instanceof ClinicalInputError)) throw error;
    return null;
  }
}

// What evaluates each `kind` of quality.json: a rule's id and parameters are data, the way it
// reads a record is in quality-measures.js and quality-records.js.
const KINDS = {
  implausible_z: measures.implausibleZ,
  height_shrink: measures.heightShrink,
  weight_jump: measures.weightJump,
  pulse_pressure: measures.pulsePressure,
  glucose_without_type: measures.glucoseWithoutType,
  hba1c_glucose: measures.hba1cGlucose,
  missing_weight: measures.missingWeight,
  missing_measure: measures.missingMeasure,
  nik_birth_date: recordRules.nikBirthDate,
  nik_sex: recordRules.nikSex,
  pregnancy_without_hpht: recordRules.pregnancyWithoutHpht,
  before_birth: recordRules.beforeBirth,
  after_death: recordRules.afterDeath,
  anc_without_pregnancy: recordRules.ancWithoutPregnancy,
  anc_unlinked: recordRules.ancUnlinked,
};
