// Checks of what a user typed, with messages in the user's language. They mirror the server's
// schemas (backend/documents/schemas.py; measurement limits come from the clinical config),
// so a saved document is one the server accepts; warnings (a NIK that disagrees with the
// birth date, docs/domain.md §10) never block a save.

import { parseDecimal } from './forms.js';
import { t } from './i18n.js';

const digits = (n) => new RegExp(`^\\d{${n}}$`);
const PHONE = /^\+?\d{8,15}$/;

/** The measurements the forms offer: the unit shown and whether decimals are refused. Their
 * ranges are not copied here: they come from the clinical config (classifiers.json
 * input_limits), the limits the evaluators use and tests/foundation/test_measurement_limits.py
 * holds equal to backend MeasurementsSchema. */
export const MEASUREMENTS = {
  weight_kg: { unit: 'kg' },
  height_cm: { unit: 'cm' },
  head_circ_cm: { unit: 'cm' },
  muac_cm: { unit: 'cm' },
  waist_cm: { unit: 'cm' },
  sbp: { unit: 'mmHg', integer: true },
  dbp: { unit: 'mmHg', integer: true },
  temp_c: { unit: '°C' },
  glucose_mgdl: { unit: 'mg/dL' },
  hb_gdl: { unit: 'g/dL' },
};

/** [min, max] of a measurement from the clinical config; a missing limit is a config bug. */
export function measurementLimit(config, name) {
  const limit = config.classifiers.input_limits[name];
  if (!Array.isArray(limit) || limit.length !== 2) throw new Error(`classifiers.json: no input limit for ${name}`);
  return limit;
}

function text(values, name, { required = false, max = 120, pattern, message } = {}, errors) {
  const value = (values[name] ?? '').trim();
  if (!value) {
    if (required) errors[name] = t('valid.required');
    return undefined;
  }
  if (value.length > max) errors[name] = t('valid.too_long', { max });
  else if (pattern && !pattern.test(value)) errors[name] = message;
  return value;
}

function pastDate(value, today, errors, name, required) {
  if (!value) {
    if (required) errors[name] = t('valid.required');
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) errors[name] = t('valid.date');
  else if (value > today) errors[name] = t('valid.future');
  else if (value < '1900-01-01') errors[name] = t('valid.too_old');
  return value;
}

/** An age in whole years typed instead of an unknown birth date: mid-year of that year. */
function estimatedBirth(years, today) {
  const guess = `${Number(today.slice(0, 4)) - years}-07-01`;
  return guess > today ? today : guess;
}

export function checkPerson(values, today) {
  const errors = {};
  const fields = {
    name: text(values, 'name', { required: true }, errors),
    sex: values.sex || undefined,
    nik: text(values, 'nik', { pattern: digits(16), message: t('valid.nik') }, errors),
    phone: text(values, 'phone', { pattern: PHONE, message: t('valid.phone') }, errors),
    jkn: text(values, 'jkn', { pattern: digits(13), message: t('valid.jkn') }, errors),
    relation: values.relation || undefined,
    household: values.household || undefined,
    mother: values.mother || undefined,
  };
  if (!fields.sex) errors.sex = t('valid.required');
  if (values.age_years && !values.birth_date) {
    const years = Number(values.age_years);
    if (!Number.isInteger(years) || years < 0 || years > 120) errors.age_years = t('valid.age');
    else {
      fields.birth_date = estimatedBirth(years, today);
      fields.birth_date_estimated = true;
    }
  } else {
    fields.birth_date = pastDate(values.birth_date, today, errors, 'birth_date', true);
    fields.birth_date_estimated = values.birth_date_estimated ? true : undefined;
  }
  // The NIK against the birth date and sex is a data-quality rule (clinical/quality.js): a
  // warning the form shows, never an error here.
  return { errors, fields };
}

export function checkHousehold(values) {
  const errors = {};
  const fields = {
    head_name: text(values, 'head_name', { required: true }, errors),
    no_kk: text(values, 'no_kk', { pattern: digits(16), message: t('valid.kk') }, errors),
    address: text(values, 'address', { max: 300 }, errors),
    rt: text(values, 'rt', { pattern: /^\d{1,3}$/, message: t('valid.rt') }, errors),
    rw: text(values, 'rw', { pattern: /^\d{1,3}$/, message: t('valid.rt') }, errors),
    dusun: text(values, 'dusun', {}, errors),
    posyandu: values.posyandu || undefined,
    phone: text(values, 'phone', { pattern: PHONE, message: t('valid.phone') }, errors),
    desa: values.desa || undefined,
  };
  if (!fields.desa) errors.desa = t('valid.required');
  return { errors, fields };
}

/** Measurements typed at Posyandu or Pustu: numbers within the clinical config's limits,
 * blood pressure as a pair. */
export function checkMeasurements(config, values) {
  const errors = {};
  const measured = {};
  for (const [name, rule] of Object.entries(MEASUREMENTS)) {
    const value = parseDecimal(values[name]);
    if (value === null) continue;
    const [min, max] = measurementLimit(config, name);
    if (Number.isNaN(value) || (rule.integer && !Number.isInteger(value))) {
      errors[name] = t(rule.integer ? 'valid.integer' : 'valid.number');
    } else if (value < min || value > max) {
      errors[name] = t('valid.range', { min, max, unit: rule.unit });
    } else {
      measured[name] = value;
    }
  }
  if (('sbp' in measured) !== ('dbp' in measured) && !errors.sbp && !errors.dbp) {
    errors.dbp = t('valid.bp_pair');
  } else if (measured.dbp >= measured.sbp) {
    errors.dbp = t('valid.bp_order');
  }
  if ('glucose_mgdl' in measured) {
    if (!values.glucose_type) errors.glucose_type = t('valid.glucose_type');
    else measured.glucose_type = values.glucose_type;
  }
  if ('height_cm' in measured && values.length_or_height) {
    measured.length_or_height = values.length_or_height;
  }
  return { errors, measured };
}
