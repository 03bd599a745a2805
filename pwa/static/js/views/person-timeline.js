// The visit timeline of a person page, read like a Buku KIA: every measurement with its unit,
// every screening result, service, vaccine dose and diagnosis in words, where and by whom it
// was recorded, and what the visit found, each finding in the tone the clinical evaluator
// gives it (encounterFindings, docs/clinical-rules.md "Findings and follow-up").

import { app } from '../app.js';
import { encounterFindings } from '../clinical/index.js';
import { parseDate } from '../clinical/dates.js';
import { h } from '../dom.js';
import { formatDate, formatNumber, t, tMaybe } from '../i18n.js';
import { icd10Name } from '../icd10.js';
import { placeLabel } from '../place-label.js';
import { placeName } from './places.js';
import { badge, card, empty } from './ui.js';

function numberText(key, value) {
  return t(`record.m.${key}`, { value: formatNumber(value, 2) });
}

const simple = (key) => (m) => numberText(key, m[key]);

// In the order a Buku KIA page lists them; position, pressure pair and glucose type are
// written with the value they qualify.
const TEXTS = {
  weight_kg: simple('weight_kg'),
  height_cm: (m, grown) => numberText(m.length_or_height ? `height_cm.${m.length_or_height}` : grown ? 'height_cm.tall' : 'height_cm', m.height_cm),
  head_circ_cm: simple('head_circ_cm'),
  muac_cm: simple('muac_cm'),
  waist_cm: simple('waist_cm'),
  temp_c: simple('temp_c'),
  sbp: (m) => (m.dbp != null ? t('record.m.bp', { sbp: m.sbp, dbp: m.dbp }) : null),
  glucose_mgdl: (m) => numberText(m.glucose_type ? `glucose.${m.glucose_type}` : 'glucose', m.glucose_mgdl),
  hb_gdl: simple('hb_gdl'),
  hba1c_pct: simple('hba1c_pct'),
  cholesterol_mgdl: simple('cholesterol_mgdl'),
  oedema: (m) => (m.oedema ? t('record.m.oedema') : null),
};

/** "BB 9,8 kg", "PB 72,3 cm (berbaring)", "TD 150/95 mmHg", "Gula darah sewaktu 215 mg/dL", …
 * `grown`: past the age of lying measurement, so a height without a position reads "TB". */
export function measurementTexts(measurements = {}, grown = false) {
  return Object.entries(TEXTS).filter(([key]) => measurements[key] != null)
    .map(([, text]) => text(measurements, grown)).filter(Boolean);
}

function grownAt(config, person, date) {
  try {
    return parseDate(date, 'date') - parseDate(person.birth_date, 'birth_date') >= config.growth.length_height.lying_until_days;
  } catch {
    return false; // an unreadable date: say "PB/TB" rather than guess
  }
}

export function doseLabel(config, imm) {
  const dose = config.immunization.doses.find((d) => d.vaccine === imm.vaccine && d.dose === imm.dose);
  const name = dose?.label ?? (imm.dose ? t('record.dose', { vaccine: imm.vaccine, dose: imm.dose }) : imm.vaccine);
  return imm.timing === 'kejar' ? `${name} (${t('record.kejar')})` : name;
}

function serviceText(service) {
  const name = tMaybe(`service.${service.code}`) ?? t('record.service.other');
  const detail = service.code === 'penyuluhan' ? tMaybe(`topic.${service.detail}`) : service.detail;
  const bits = [detail, service.quantity != null ? t('record.quantity', { n: formatNumber(service.quantity) }) : null]
    .filter(Boolean);
  return bits.length ? `${name}: ${bits.join(', ')}` : name;
}

function diagnosisText(diagnosis) {
  const name = icd10Name(diagnosis.icd10) ?? diagnosis.text ?? null;
  const kase = diagnosis.case ? ` (${t(`record.case.${diagnosis.case}`)})` : '';
  return `${diagnosis.icd10}${name ? ` ${name}` : ''}${kase}`;
}

function instrumentName(config, code) {
  return config.instruments.instruments[code]?.label ?? t('record.instrument.other');
}

function findingsOf(config, person, encounter, history) {
  try {
    return encounterFindings(config, { person, encounter, history });
  } catch {
    return []; // a record the evaluator cannot classify is still listed, without tones
  }
}

/** The evaluator's own reading of a finding ("TD 168/98 mmHg (hipertensi derajat 2)"), in
 * its tone; the referral has its own line. */
function findingBadge(row) {
  if (row.finding === 'referral' || !row.text) return null;
  return badge(row.text, row.tone);
}

/** Screenings the evaluator did not classify (an unknown instrument) still say what was done. */
function unclassifiedScreenings(config, encounter, rows) {
  const classified = new Set(rows.filter((row) => row.finding === 'screening').map((row) => row.instrument));
  return (encounter.screenings ?? []).filter((s) => !classified.has(s.instrument))
    .map((s) => t('record.screened', { name: instrumentName(config, s.instrument) }));
}

function referralText(referral) {
  const base = t('record.referred', { to: referral.to });
  const reason = referral.reason ? `: ${referral.reason}` : '';
  return `${base}${reason}${referral.urgent ? ` (${t('record.urgent')})` : ''}`;
}

function line(label, items) {
  return items.length ? h('p', { class: 'tl-line' }, h('span', { class: 'tl-label' }, label), ' ', items.join(' · ')) : null;
}

function whereText(encounter) {
  const setting = t(`setting.${encounter.setting}`);
  const where = placeLabel(setting, encounter.place ? placeName(encounter.place) : '');
  const cluster = encounter.cluster ? tMaybe(`record.cluster.${encounter.cluster}`) : null;
  return [where, cluster].filter(Boolean).join(' · ');
}

/** "Mengoreksi catatan 3 Nov 2026" on a correction, "Dikoreksi 5 Nov 2026" on what it corrects. */
function correctionNote(encounter, correctedBy) {
  if (encounter.corrects) {
    const original = app.records.get(encounter.corrects);
    return t('record.corrects', { date: original ? formatDate(original.date) : '—' });
  }
  const later = correctedBy.get(encounter._id);
  return later ? t('record.corrected', { date: formatDate(later.date) }) : null;
}

function entry(config, person, encounter, history, correctedBy) {
  const rows = findingsOf(config, person, encounter, history);
  const badges = rows.map(findingBadge).filter(Boolean);
  const body = [
    line(t('record.measured'), measurementTexts(encounter.measurements, grownAt(config, person, encounter.date))),
    line(t('record.screening'), unclassifiedScreenings(config, encounter, rows)),
    line(t('record.immunization'), (encounter.immunizations ?? []).map((imm) => doseLabel(config, imm))),
    line(t('record.services'), (encounter.services ?? []).map(serviceText)),
    line(t('record.diagnoses'), (encounter.diagnoses ?? []).map(diagnosisText)),
    encounter.referral ? h('p', { class: 'tl-line tl-referral' }, referralText(encounter.referral)) : null,
    badges.length ? h('p', { class: 'tl-findings', 'aria-label': t('record.findings') }, badges) : null,
    encounter.notes ? h('p', { class: 'tl-notes' }, encounter.notes) : null,
  ].filter(Boolean);
  return h('li', {},
    h('p', { class: 'tl-head' }, h('strong', {}, formatDate(encounter.date)), ' · ', whereText(encounter)),
    encounter.provider ? h('p', { class: 'meta' }, t('record.by', { name: encounter.provider })) : null,
    correctionNote(encounter, correctedBy) ? h('p', { class: 'meta tl-correction' }, correctionNote(encounter, correctedBy)) : null,
    body.length ? body : h('p', { class: 'meta' }, t('timeline.no_detail')));
}

/** Where a derived task came from, in words: "dari kunjungan 3 Nov 2026 · Posyandu Melati". */
export function originText(task) {
  const encounter = task.origin ? app.records.get(task.origin) : null;
  if (!encounter) return null;
  return t('record.task_origin', { date: formatDate(encounter.date), where: whereText(encounter) });
}

export function timelineCard(config, person) {
  const encounters = app.records.encounters(person._id);
  const history = app.records.history(person._id);
  const correctedBy = new Map(encounters.filter((enc) => enc.corrects).map((enc) => [enc.corrects, enc]));
  return card(t('person.timeline'), encounters.length
    ? h('ol', { class: 'timeline', 'data-testid': 'timeline' },
      encounters.map((enc) => entry(config, person, enc, history, correctedBy)))
    : empty(t('timeline.empty')));
}
