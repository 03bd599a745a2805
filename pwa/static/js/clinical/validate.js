// Input checks shared by the evaluators: impossible values throw ClinicalInputError naming
// the field, so a typo never becomes a classification (Python twin: validate.py).

import { parseDate } from './dates.js';
import { ClinicalInputError } from './errors.js';

export function number(value, field, low = null, high = null) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ClinicalInputError(field, 'harus berupa angka');
  }
  if ((low !== null && value < low) || (high !== null && value > high)) {
    throw new ClinicalInputError(field, `di luar rentang yang mungkin (${low}-${high})`);
  }
  return value;
}

export function measurement(config, field, value) {
  const [low, high] = config.classifiers.input_limits[field];
  return number(value, field, low, high);
}

export function integer(value, field, low, high) {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new ClinicalInputError(field, `harus bilangan bulat ${low}-${high}`);
  }
  return value;
}

export function yesNo(value, field) {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw new ClinicalInputError(field, 'jawaban harus ya/tidak (true/false)');
}

export function sex(value, field = 'sex') {
  if (value !== 'L' && value !== 'P') {
    throw new ClinicalInputError(field, 'jenis kelamin harus L atau P');
  }
  return value;
}

export function pastDate(value, field, on) {
  const parsed = parseDate(value, field);
  if (parsed > on) throw new ClinicalInputError(field, 'tanggal di masa depan');
  return parsed;
}

export function bloodPressure(config, sbp, dbp) {
  const systolic = measurement(config, 'sbp', sbp);
  const diastolic = measurement(config, 'dbp', dbp);
  if (diastolic >= systolic) {
    throw new ClinicalInputError('dbp', 'diastolik harus lebih rendah dari sistolik');
  }
  return [systolic, diastolic];
}
