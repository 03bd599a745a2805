// Naik / tidak naik: a child's weight trend by the minimum weight gain (KBM) of the Kemenkes
// growth-monitoring guidance (Python twin: backend/clinical/growth_trend.py; table in
// config/ilp/growth.json `weight_trend`). The KMS joins last month's dot to this month's, so
// the comparison is with the latest weighing of the previous calendar month: none ever is B,
// none last month is O, a gain of at least the KBM is N, less is T; two T in a row is 2T.

import * as bands from './bands.js';
import { completedMonths, monthOf, parseDate, toIso, yearOf } from './dates.js';
import { roundHalfUp } from './growth.js';
import * as hist from './history.js';
import * as validate from './validate.js';

const monthKey = (day) => yearOf(day) * 12 + monthOf(day);

function weighings(config, history, on) {
  const found = [];
  for (const enc of hist.encounters(history, on)) {
    const weight = enc.measurements?.weight_kg;
    if (weight != null) found.push({ _date: enc._date, weight_kg: validate.measurement(config, 'weight_kg', weight) });
  }
  return found;
}

// The trend of one weighing against the weighings of the months before it.
function trend(rules, birth, all, on, weight) {
  const months = completedMonths(birth, on);
  const kbm = bands.pick(rules.kbm_g, months).kbm;
  const earlier = all.filter((w) => monthKey(w._date) < monthKey(on));
  const base = { age_months: months, kbm_g: kbm, gain_g: null, previous: null };
  if (!earlier.length) return { ...base, code: 'baru' };
  const last = earlier[earlier.length - 1];
  if (monthKey(last._date) !== monthKey(on) - 1) return { ...base, code: 'tidak_ditimbang_bulan_lalu', previous: last };
  const gain = roundHalfUp((weight - last.weight_kg) * 1000, 0);
  return { ...base, code: gain >= kbm ? 'naik' : 'tidak_naik', gain_g: gain, previous: last };
}

/** {code, letter, label, two_t, age_months, kbm_g, gain_g, previous, previous_code}; weighings in
 * the month of `date` or later are ignored, so the encounter being judged may be in `history`. */
export function weightTrend(config, { person, history = [], date, weight_kg }) {
  const on = parseDate(date, 'date');
  const birth = validate.pastDate(person.birth_date, 'person.birth_date', on);
  const weight = validate.measurement(config, 'weight_kg', weight_kg);
  const rules = config.growth.weight_trend;
  const months = completedMonths(birth, on);
  if (months >= rules.until_age_months) {
    return { code: null, letter: null, label: null, two_t: false, age_months: months, reason: 'di_luar_umur' };
  }
  const all = weighings(config, history ?? [], on);
  const result = trend(rules, birth, all, on, weight);
  const { previous } = result;
  let previousCode = null;
  if (previous) {
    previousCode = trend(rules, birth, all, previous._date, previous.weight_kg).code;
    result.previous = { date: toIso(previous._date), weight_kg: previous.weight_kg };
  }
  const twoT = result.code === 'tidak_naik' && previousCode === 'tidak_naik';
  return {
    ...result, letter: twoT ? '2T' : rules.letters[result.code], label: rules.labels[twoT ? 'two_t' : result.code],
    two_t: twoT, previous_code: previousCode,
  };
}
