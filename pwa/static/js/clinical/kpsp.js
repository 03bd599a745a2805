// Which KPSP form a child is asked (Python twin: backend/clinical/kpsp.py): the age in months
// rounded as the SDIDTK pedoman rounds it, then the form of that age or, between two forms, the
// younger one (config/ilp/instruments.json `kpsp.form_age`). No form exists below the first or
// above the last age, so a KPSP there is refused, never scored on a neighbouring form.

import { addMonths, completedMonths, parseDate } from './dates.js';
import { ClinicalInputError } from './errors.js';
import * as validate from './validate.js';

/** `{form, age_months, items}`: the form's age in months, the rounded age, its items. */
export function kpspForm(config, { birth_date = null, date = null }) {
  const spec = config.instruments.instruments.kpsp;
  if (birth_date === null || date === null) return ageForm(spec, null, null);
  const on = parseDate(date, 'date');
  return ageForm(spec, validate.pastDate(birth_date, 'birth_date', on), on);
}

/** The form of an instrument with one form per age (`forms`, `form_age`); day-number dates. */
export function ageForm(spec, birth, on) {
  if (birth === null || on === null) {
    throw new ClinicalInputError('birth_date',
      'tanggal lahir dan tanggal pemeriksaan diperlukan untuk memilih formulir KPSP');
  }
  const months = roundedMonths(birth, on, spec.form_age.round_up_days);
  const ages = spec.forms.map((form) => form.months);
  if (months < ages[0] || months > ages[ages.length - 1]) {
    throw new ClinicalInputError('age',
      `KPSP hanya untuk umur ${ages[0]}–${ages[ages.length - 1]} bulan; umur anak ${months} bulan`);
  }
  const form = spec.forms.filter((candidate) => candidate.months <= months).pop();
  return { form: form.months, age_months: months, items: form.items };
}

/** Completed months, plus one when the days left over reach `roundUpDays`. */
export function roundedMonths(birth, on, roundUpDays) {
  const months = completedMonths(birth, on);
  return on - addMonths(birth, months) >= roundUpDays ? months + 1 : months;
}
