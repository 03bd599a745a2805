// Immunization schedule (ideal vs kejar), Td status of women of childbearing age, vitamin A
// rounds (Python twin: backend/clinical/schedules.py).

import {
  addDuration, firstOfMonth, inAgeRange, monthBounds, monthOf, toIso, yearOf,
} from './dates.js';
import * as hist from './history.js';
import { makeItem } from './items.js';

function applies(when, sex, settings) {
  if (!when) return true;
  if ('sex' in when && when.sex !== sex) return false;
  return !('setting' in when) || Boolean(settings[when.setting]);
}

function series(doses) {
  const bySeries = new Map();
  for (const dose of doses) {
    if (!bySeries.has(dose.vaccine)) bySeries.set(dose.vaccine, []);
    bySeries.get(dose.vaccine).push(dose);
  }
  return [...bySeries.values()];
}

// Each vaccine series as its doses in order, without the doses that do not apply to this sex
// or deployment setting (HPV for boys, JE outside endemic districts).
export function applicableSeries(config, sex) {
  const spec = config.immunization;
  const settings = Object.fromEntries(Object.entries(spec.settings)
    .map(([name, setting]) => [name, setting.value]));
  return series(spec.doses).map((doses) => doses.filter((dose) => applies(dose.when, sex, settings)))
    .filter((doses) => doses.length);
}

export function immunizationItems(config, birth, sex, records, on, lookahead) {
  return applicableSeries(config, sex)
    .flatMap((doses) => seriesItems(doses, birth, records, on, lookahead));
}

// A dose counts from its minimum age and minimum interval after the previous dose; one given
// earlier is not valid (`early_doses`). Later doses wait for the earlier one. A dose without a
// record of its own before the last dose recorded in the series was most likely given and not
// written down: `not_recorded` (to fill in from the Buku KIA), never due again; the dose after
// it counts from its minimum age alone, since the date of the one before is unknown.
function seriesItems(doses, birth, records, on, lookahead) {
  const recorded = new Set(records.filter((r) => r.vaccine === doses[0].vaccine).map((r) => r.dose));
  const last = doses.reduce((found, dose, i) => (recorded.has(dose.dose) ? i : found), -1);
  const items = [];
  let previous = null;
  for (const [index, dose] of doses.entries()) {
    if (index < last && !recorded.has(dose.dose)) {
      if (on < addDuration(birth, dose.catch_up_until)) items.push(notRecorded(dose, birth));
      previous = null;
    } else {
      const [item, valid, stop] = evaluateDose(dose, birth, previous, records, on, lookahead);
      previous = valid;
      if (item) items.push(item);
      if (stop) break;
    }
  }
  return items;
}

function notRecorded(dose, birth) {
  const [idealFrom, idealEnd] = dose.ideal.map((bound) => addDuration(birth, bound));
  const end = addDuration(birth, dose.catch_up_until);
  return doseItem(dose, 'not_recorded', idealFrom, idealEnd, {
    vaccine: dose.vaccine, dose: dose.dose, kejar_until: end - 1, note: dose.note ?? null,
  });
}

function evaluateDose(dose, birth, previous, records, on, lookahead) {
  const end = addDuration(birth, dose.catch_up_until);
  let earliest = addDuration(birth, dose.min_age);
  if (previous !== null && dose.min_interval) {
    earliest = Math.max(earliest, addDuration(previous, dose.min_interval));
  }
  const [idealFrom, idealEnd] = dose.ideal.map((bound) => addDuration(birth, bound));
  const given = records.filter((r) => r.vaccine === dose.vaccine && r.dose === dose.dose)
    .map((r) => r.date);
  const valid = given.find((day) => day >= earliest) ?? null;
  const common = {
    vaccine: dose.vaccine, dose: dose.dose, kejar_until: end - 1, note: dose.note ?? null,
  };
  const dueFrom = Math.max(idealFrom, earliest);
  if (valid !== null) {
    const timing = valid < idealEnd ? 'ideal' : 'kejar';
    const item = on < end
      ? doseItem(dose, 'done', dueFrom, idealEnd, { timing, done_on: valid, ...common })
      : null;
    return [item, valid, false];
  }
  if (on >= end || dueFrom >= end) return [null, null, false];
  const early = given.length ? given.map(toIso) : null;
  let status;
  let timing;
  if (on < dueFrom) {
    status = dueFrom - on <= lookahead ? 'upcoming' : null;
    timing = dueFrom < idealEnd ? 'ideal' : 'kejar';
  } else {
    [status, timing] = on < idealEnd ? ['due', 'ideal'] : ['overdue', 'kejar'];
  }
  const item = status
    ? doseItem(dose, status, dueFrom, idealEnd, { timing, early_doses: early, ...common })
    : null;
  return [item, null, true];
}

function doseItem(spec, status, dueFrom, idealEnd, extra) {
  const dueUntil = idealEnd - 1;
  return makeItem(spec.code, 'immunization', spec.label, status, spec.source,
    { due_from: dueFrom, due_until: dueUntil >= dueFrom ? dueUntil : null, ...extra });
}

export function tdStatus(spec, birth, records) {
  const adultFrom = addDuration(birth, spec.age[0]);
  const vaccines = [spec.vaccine, ...spec.also_counts];
  let credit = 0;
  let last = null;
  for (const rule of spec.childhood_credit) {
    const cutoff = 'before_age' in rule ? addDuration(birth, rule.before_age) : null;
    const doses = records.filter((r) => r.vaccine === rule.vaccine
      && (cutoff === null || r.date < cutoff)).map((r) => r.date);
    if (doses.length >= rule.min_doses) {
      credit += rule.t;
      const counted = doses[rule.min_doses - 1];
      last = last === null ? counted : Math.max(last, counted);
    }
  }
  const adult = records.filter((r) => vaccines.includes(r.vaccine) && r.date >= adultFrom);
  const numbered = adult.map((r) => r.dose).filter((dose) => Number.isInteger(dose));
  const status = Math.min(spec.max_t, Math.max(credit + adult.length, ...numbered));
  if (adult.length) last = adult[adult.length - 1].date;
  return [status, last];
}

export function tdItem(config, birth, sex, records, on, pregnant, lookahead) {
  const spec = config.immunization.td_wus;
  const inAge = inAgeRange(birth, on, spec.age);
  if (sex !== spec.sex || !(inAge || (pregnant && spec.pregnant_any_age))) return null;
  const [statusT, last] = tdStatus(spec, birth, records);
  const extra = { t_status: statusT, vaccine: spec.vaccine };
  if (statusT >= spec.max_t) {
    return makeItem('Td-WUS', 'immunization', `${spec.label}: T${spec.max_t} lengkap`, 'done',
      spec.source, { done_on: last, timing: 'ideal', ...extra });
  }
  const nextT = statusT + 1;
  let dueFrom = inAge ? addDuration(birth, spec.age[0]) : on;
  if (last !== null && nextT > 1) {
    dueFrom = Math.max(dueFrom, addDuration(last, spec.intervals[String(nextT)]));
  }
  const label = `Td WUS dosis T${nextT}`;
  if (on < dueFrom) {
    if (dueFrom - on > lookahead) return null;
    return makeItem('Td-WUS', 'immunization', label, 'upcoming', spec.source,
      { due_from: dueFrom, timing: 'ideal', next_dose: nextT, ...extra });
  }
  const late = spec.kejar_after !== null && on - dueFrom > spec.kejar_after;
  return makeItem('Td-WUS', 'immunization', label, late ? 'overdue' : 'due', spec.source,
    { due_from: dueFrom, timing: late ? 'kejar' : 'ideal', next_dose: nextT, ...extra });
}

export function vitaminAItem(config, birth, encs, on, lookahead) {
  const spec = config.vitamin_a;
  const roundStart = roundStartFor(spec.round_months, on);
  if (roundStart > on && roundStart - on > lookahead) return null;
  const reference = Math.max(on, roundStart);
  const capsule = spec.capsules.find((c) => inAgeRange(birth, reference, c.age));
  if (!capsule) return null;
  const given = encs.filter((enc) => hist.hasService(enc, spec.service_codes))
    .map((enc) => enc._date);
  const [, roundEnd] = monthBounds(roundStart);
  let doneOn = given.find((day) => roundStart <= day && day <= roundEnd) ?? null;
  if (capsule.once && doneOn === null) {
    doneOn = given.find((day) => inAgeRange(birth, day, capsule.age)) ?? null;
  }
  let status = 'upcoming';
  if (doneOn !== null) status = 'done';
  else if (roundStart <= on) status = 'due';
  return makeItem(`VITA-${capsule.colour.toUpperCase()}`, 'vitamin_a', capsule.label, status,
    spec.source, {
      due_from: roundStart, due_until: roundEnd, done_on: doneOn,
      colour: capsule.colour, dose_iu: capsule.dose_iu,
    });
}

function roundStartFor(months, on) {
  const month = monthOf(on);
  const year = yearOf(on);
  if (months.includes(month)) return firstOfMonth(year, month);
  const later = months.filter((m) => m > month);
  return later.length ? firstOfMonth(year, later[0]) : firstOfMonth(year + 1, months[0]);
}
