// Ordered threshold bands and `when` conditions (Python twin: backend/clinical/bands.py).
// Bands are read top to bottom: `lt` (below), `le` (at or below), or no bound (the rest).

import { inAgeRange } from './dates.js';
import { ClinicalInputError } from './errors.js';

export function pick(bands, value) {
  for (const band of bands) {
    if ('lt' in band) {
      if (value < band.lt) return band;
    } else if ('le' in band) {
      if (value <= band.le) return band;
    } else {
      return band;
    }
  }
  throw new Error('bands must end with an unbounded band');
}

export function matches(when, subject) {
  if ('pregnant' in when && Boolean(subject.pregnant) !== when.pregnant) return false;
  if ('sex' in when && subject.sex !== when.sex) return false;
  if ('age' in when) {
    if (subject.birth == null || subject.on == null) {
      throw new ClinicalInputError('birth_date', 'umur diperlukan untuk aturan ini');
    }
    return inAgeRange(subject.birth, subject.on, when.age);
  }
  return true;
}

export function firstGroup(groups, subject) {
  return groups.find((group) => matches(group.when, subject)) ?? null;
}

export function subject({ sex = null, birth = null, on = null, pregnant = false } = {}) {
  return { sex, birth, on, pregnant };
}
