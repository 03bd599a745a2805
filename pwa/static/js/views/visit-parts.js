// Pieces of a visit shared by the Posyandu steps and the Pustu visit form: which
// measurements a person's group gets (docs/domain.md §3), what they mean (the clinical evaluator's
// classifiers and z-scores), and the services and counselling topics offered.

import { app } from '../app.js';
import {
  classifyBmi, classifyBp, classifyFever, classifyGlucose, classifyHb, classifyMuac, classifyWaist,
  dueList, growthZscores,
} from '../clinical/index.js';
import { inAgeRange, parseDate } from '../clinical/dates.js';
import { h } from '../dom.js';
import { field } from '../forms.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { MEASUREMENTS } from '../validate.js';
import { badge } from './ui.js';

const CHILD_STAGES = ['bayi', 'baduta', 'balita'];
const SCHOOL_STAGES = ['anak_prasekolah', 'usia_sekolah', 'remaja'];
// Measurements per group, in the order the kader takes them (docs/domain.md §3).
const GROUP_FIELDS = {
  balita: ['weight_kg', 'height_cm', 'head_circ_cm', 'muac_cm', 'temp_c'],
  anak: ['weight_kg', 'height_cm', 'temp_c'],
  remaja: ['weight_kg', 'height_cm', 'bp', 'glucose', 'hb_gdl', 'temp_c'],
  hamil: ['weight_kg', 'muac_cm', 'bp', 'hb_gdl', 'temp_c'],
  dewasa: ['weight_kg', 'height_cm', 'waist_cm', 'bp', 'glucose', 'temp_c'],
};
const OK_CODES = new Set(['normal', 'gizi_baik', 'optimal', 'tinggi', 'naik', 'baru']);
// Categories that need action today even when the classifier does not say "refer".
const SEVERE_CODES = new Set(['sangat_kurang', 'sangat_pendek', 'gizi_buruk', 'obesitas', 'anemia_berat']);

/** balita | anak | remaja (15-17: BP and glucose too) | hamil | dewasa (adults, lansia). */
export function measurementGroup(facts) {
  if (!facts) return 'dewasa';
  if (facts.flags.includes('hamil')) return 'hamil';
  if (CHILD_STAGES.includes(facts.code)) return 'balita';
  if (SCHOOL_STAGES.includes(facts.code)) return facts.age.years >= 15 ? 'remaja' : 'anak';
  return 'dewasa';
}

/** Klaster 2 (ibu dan anak, and any pregnant woman) or klaster 3 (dewasa, lansia). */
export function clusterFor(facts) {
  return facts && ['dewasa', 'lansia'].includes(facts.code) && !facts.flags.includes('hamil') ? '3' : '2';
}

/** 'lying' before 24 months, as WHO measures length; the evaluator corrects either way. */
export function defaultPosition(facts) {
  return facts && facts.age.months < 24 ? 'lying' : 'standing';
}

function measurementField(name, values) {
  const rule = MEASUREMENTS[name];
  return field({ name, label: t(`measure.${name}`), type: 'decimal', unit: rule.unit, value: values[name] });
}

export function measurementFields(group, facts, values = {}) {
  return GROUP_FIELDS[group].map((name) => {
    if (name === 'bp') {
      return h('div', { class: 'row' }, measurementField('sbp', values), measurementField('dbp', values));
    }
    if (name === 'glucose') {
      return h('div', { class: 'row' }, measurementField('glucose_mgdl', values),
        field({ name: 'glucose_type', label: t('measure.glucose_type'), type: 'select', value: values.glucose_type,
          options: ['GDS', 'GDP', 'GD2PP'].map((code) => [code, t(`measure.glucose.${code}`)]) }));
    }
    if (name === 'height_cm' && group === 'balita') {
      return h('div', { class: 'row' }, measurementField('height_cm', values),
        field({ name: 'length_or_height', label: t('measure.position'), type: 'radio',
          value: values.length_or_height ?? defaultPosition(facts),
          options: [['lying', t('measure.lying')], ['standing', t('measure.standing')]] }));
    }
    return measurementField(name, values);
  });
}

/** The last weight before `date` from the person's encounters (for naik / tidak naik). */
function previousWeight(personId, date) {
  return app.records.encounters(personId)
    .find((enc) => enc.date < date && enc.measurements?.weight_kg != null) ?? null;
}

/** SKDN: N (naik) / T (tidak naik) against last month's weighing; B first ever; O missed. */
export function weightTrend(person, weight, date) {
  const previous = previousWeight(person._id, date);
  if (!previous) return { code: 'baru', previous: null };
  const [year, month] = date.split('-').map(Number);
  const lastMonth = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
  if (!previous.date.startsWith(lastMonth)) return { code: 'tidak_ditimbang', previous };
  return { code: weight > previous.measurements.weight_kg ? 'naik' : 'tidak_naik', previous };
}

function finding(kind, label, value, result) {
  const code = result?.category;
  const tone = result?.refer || SEVERE_CODES.has(code) ? 'bad' : OK_CODES.has(code) ? 'ok' : 'warn';
  return { kind, label, value, text: result?.label ?? '', tone, refer: Boolean(result?.refer) };
}

function attempt(compute) {
  try {
    return compute();
  } catch {
    return null; // an input the evaluator cannot classify is shown without a class
  }
}

/** What the measurements mean for this person, as rows for the "catat" step. */
export function findings(config, person, facts, measured, date) {
  const rows = [];
  const base = { birth_date: person.birth_date, date };
  const pregnant = facts?.flags.includes('hamil') ?? false;
  if (measured.weight_kg != null && facts && facts.age.years < 19) {
    const growth = attempt(() => growthZscores(config, {
      sex: person.sex, weight_kg: measured.weight_kg, height_cm: measured.height_cm ?? null,
      measure: measured.length_or_height ?? null, ...base,
    }));
    for (const entry of Object.values(growth?.indices ?? {})) {
      if (entry.z === null) continue;
      rows.push(finding('growth', entry.name, `z ${formatNumber(entry.z, 2)}`, entry));
    }
    if (CHILD_STAGES.includes(facts.code)) {
      const trend = weightTrend(person, measured.weight_kg, date);
      const previous = trend.previous
        ? t('finding.previous', { kg: formatNumber(trend.previous.measurements.weight_kg), date: formatDate(trend.previous.date) }) : '';
      rows.push({ kind: 'trend', label: t('finding.trend'), value: previous, text: t(`trend.${trend.code}`),
        tone: OK_CODES.has(trend.code) ? 'ok' : 'warn', refer: false });
    }
  }
  if (facts && facts.age.years >= 18 && !pregnant && measured.weight_kg != null && measured.height_cm != null) {
    const bmi = attempt(() => classifyBmi(config, { weight_kg: measured.weight_kg, height_cm: measured.height_cm, ...base }));
    if (bmi?.category) rows.push(finding('bmi', t('finding.bmi'), formatNumber(bmi.bmi), bmi));
  }
  if (measured.sbp != null) {
    const bp = attempt(() => classifyBp(config, { sbp: measured.sbp, dbp: measured.dbp, ...base }));
    if (bp?.category) rows.push(finding('bp', t('finding.bp'), `${measured.sbp}/${measured.dbp}`, bp));
  }
  if (measured.glucose_mgdl != null) {
    const glucose = attempt(() => classifyGlucose(config, { glucose_mgdl: measured.glucose_mgdl, glucose_type: measured.glucose_type }));
    if (glucose) rows.push(finding('glucose', t('finding.glucose'), `${formatNumber(measured.glucose_mgdl)} (${measured.glucose_type})`, glucose));
  }
  if (measured.waist_cm != null) {
    const waist = attempt(() => classifyWaist(config, { waist_cm: measured.waist_cm, sex: person.sex }));
    if (waist) rows.push(finding('waist', t('finding.waist'), `${formatNumber(measured.waist_cm)} cm`, waist));
  }
  for (const [name, classify] of [['muac_cm', classifyMuac], ['hb_gdl', classifyHb]]) {
    if (measured[name] == null) continue;
    const result = attempt(() => classify(config, { [name]: measured[name], sex: person.sex, pregnant, ...base }));
    if (result?.category) rows.push(finding(name, t(`measure.${name}`), formatNumber(measured[name]), result));
  }
  if (measured.temp_c != null) {
    const fever = attempt(() => classifyFever(config, { temp_c: measured.temp_c }));
    if (fever) rows.push(finding('temp', t('finding.temp'), `${formatNumber(measured.temp_c)} °C`, fever));
  }
  return rows;
}

export function findingsTable(rows) {
  if (!rows.length) return h('p', { class: 'empty' }, t('finding.none'));
  return h('table', { class: 'findings' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('finding.what')),
      h('th', { scope: 'col' }, t('finding.value')), h('th', { scope: 'col' }, t('finding.meaning')))),
    h('tbody', {}, rows.map((row) => h('tr', { dataset: { tone: row.tone } },
      h('th', { scope: 'row' }, row.label), h('td', {}, row.value),
      h('td', {}, badge(row.text, row.tone), row.refer ? badge(t('finding.refer'), 'bad') : null)))));
}

/** Services the kader may give at Posyandu beyond the due list (codes in the encounter). */
export function extraServices(group, facts, person) {
  const months = facts?.age.months ?? 0;
  return [
    ['obat_cacing', group === 'balita' && months >= 12],
    ['pmt', group === 'balita' || group === 'hamil'],
    ['ttd', group === 'hamil' || (person.sex === 'P' && (group === 'remaja' || (group === 'anak' && facts.age.years >= 12)))],
    ['kb', group === 'dewasa' && person.sex === 'P' && facts?.age.years < 50],
  ].filter(([, shown]) => shown).map(([code]) => code);
}

/**
 * What a visit on `date` can give, from the due list: immunizations (due list items), service
 * codes (vitamin A, TTD, and the extras above), maternal contacts (ANC/KN/KF: a health
 * worker's), and the screening instruments due.
 */
export function serviceOptions(config, person, facts, group, date) {
  let items = [];
  try {
    items = dueList(config, { person, history: app.records.history(person._id), date }).items
      .filter((item) => item.status === 'due' || item.status === 'overdue');
  } catch {
    // a record the evaluator cannot read still gets the services any visit offers
  }
  const rules = new Map(config.screenings.rules.map((rule) => [rule.code, rule]));
  const of = (kind) => items.filter((item) => item.kind === kind);
  return {
    immunizations: of('immunization'),
    services: [...new Set([
      ...of('vitamin_a').map(() => 'vitamin_a'),
      ...of('service').flatMap((item) => rules.get(item.code)?.what.services ?? []),
      ...extraServices(group, facts, person),
    ])],
    maternal: items.filter((item) => ['anc', 'kn', 'kf'].includes(item.kind)),
    instruments: [...new Set(of('screening').map((item) => rules.get(item.code)?.what.instrument).filter(Boolean))],
  };
}

/** Instruments a screening rule offers at this person's age and sex on `date`, due or not,
 * for a screening done on request (conditions like "smoker" are the health worker's call). */
export function applicableInstruments(config, person, facts, date) {
  const [birth, on] = [parseDate(person.birth_date, 'birth_date'), parseDate(date, 'date')];
  const found = config.screenings.rules.filter(({ who, what }) => {
    if (!what.instrument || (who.sex && who.sex !== person.sex)) return false;
    if (who.pregnant) return facts.flags.includes('hamil');
    return Boolean(who.age) && inAgeRange(birth, on, who.age);
  }).map((rule) => rule.what.instrument);
  return [...new Set(found)].filter((code) => code in config.instruments.instruments);
}

/** The chosen due-list immunizations, by due-list code, as the encounter stores them. */
export function givenImmunizations(options, codes, date) {
  return Object.fromEntries(options.immunizations.filter((item) => codes.includes(item.code))
    .map((item) => [item.code, { vaccine: item.vaccine, dose: item.dose, timing: item.timing, date }]));
}

// Counselling topics offered to each group (Juknis ILP, Posyandu table 5).
const TOPICS = {
  balita: ['asi_eksklusif', 'mpasi', 'gizi_seimbang', 'stimulasi', 'imunisasi', 'cuci_tangan'],
  anak: ['gizi_seimbang', 'imunisasi', 'aktivitas_fisik', 'cuci_tangan'],
  remaja: ['gizi_seimbang', 'aktivitas_fisik', 'berhenti_merokok', 'kesehatan_jiwa', 'cuci_tangan'],
  hamil: ['tanda_bahaya_hamil', 'gizi_seimbang', 'asi_eksklusif', 'kb', 'imunisasi', 'kesehatan_jiwa', 'cuci_tangan'],
  dewasa: ['gizi_seimbang', 'aktivitas_fisik', 'hipertensi', 'diabetes', 'berhenti_merokok', 'kesehatan_jiwa', 'kb',
    'cuci_tangan'],
};

/** The group's counselling topics as [topic, suggested], those the visit's findings and
 * screenings call for first. */
export function counsellingTopics(group, visit, facts) {
  const rows = visit.findings ?? [];
  const abnormal = (kind) => rows.some((row) => row.kind === kind && row.tone !== 'ok');
  const referred = (instrument) => visit.screenings?.[instrument]?.refer;
  const wanted = new Set();
  if (group === 'balita') {
    wanted.add(facts.age.months < 6 ? 'asi_eksklusif' : facts.age.months < 24 ? 'mpasi' : 'gizi_seimbang');
  }
  if (group === 'hamil') wanted.add('tanda_bahaya_hamil');
  if (['growth', 'trend', 'bmi', 'muac_cm'].some(abnormal)) wanted.add('gizi_seimbang');
  if (abnormal('bp')) wanted.add('hipertensi');
  if (abnormal('glucose')) wanted.add('diabetes');
  if (referred('srq20')) wanted.add('kesehatan_jiwa');
  if (visit.screenings?.merokok?.result === 'perokok') wanted.add('berhenti_merokok');
  const offered = TOPICS[group].filter((topic) => !wanted.has(topic));
  return [...[...wanted].filter((topic) => TOPICS[group].includes(topic)).map((topic) => [topic, true]),
    ...offered.map((topic) => [topic, false])];
}
