// The life-stage screening programme: who is screened for what and how often
// (Python twin: backend/clinical/screening.py; rules in screenings.json).

import {
  addDuration, addMonths, monthBounds, periodStart,
} from './dates.js';
import * as hist from './history.js';
import { makeItem, windowStatus } from './items.js';
import { trimesterWindow } from './pregnancy.js';

export function screeningItems(config, person, encs, on, lookahead) {
  const items = [];
  for (const rule of config.screenings.rules) {
    const window = eligibility(rule.who, person, encs, on);
    if (window === null) continue;
    const dates = hist.doneDates(encs, rule.what);
    items.push(...cadence(rule)(config, rule, window, dates, person, on, lookahead));
  }
  return items;
}

function eligibility(who, person, encs, on) {
  if ('sex' in who && who.sex !== person.sex) return null;
  if (who.smoker && !person.smoker) return null;
  const starts = [];
  let end = null;
  if ('age' in who) {
    const [low, high] = who.age;
    starts.push(addDuration(person.birth, low));
    end = high === null ? null : addDuration(person.birth, high);
  }
  if (who.pregnant) {
    if (person.hpht === null) return null;
    starts.push(person.hpht);
  }
  if ('diagnosis' in who) {
    const diagnosed = hist.firstDiagnosis(encs, who.diagnosis);
    if (diagnosed === null) return null;
    starts.push(diagnosed);
  }
  if (end !== null && on >= end) return null;
  return [Math.max(...starts), end];
}

function cadence(rule) {
  const key = Object.keys(CADENCES).find((name) => rule[name]);
  if (!key) throw new Error(`screening rule ${rule.code} has no cadence`);
  return CADENCES[key];
}

function item(rule, status, extra = {}) {
  const { code = rule.code, label = rule.label, ...rest } = extra;
  if (rule.setting) rest.setting = rule.setting;
  return makeItem(code, rule.kind, label, status, rule.source, rest);
}

function upcoming(rule, start, on, lookahead) {
  return start - on <= lookahead ? [item(rule, 'upcoming', { due_from: start })] : [];
}

function monthly(config, rule, [start], dates, person, on, lookahead) {
  const [first, last] = monthBounds(on);
  if (start > on) return upcoming(rule, start, on, lookahead);
  const doneOn = [...dates].reverse().find((day) => first <= day) ?? null;
  return [item(rule, doneOn !== null ? 'done' : 'due',
    { due_from: Math.max(first, start), due_until: last, done_on: doneOn })];
}

// Again `every` after the last time (never done: from the first day eligible). Once due,
// periods of `every` follow each other from that day; the item is due from the start of the
// current period and overdue `overdue_after` into it.
function every(config, rule, [start], dates, person, on, lookahead) {
  const done = dates.filter((day) => day >= start);
  const last = done.length ? done[done.length - 1] : null;
  const due = last !== null ? addDuration(last, rule.every) : start;
  if (on < due) {
    if (last !== null) return [item(rule, 'done', { due_from: due, done_on: last })];
    return upcoming(rule, due, on, lookahead);
  }
  const period = periodStart(due, rule.every, on);
  const lateFrom = rule.overdue_after ? addDuration(period, rule.overdue_after) : null;
  const status = lateFrom !== null && on >= lateFrom ? 'overdue' : 'due';
  return [item(rule, status, {
    due_from: period, due_until: lateFrom !== null ? lateFrom - 1 : null, last_done: last,
  })];
}

function atAges(config, rule, window, dates, person, on, lookahead) {
  const starts = rule.at_ages_months.map((months) => addMonths(person.birth, months));
  const current = starts.map((start, i) => [start, i]).filter(([start]) => start <= on);
  if (current.length === 0) return upcoming(rule, starts[0], on, lookahead);
  const [start, index] = current[current.length - 1];
  const end = index + 1 < starts.length ? starts[index + 1] : window[1];
  const label = `${rule.label} umur ${rule.at_ages_months[index]} bulan`;
  const doneOn = dates.find((day) => start <= day && (end === null || day < end)) ?? null;
  if (doneOn !== null) return [item(rule, 'done', { label, due_from: start, done_on: doneOn })];
  const late = addDuration(start, rule.overdue_after);
  return [item(rule, on >= late ? 'overdue' : 'due',
    { label, due_from: start, due_until: end !== null ? end - 1 : null })];
}

function perPregnancy(config, rule, [start], dates) {
  const doneOn = dates.find((day) => day >= start) ?? null;
  return [item(rule, doneOn !== null ? 'done' : 'due', { due_from: start, done_on: doneOn })];
}

function perTrimester(config, rule, window, dates, person, on, lookahead) {
  const items = [];
  for (const number of rule.per_trimester) {
    const [first, last] = trimesterWindow(config, person.hpht, number);
    const doneOn = dates.find((day) => first <= day && day <= last) ?? null;
    const status = doneOn !== null ? 'done' : windowStatus(on, first, last, lookahead);
    if (status) {
      items.push(item(rule, status, {
        code: `${rule.code}_t${number}`, label: `${rule.label} (trimester ${number})`,
        due_from: first, due_until: last, done_on: doneOn,
      }));
    }
  }
  return items;
}

const CADENCES = {
  cycle: monthly, at_ages_months: atAges, per_pregnancy: perPregnancy,
  per_trimester: perTrimester, every,
};
