// Pieces of a visit shared by the Posyandu steps and the Pustu visit form: which
// measurements a person's group gets (docs/domain.md §3), the services and counselling topics
// offered, and how to tell a visit already saved. What the measurements mean is the clinical
// evaluator's, shown by the findings component (findings-panel.js).

import { app } from '../app.js';
import { dueList, route } from '../clinical/index.js';
import { inAgeRange, parseDate } from '../clinical/dates.js';
import { h } from '../dom.js';
import { field } from '../forms.js';
import { t } from '../i18n.js';
import { MEASUREMENTS } from '../validate.js';

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

/** balita | anak | remaja (15-17: BP and glucose too) | hamil | dewasa (adults, lansia). */
export function measurementGroup(facts) {
  if (!facts) return 'dewasa';
  if (facts.flags.includes('hamil')) return 'hamil';
  if (CHILD_STAGES.includes(facts.code)) return 'balita';
  if (SCHOOL_STAGES.includes(facts.code)) return facts.age.years >= 15 ? 'remaja' : 'anak';
  return 'dewasa';
}

/** The cluster a visit outside the Puskesmas flow records (Posyandu, Pustu, a screening on
 * its own): the routing rule of config/ilp/routing.json with an empty arrival (no emergency, no
 * symptoms), so klaster 2 for pregnancy, nifas and the under-18s, klaster 3 from 18 years.
 * '2' when the record cannot be evaluated (a birth date after `date`), as before. */
export function visitCluster(config, person, date) {
  try {
    return route(config, { person, history: app.records.history(person._id), date, arrival: {} }).cluster;
  } catch {
    return '2';
  }
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

/** Services the kader may give at Posyandu beyond the due list (codes in the encounter). */
export function extraServices(group, facts, person) {
  const months = facts?.age.months ?? 0;
  return [
    ['obat_cacing', group === 'balita' && months >= 12],
    ['pmt', group === 'balita' || group === 'hamil'],
    ['ttd', group === 'hamil' || (person.sex === 'P' && (group === 'remaja' || (group === 'anak' && facts.age.years >= 12)))],
    ['kb', Boolean(facts?.eligible?.kb)], // pasangan usia subur (config/ilp/lifestages.json reproductive)
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

// Finding names (clinical encounterFindings) that call for nutrition counselling.
const NUTRITION_FINDINGS = ['growth', 'bb_u', 'tb_u', 'bb_tb', 'imt_u', 'weight_trend', 'trend', 'bmi', 'muac_cm'];

/** The group's counselling topics as [topic, suggested], those the visit's findings and
 * screenings call for first. `visit.findings` are the rows the catat step kept. */
export function counsellingTopics(group, visit, facts) {
  const rows = visit.findings ?? [];
  const abnormal = (...names) => rows.some((row) => names.includes(row.finding ?? row.kind) && row.tone !== 'ok');
  const referred = (instrument) => visit.screenings?.[instrument]?.refer;
  const wanted = new Set();
  if (group === 'balita') {
    wanted.add(facts.age.months < 6 ? 'asi_eksklusif' : facts.age.months < 24 ? 'mpasi' : 'gizi_seimbang');
  }
  if (group === 'hamil') wanted.add('tanda_bahaya_hamil');
  if (abnormal(...NUTRITION_FINDINGS)) wanted.add('gizi_seimbang');
  if (abnormal('bp')) wanted.add('hipertensi');
  if (abnormal('glucose')) wanted.add('diabetes');
  if (referred('srq20')) wanted.add('kesehatan_jiwa');
  if (visit.screenings?.merokok?.result === 'perokok') wanted.add('berhenti_merokok');
  // Family planning is counselled to couples of reproductive age and to pregnant women.
  const topics = TOPICS[group].filter((topic) => topic !== 'kb' || group === 'hamil' || facts?.eligible?.kb);
  const offered = topics.filter((topic) => !wanted.has(topic));
  return [...[...wanted].filter((topic) => topics.includes(topic)).map((topic) => [topic, true]),
    ...offered.map((topic) => [topic, false])];
}

// What makes two visits the same record: a second save of one visit (a double tap that got
// through, the back button after saving) must not store it twice.
function visitSignature(encounter) {
  const sorted = (list, key) => (list ?? []).map(key).sort().join(',');
  return JSON.stringify([encounter.person, encounter.date, encounter.setting, encounter.measurements ?? {},
    sorted(encounter.services, (s) => `${s.code}:${s.detail ?? ''}`), sorted(encounter.diagnoses, (d) => d.icd10),
    sorted(encounter.immunizations, (i) => `${i.vaccine}:${i.dose}`), encounter.referral?.to ?? '', encounter.notes ?? '']);
}

/** The already stored encounter `candidate` would repeat, or null. */
export function duplicateVisit(encounters, candidate) {
  const signature = visitSignature(candidate);
  return encounters.find((enc) => !enc._deleted && !enc.posyandu_session && visitSignature(enc) === signature) ?? null;
}

/** Whether the person lives outside the user's desa: a referral is then their own Pustu's to
 * make (the server would refuse the follow-up's scope anyway), so the form says so first. */
export function outsideArea(person, scopes) {
  return !person.desa || !(scopes ?? []).includes(person.desa);
}
