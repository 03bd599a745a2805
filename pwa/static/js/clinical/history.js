// Facts read from a person's history: their encounter and pregnancy documents
// (Python twin: backend/clinical/history.py). Only records on or before the evaluation date
// count; deleted encounters and encounters corrected by a later one are ignored.

import { parseDate } from './dates.js';
import * as validate from './validate.js';

export function encounters(history, on) {
  const docs = history.filter((doc) => doc.type === 'encounter' && !doc._deleted);
  const corrected = new Set(docs.filter((doc) => doc.corrects).map((doc) => doc.corrects));
  const live = [];
  for (const doc of docs) {
    const when = parseDate(doc.date, 'encounter.date');
    if (!corrected.has(doc._id) && when <= on) live.push({ ...doc, _date: when });
  }
  return live.sort((a, b) => a._date - b._date);
}

export function pregnancies(history) {
  return history.filter((doc) => doc.type === 'pregnancy' && !doc._deleted);
}

export function immunizations(encs) {
  const records = [];
  for (const enc of encs) {
    for (const given of enc.immunizations ?? []) {
      const when = given.date ? parseDate(given.date, 'immunization.date') : enc._date;
      records.push({ vaccine: given.vaccine ?? null, dose: given.dose ?? null, date: when });
    }
  }
  return records.sort((a, b) => a.date - b.date);
}

export function hasService(enc, codes) {
  return (enc.services ?? []).some((service) => codes.includes(service.code));
}

export function satisfies(enc, what) {
  if ('measurements' in what) {
    const measured = enc.measurements ?? {};
    return what.measurements.every((name) => measured[name] != null);
  }
  if ('instrument' in what) {
    return (enc.screenings ?? []).some((s) => s.instrument === what.instrument);
  }
  return hasService(enc, what.services);
}

export function doneDates(encs, what) {
  return encs.filter((enc) => satisfies(enc, what)).map((enc) => enc._date);
}

export function firstDiagnosis(encs, prefixes) {
  const found = encs.find((enc) => (enc.diagnoses ?? [])
    .some((d) => prefixes.includes((d.icd10 ?? '').slice(0, 3))));
  return found ? found._date : null;
}

export function isSmoker(encs) {
  for (const enc of [...encs].reverse()) {
    for (const screening of enc.screenings ?? []) {
      if (screening.instrument !== 'merokok') continue;
      const answer = (screening.answers ?? {}).merokok;
      if (answer != null) return validate.yesNo(answer, 'answers.merokok');
      return screening.result === 'perokok';
    }
  }
  return false;
}
