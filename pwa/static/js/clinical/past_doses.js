// Past doses from the Buku KIA (Python twin: backend/clinical/past_doses.py): which doses of
// a person's immunization series have no record yet, and whether dates copied from the book
// can be true. A date before birth or in the future, before the dose's minimum age, before
// the minimum interval after the dose before it, or out of order is refused with a problem
// code the form turns into an Indonesian message; nothing is stored until none is left.

import { addDuration, parseDate, toIso } from './dates.js';
import { ClinicalInputError } from './errors.js';
import * as hist from './history.js';
import { applicableSeries } from './schedules.js';
import * as validate from './validate.js';

export function pastDoses(config, {
  person, history, date, doses = null,
}) {
  const on = parseDate(date, 'date');
  const birth = validate.pastDate(person.birth_date, 'person.birth_date', on);
  const sex = validate.sex(person.sex, 'person.sex');
  const records = hist.immunizations(hist.encounters(history, on));
  const entered = Object.fromEntries(Object.entries(doses ?? {}).filter(([, value]) => value));
  const slots = [];
  const immunizations = [];
  const problems = [];
  const allSeries = applicableSeries(config, sex);
  for (const series of allSeries) {
    const known = knownDates(series, records);
    const open = series.filter((d) => !known.has(d.dose) && addDuration(birth, d.min_age) <= on);
    slots.push(...open.map((dose) => slot(dose, birth)));
    const dated = parse(series, entered, open, problems);
    problems.push(...check(series, new Map([...known, ...dated]), dated, birth, on));
    immunizations.push(...series.filter((d) => dated.has(d.dose))
      .map((d) => ({ vaccine: d.vaccine, dose: d.dose, date: toIso(dated.get(d.dose)) })));
  }
  const codes = new Set(allSeries.flat().map((dose) => dose.code));
  problems.push(...Object.keys(entered).filter((code) => !codes.has(code))
    .map((code) => ({ code, problem: 'not_open' })));
  // All or nothing: one wrong date and the book is read again before anything is stored.
  return { slots, immunizations: problems.length ? [] : immunizations, problems };
}

// Dose number -> date of its first record.
function knownDates(series, records) {
  const known = new Map();
  for (const record of records) {
    if (record.vaccine === series[0].vaccine && !known.has(record.dose)) {
      known.set(record.dose, record.date);
    }
  }
  return known;
}

function slot(dose, birth) {
  return {
    code: dose.code, vaccine: dose.vaccine, dose: dose.dose, label: dose.label,
    earliest: toIso(addDuration(birth, dose.min_age)),
  };
}

function parse(series, entered, open, problems) {
  const openCodes = new Set(open.map((dose) => dose.code));
  const dated = new Map();
  for (const dose of series) {
    const value = entered[dose.code];
    if (value !== undefined) {
      if (!openCodes.has(dose.code)) {
        problems.push({ code: dose.code, problem: 'not_open' });
      } else {
        try {
          dated.set(dose.dose, parseDate(value, dose.code));
        } catch (error) {
          if (!(error instanceof ClinicalInputError)) throw error;
          problems.push({ code: dose.code, problem: 'not_a_date' });
        }
      }
    }
  }
  return dated;
}

function check(series, dates, entered, birth, on) {
  const problems = [];
  series.forEach((dose, index) => {
    const day = entered.get(dose.dose);
    if (day === undefined) return;
    const found = alone(dose, day, birth, on) ?? againstNeighbours(series, index, dates, entered);
    if (found) problems.push({ code: dose.code, ...found });
  });
  return problems;
}

function alone(dose, day, birth, on) {
  if (day < birth) return { problem: 'before_birth' };
  if (day > on) return { problem: 'future' };
  const earliest = addDuration(birth, dose.min_age);
  return day < earliest ? { problem: 'before_min_age', earliest: toIso(earliest) } : null;
}

// Order against the nearest dated doses before and after, and the minimum interval after the
// dose just before (and, when that one is on record, to the dose just after: between two
// entered doses the later one carries the problem).
function againstNeighbours(series, index, dates, entered) {
  const dose = series[index];
  const day = dates.get(dose.dose);
  const before = series.slice(0, index).reverse().find((d) => dates.has(d.dose));
  const after = series.slice(index + 1).find((d) => dates.has(d.dose));
  if (before && day < dates.get(before.dose)) return { problem: 'before_previous', other: before.code };
  if (before && before === series[index - 1] && dose.min_interval) {
    const earliest = addDuration(dates.get(before.dose), dose.min_interval);
    if (day < earliest) {
      return { problem: 'before_min_interval', other: before.code, earliest: toIso(earliest) };
    }
  }
  if (after && day > dates.get(after.dose)) return { problem: 'after_next', other: after.code };
  if (after && after === series[index + 1] && !entered.has(after.dose) && after.min_interval
    && dates.get(after.dose) < addDuration(day, after.min_interval)) {
    return { problem: 'interval_to_next', other: after.code };
  }
  return null;
}
