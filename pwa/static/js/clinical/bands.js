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

export function matches(when, facts) {
  if ('pregnant' in when && Boolean(facts.pregnant) !== when.pregnant) return false;
  if ('sex' in when && facts.sex !== when.sex) return false;
  if ('age' in when) {
    if (facts.birth == null || facts.on == null) {
      throw new ClinicalInputError('birth_date', 'umur diperlukan untuk aturan ini');
    }
    return inAgeRange(facts.birth, facts.on, when.age);
  }
  return true;
}

export function firstGroup(groups, facts) {
  return groups.find((group) => matches(group.when, facts)) ?? null;
}

export function subject({ sex = null, birth = null, on = null, pregnant = false } = {}) {
  return { sex, birth, on, pregnant };
}
