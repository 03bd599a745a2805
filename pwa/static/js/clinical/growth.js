// Child anthropometry: WHO z-scores and Permenkes 2/2020 categories
// (Python twin: backend/clinical/growth.py; same arithmetic in the same order, so both give
// the same digits). WHO 2006 by day to 1856 days, WHO 2007 by month (LMS interpolated) from
// 61 to 228 months; restricted tails beyond +/-3 SD for weight-based indices; 0.7 cm
// length/height correction.

import * as bands from './bands.js';
import { parseDate } from './dates.js';
import { ClinicalInputError } from './errors.js';
import * as validate from './validate.js';

const EPSILON = 1e-9;
const LMS = ['l', 'm', 's'];

export function roundHalfUp(value, decimals) {
  const factor = 10 ** decimals;
  return Math.floor(value * factor + 0.5) / factor;
}

export function lmsZ(x, [power, median, cv], restricted) {
  const z = Math.abs(power) < EPSILON
    ? Math.log(x / median) / cv
    : ((x / median) ** power - 1) / (power * cv);
  if (!restricted || (z >= -3 && z <= 3)) return z;
  const sd = (k) => median * (1 + power * cv * k) ** (1 / power);
  if (z > 3) return 3 + (x - sd(3)) / (sd(3) - sd(2));
  return -3 + (x - sd(-3)) / (sd(-2) - sd(-3));
}

export function lookup(table, sex, key) {
  const position = (key - table.start) / table.step;
  const nearest = Math.floor(position + 0.5);
  const exact = Math.abs(position - nearest) < EPSILON;
  const low = exact ? nearest : Math.floor(position);
  const columns = table[sex];
  const size = columns.m.length;
  if (low < 0 || low >= size) return null;
  const fraction = exact ? 0 : position - low;
  if (fraction && low + 1 >= size) return null;
  let row = LMS.map((name) => columns[name][low]);
  if (fraction) row = row.map((v, i) => v + fraction * (columns[LMS[i]][low + 1] - v));
  return row;
}

export function growthZscores(config, {
  sex, weight_kg = null, height_cm = null, measure = null, oedema = false,
  age_days = null, birth_date = null, date = null,
}) {
  const checkedSex = validate.sex(sex);
  const days = ageDays(age_days, birth_date, date);
  const weight = weight_kg === null ? null : validate.measurement(config, 'weight_kg', weight_kg);
  let height = height_cm === null ? null : validate.measurement(config, 'height_cm', height_cm);
  if (![null, 'lying', 'standing'].includes(measure)) {
    throw new ClinicalInputError('measure', 'harus lying atau standing');
  }
  const { growth } = config;
  const position = days < growth.length_height.lying_until_days ? 'lying' : 'standing';
  height = correctedHeight(growth, height, measure, position);
  const reference = referenceFor(growth, days);
  const result = {
    age_days: days, reference, position,
    height_cm: height === null ? null : roundHalfUp(height, 2), bmi: null, indices: {},
  };
  if (reference === null) return result;
  const ageKey = reference === 'who2006' ? days : days / growth.days_per_month;
  const bmi = weight === null || height === null ? null : weight / (height / 100 * (height / 100));
  result.bmi = bmi === null ? null : roundHalfUp(bmi, 2);
  const measures = [['bb_u', weight, ageKey, 'bb_u'], ['tb_u', height, ageKey, 'tb_u'],
    ['imt_u', bmi, ageKey, 'imt_u']];
  if (reference === 'who2006' && weight !== null && height !== null) {
    measures.push(['bb_tb', weight, height, position === 'lying' ? 'bb_pb' : 'bb_tb']);
  }
  for (const [index, value, key, tableName] of measures) {
    if (value !== null) {
      result.indices[index] = indexEntry(config, reference, index, tableName, checkedSex, value,
        key, position, oedema);
    }
  }
  return result;
}

function ageDays(ageDaysValue, birthDate, on) {
  if (ageDaysValue !== null) return validate.integer(ageDaysValue, 'age_days', 0, 7000);
  const when = parseDate(on, 'date');
  return when - validate.pastDate(birthDate, 'birth_date', when);
}

function correctedHeight(growth, height, measure, position) {
  if (height === null || measure === null || measure === position) return height;
  const correction = growth.length_height.correction_cm;
  return position === 'lying' ? height + correction : height - correction;
}

function referenceFor(growth, days) {
  const refs = growth.references;
  if (days <= refs.who2006.max_age_days) return 'who2006';
  const months = days / growth.days_per_month;
  const { who2007 } = refs;
  if (months >= who2007.min_age_months && months < who2007.until_age_months) return 'who2007';
  return null;
}

function indexEntry(config, reference, index, tableName, sex, value, key, position, oedema) {
  const { growth } = config;
  const { names } = growth.indices[index];
  const entry = { name: names[reference] ?? names[position], z: null, category: null, label: null };
  const restricted = growth.restricted_tails.includes(index);
  if (oedema && restricted) return oedemaEntry(growth, reference, index, entry);
  const table = config.who[reference][tableName];
  let tableKey = key;
  if (reference === 'who2007') {
    if (index === 'bb_u' && key >= growth.references.who2007.wfa_until_age_months) {
      return { ...entry, reason: 'di_luar_rentang' };
    }
    // WHO's files repeat the last month's row for the month after it.
    tableKey = Math.min(key, table.start + (table[sex].m.length - 1) * table.step);
  }
  const lms = lookup(table, sex, tableKey);
  if (lms === null) return { ...entry, reason: 'di_luar_rentang' };
  const z = roundHalfUp(lmsZ(value, lms, restricted), growth.z_decimals);
  entry.z = z;
  const limits = growth.implausible[index];
  entry.implausible = z < limits.lt || z > limits.gt;
  const categoryBands = categoryTable(growth, reference, index);
  if (categoryBands !== null) {
    const band = bands.pick(categoryBands, z);
    entry.category = band.code;
    entry.label = band.label;
  }
  return entry;
}

function oedemaEntry(growth, reference, index, entry) {
  const result = { ...entry, reason: 'edema' };
  const categoryBands = categoryTable(growth, reference, index);
  if (index !== 'bb_u' && categoryBands !== null) {
    const code = growth.oedema.category;
    result.category = code;
    result.label = categoryBands.find((band) => band.code === code).label;
  }
  return result;
}

export function categoryTable(growth, reference, index) {
  const bandsOrLink = growth.categories[reference][index];
  if (typeof bandsOrLink === 'string') {
    const [otherReference, otherIndex] = bandsOrLink.split('.');
    return growth.categories[otherReference][otherIndex];
  }
  return bandsOrLink;
}
