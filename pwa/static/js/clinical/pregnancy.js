// Pregnancy dating, ANC contacts K1-K6 and postnatal visits KF and KN
// (Python twin: backend/clinical/pregnancy.py). Days count from HPHT, or from the
// delivery/birth date as day 0.

import { parseDate, toIso } from './dates.js';
import { ClinicalInputError } from './errors.js';
import * as hist from './history.js';
import { makeItem, windowStatus } from './items.js';
import * as validate from './validate.js';

export function pregnancyDating(config, { hpht, date }) {
  const on = parseDate(date, 'date');
  return dating(config, checkedHpht(config, hpht, on, 'hpht'), on);
}

export function checkedHpht(config, value, on, field) {
  const hpht = validate.pastDate(value, field, on);
  if (on - hpht > config.maternal.pregnancy.hpht_max_weeks_ago * 7) {
    throw new ClinicalInputError(field, 'HPHT lebih dari 45 minggu yang lalu');
  }
  return hpht;
}

export function dating(config, hpht, on) {
  const rules = config.maternal.pregnancy;
  const days = on - hpht;
  return {
    hpht: toIso(hpht),
    hpl: toIso(hpht + rules.hpl_days_after_hpht),
    gestational_age: { weeks: Math.floor(days / 7), days: days % 7, total_days: days },
    trimester: trimester(config, days),
  };
}

export function trimester(config, days) {
  const starts = config.maternal.pregnancy.trimester_start_day;
  return Math.max(...Object.entries(starts).filter(([, start]) => days >= start)
    .map(([t]) => Number(t)));
}

export function hphtOf(config, doc) {
  if (doc.hpht || !doc.hpl) return doc.hpht ?? null;
  const hpl = parseDate(doc.hpl, 'pregnancy.hpl');
  return toIso(hpl - config.maternal.pregnancy.hpl_days_after_hpht);
}

export function currentPregnancy(config, docs, on) {
  const ongoing = [];
  for (const doc of docs) {
    if (doc.status !== 'ongoing') continue;
    const raw = hphtOf(config, doc);
    const hpht = raw === null ? null : checkedHpht(config, raw, on, 'pregnancy.hpht');
    ongoing.push([doc, hpht]);
  }
  ongoing.sort((a, b) => (a[1] ?? -Infinity) - (b[1] ?? -Infinity));
  return ongoing.length ? ongoing[ongoing.length - 1] : null;
}

export function recentDelivery(config, docs, on) {
  const limit = config.lifestages.flags.nifas.days_after_delivery;
  let latest = null;
  for (const doc of docs) {
    const delivered = doc.delivery?.date;
    if (!delivered) continue;
    const when = parseDate(delivered, 'pregnancy.delivery.date');
    if (on - when >= 0 && on - when <= limit && (latest === null || when > latest[1])) {
      latest = [doc, when];
    }
  }
  return latest;
}

export function trimesterWindow(config, hpht, number) {
  const starts = config.maternal.pregnancy.trimester_start_day;
  const next = String(number + 1);
  const endDay = next in starts ? starts[next] - 1 : config.maternal.anc.trimester_3_until_day;
  return [hpht + starts[String(number)], hpht + endDay];
}

export function ancContacts(config, doc, hpht, encs) {
  const rules = config.maternal.anc;
  return encs
    .filter((enc) => ((Boolean(doc._id) && enc.pregnancy === doc._id)
      || hist.hasService(enc, rules.service_codes))
      && enc._date >= hpht)
    .map((enc) => ({
      date: enc._date,
      trimester: trimester(config, enc._date - hpht),
      doctor: hist.hasService(enc, rules.doctor_service_codes),
    }));
}

export function assignContacts(config, contacts) {
  const slots = config.maternal.anc.contacts;
  const filled = {};
  for (const contact of contacts) {
    if (Object.keys(filled).length === 0) {
      filled[slots[0].code] = contact;
      continue;
    }
    const free = slots.slice(1)
      .find((s) => s.trimester === contact.trimester && !(s.code in filled));
    if (free) filled[free.code] = contact;
  }
  return filled;
}

export function ancItems(config, doc, hpht, encs, on, lookahead) {
  const rules = config.maternal.anc;
  const filled = assignContacts(config, ancContacts(config, doc, hpht, encs));
  const kejarUntil = hpht + rules.trimester_3_until_day;
  const items = [];
  for (const [index, slot] of rules.contacts.entries()) {
    const [start, end] = trimesterWindow(config, hpht, slot.trimester);
    const contact = filled[slot.code];
    const extra = { due_from: start, due_until: end, requires_doctor: slot.doctor };
    let status;
    if (contact) {
      status = 'done';
      Object.assign(extra, { done_on: contact.date, by_doctor: contact.doctor });
    } else {
      status = windowStatus(on, start, end, lookahead);
    }
    if (status === null) continue;
    if (index === 0) {
      extra.timing = k1Timing(contact, on, end);
      if (status === 'missed' && rules.k1_catch_up) {
        status = 'overdue';
        extra.kejar_until = kejarUntil;
      }
    }
    items.push(makeItem(slot.code, 'anc', slot.label, status, rules.source, extra));
  }
  return items;
}

function k1Timing(contact, on, end) {
  if (contact) return contact.trimester === 1 ? 'ideal' : 'kejar';
  return on <= end ? 'ideal' : 'kejar';
}

export function visitItems(config, kind, start, encs, on, lookahead) {
  const rules = config.maternal[kind];
  const visits = encs.filter((enc) => hist.hasService(enc, rules.service_codes)
    && enc._date >= start).map((enc) => enc._date);
  const items = [];
  for (const visit of rules.visits) {
    const [first, last] = [start + visit.from_day, start + visit.until_day];
    const doneOn = visits.find((day) => first <= day && day <= last) ?? null;
    const status = doneOn !== null ? 'done' : windowStatus(on, first, last, lookahead);
    if (status !== null) {
      items.push(makeItem(visit.code, kind, visit.label, status, rules.source,
        { due_from: first, due_until: last, done_on: doneOn }));
    }
  }
  return items;
}

export function nifasVitaminAItem(config, delivered, encs, on, lookahead) {
  const rules = config.maternal.nifas_vitamin_a;
  const [first, last] = [delivered + rules.from_day, delivered + rules.until_day];
  const doneOn = encs.find((enc) => first <= enc._date && enc._date <= last
    && hist.hasService(enc, rules.service_codes))?._date ?? null;
  const status = doneOn !== null ? 'done' : windowStatus(on, first, last, lookahead);
  if (status === null) return null;
  return makeItem(rules.code, 'vitamin_a', rules.label, status, rules.source,
    { due_from: first, due_until: last, done_on: doneOn });
}
