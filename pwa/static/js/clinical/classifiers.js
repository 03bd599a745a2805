// Classifiers for single measurements: blood pressure, glucose, adult BMI, waist, Hb, LiLA,
// fever (Python twin: backend/clinical/classifiers.py; cut-offs in classifiers.json).

import * as bands from './bands.js';
import { inAgeRange, parseDate } from './dates.js';
import { ClinicalInputError } from './errors.js';
import { roundHalfUp } from './growth.js';
import * as validate from './validate.js';

function makeSubject(sex, birthDate, date, pregnant = false) {
  const on = date == null ? null : parseDate(date, 'date');
  const birth = birthDate == null ? null : validate.pastDate(birthDate, 'birth_date', on);
  return bands.subject({ sex, birth, on, pregnant });
}

function belowAge(subject, minAge) {
  if (subject.birth === null || subject.on === null) return false;
  return !inAgeRange(subject.birth, subject.on, [minAge, null]);
}

function result(band, labels = null, extra = {}) {
  const label = band.label ?? labels?.[band.code];
  return { category: band.code, label, ...extra };
}

export function classifyBp(config, { sbp, dbp, birth_date = null, date = null }) {
  const [systolic, diastolic] = validate.bloodPressure(config, sbp, dbp);
  const rules = config.classifiers.blood_pressure;
  if (belowAge(makeSubject(null, birth_date, date), rules.min_age)) {
    return { category: null, label: null, refer: false, reason: 'di_bawah_umur' };
  }
  const scheme = rules.schemes[rules.scheme];
  const order = scheme.codes;
  const bySbp = bands.pick(scheme.sbp, systolic).code;
  const byDbp = bands.pick(scheme.dbp, diastolic).code;
  const worst = order.indexOf(byDbp) > order.indexOf(bySbp) ? byDbp : bySbp;
  const refer = systolic >= rules.refer_at.sbp || diastolic >= rules.refer_at.dbp;
  return { category: worst, label: scheme.labels[worst], refer, scheme: rules.scheme };
}

export function classifyGlucose(config, {
  glucose_mgdl = null, glucose_type = null, hba1c_pct = null, symptoms = false,
}) {
  const rules = config.classifiers.glucose;
  const findings = [];
  if (glucose_mgdl !== null) {
    const value = validate.measurement(config, 'glucose_mgdl', glucose_mgdl);
    if (!['GDS', 'GDP', 'GD2PP'].includes(glucose_type)) {
      throw new ClinicalInputError('glucose_type', 'harus GDS, GDP atau GD2PP');
    }
    let code = bands.pick(rules[glucose_type], value).code;
    if (glucose_type === 'GDS' && code === 'diabetes' && !validate.yesNo(symptoms, 'symptoms')) {
      code = rules.gds_without_symptoms;
    }
    findings.push([code, glucose_type]);
  }
  if (hba1c_pct !== null) {
    const value = validate.measurement(config, 'hba1c_pct', hba1c_pct);
    findings.push([bands.pick(rules.hba1c, value).code, 'HbA1c']);
  }
  if (findings.length === 0) {
    throw new ClinicalInputError('glucose_mgdl', 'isi gula darah atau HbA1c');
  }
  const severity = (code) => rules.severity.indexOf(code);
  const code = findings.map(([found]) => found)
    .reduce((worst, found) => (severity(found) > severity(worst) ? found : worst));
  const basis = findings.filter(([found]) => found === code).map(([, source]) => source);
  return { category: code, label: rules.labels[code], refer: rules.refer.includes(code), basis };
}

export function classifyBmi(config, {
  bmi = null, weight_kg = null, height_cm = null, birth_date = null, date = null,
}) {
  const rules = config.classifiers.bmi_adult;
  let raw = bmi;
  if (raw === null) {
    const weight = validate.measurement(config, 'weight_kg', weight_kg);
    const height = validate.measurement(config, 'height_cm', height_cm);
    raw = weight / (height / 100 * (height / 100));
  }
  const value = roundHalfUp(validate.measurement(config, 'bmi', raw), rules.decimals);
  if (belowAge(makeSubject(null, birth_date, date), rules.min_age)) {
    return { bmi: value, category: null, label: null, reason: 'gunakan_imt_u' };
  }
  const scheme = rules.schemes[rules.scheme];
  return result(bands.pick(scheme.bands, value), null, { bmi: value, scheme: rules.scheme });
}

export function classifyWaist(config, { waist_cm, sex }) {
  const value = validate.measurement(config, 'waist_cm', waist_cm);
  return result(bands.pick(config.classifiers.waist.by_sex[validate.sex(sex)], value));
}

function grouped(config, rule, field, value, subject) {
  const checked = validate.measurement(config, field, value);
  const rules = config.classifiers[rule];
  const group = bands.firstGroup(rules.groups, subject);
  if (group === null) return { category: null, label: null, group: null, reason: 'tidak_berlaku' };
  return result(bands.pick(group.bands, checked), rules.labels, { group: group.code });
}

export function classifyHb(config, { hb_gdl, sex, birth_date, date, pregnant = false }) {
  const subject = makeSubject(validate.sex(sex), birth_date, date,
    validate.yesNo(pregnant, 'pregnant'));
  const found = grouped(config, 'hb', 'hb_gdl', hb_gdl, subject);
  return { ...found, anaemic: ![null, 'normal'].includes(found.category) };
}

export function classifyMuac(config, { muac_cm, sex, birth_date, date, pregnant = false }) {
  const subject = makeSubject(validate.sex(sex), birth_date, date,
    validate.yesNo(pregnant, 'pregnant'));
  return grouped(config, 'muac', 'muac_cm', muac_cm, subject);
}

export function classifyFever(config, { temp_c }) {
  const value = validate.measurement(config, 'temp_c', temp_c);
  return result(bands.pick(config.classifiers.fever.bands, value));
}
