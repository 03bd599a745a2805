// The one findings component of every form that records a contact (Posyandu ukur and catat,
// the Pustu visit, a home visit): as values are typed it shows what the clinical evaluator
// finds (encounterFindings) and, for each finding that calls for action, the follow-up the
// server will create once the record syncs (followUps). The PWA never writes those tasks:
// docs/clinical-rules.md "Findings and follow-up".

import * as clinical from '../clinical/index.js';
import { h, replace } from '../dom.js';
import { formatNumber, t, tMaybe } from '../i18n.js';
import { MEASUREMENTS } from '../validate.js';
import { labTestLabel } from './clinical-labels.js';
import { badge } from './ui.js';

// Adapter until the clinical weight trend (KBM table, 2T) is exported from clinical/index.js:
// a namespace lookup cannot fail to link, so this module loads with or without it.
const { weightTrend } = clinical;
// Finding names under which the evaluator itself may report the trend (then we add nothing).
const TREND_FINDINGS = new Set(['weight_trend', 'trend', 'growth_trend']);
const UNITS = { ...Object.fromEntries(Object.entries(MEASUREMENTS).map(([name, { unit }]) => [name, unit])),
  bp: 'mmHg', glucose: 'mg/dL', weight_trend: 'kg', bmi: 'kg/m²' };
// Growth indices report a z-score (clinical growth), not a measurement.
const Z_FINDINGS = new Set(['bb_u', 'tb_u', 'bb_tb', 'imt_u']);
const GLUCOSE_KINDS = new Set(['GDS', 'GDP', 'GD2PP']);
const MAX_RETRIES = 12;

/** Without the measurement `field` (and its pair), so one bad value hides only its own row. */
function without(encounter, field) {
  const measurements = { ...encounter.measurements };
  const drop = { sbp: ['sbp', 'dbp'], dbp: ['sbp', 'dbp'], glucose_type: ['glucose_mgdl', 'glucose_type'] };
  for (const name of drop[field] ?? [field]) delete measurements[name];
  return { ...encounter, measurements };
}

/** encounterFindings for a half-typed form: a value the evaluator refuses is left out (the
 * form's own check explains it on save) instead of blanking every other finding. */
export function safeFindings(config, { person, encounter, history = [] }) {
  let current = encounter;
  for (let attempt = 0; attempt < MAX_RETRIES; attempt += 1) {
    try {
      return clinical.encounterFindings(config, { person, encounter: current, history });
    } catch (error) {
      if (!error?.field || !(error.field in (current.measurements ?? {}))) return [];
      current = without(current, error.field);
    }
  }
  return [];
}

/** The naik / tidak naik row from the clinical weight trend, when the evaluator has one and
 * did not already report it among the findings. */
export function trendRow(config, rows, { person, history, date, weight_kg }, trend = weightTrend) {
  if (!trend || weight_kg == null || rows.some((row) => TREND_FINDINGS.has(row.finding))) return null;
  let result;
  try {
    result = trend(config, { person, history, date, weight_kg });
  } catch {
    return null; // e.g. an adult: no trend to show
  }
  const label = result?.code ? tMaybe(`trend.${result.code}`) : null;
  if (!label) return null;
  const twoT = Boolean(result.two_t ?? result.twoT);
  const ok = result.code === 'naik' || result.code === 'baru';
  return {
    finding: 'weight_trend', code: result.code, label: twoT ? `${label} · ${t('trend.two_t')}` : label,
    value: weight_kg, tone: twoT ? 'bad' : ok ? 'ok' : 'warn', refer: false,
  };
}

/** Findings, their follow-ups, and whether a referral should be suggested on this form;
 * `worker`: the form is a health worker's (a Pustu, Puskesmas or network clinic visit). */
export function panelState(config, { person, encounter, history = [], worker = false }) {
  const rows = safeFindings(config, { person, encounter, history });
  const trend = trendRow(config, rows, {
    person, history, date: encounter.date, weight_kg: encounter.measurements?.weight_kg ?? null,
  });
  if (trend) rows.push(trend);
  const follow = clinical.followUps(config, { findings: rows });
  return { rows, followUps: follow, referral: suggestedReferral(rows, follow, { worker }) };
}

/** The referral to suggest, or null. The follow-up rules decide where a finding goes: one
 * bound for the Puskesmas, or urgent, is a referral there. A kader also refers whatever the
 * classifier says to refer, to the Pustu; for a health worker a Pustu follow-up is her own
 * task, not a referral. */
export function suggestedReferral(rows, follow, { worker = false } = {}) {
  const found = follow.filter((f) => f.finding !== 'referral');
  const upward = found.some((f) => f.to === 'puskesmas' || f.urgent);
  const refer = rows.some((row) => row.finding !== 'referral' && row.refer);
  if (!upward && (worker || !refer)) return null;
  return { to: upward || worker ? 'Puskesmas' : 'Pustu', urgent: found.some((f) => f.urgent) };
}

/** What was classified, in words: the instrument's name for a screening. */
export function findingName(config, row) {
  if (row.finding === 'screening') return config.instruments.instruments[row.instrument]?.label ?? t('findings.kind.screening');
  if (row.finding === 'lab') return labTestLabel(config, row.test) ?? t('findings.kind.lab');
  return tMaybe(`findings.kind.${row.finding}`) ?? t('findings.kind.other');
}

/** The recorded value with its unit ("150/100 mmHg", "22,5 cm", "skor 8"). */
export function findingValue(row) {
  const { value } = row;
  if (value == null || value === '') return '';
  if (row.finding === 'screening') return t('findings.score', { score: formatNumber(value, 1) });
  if (row.finding === 'lab') return ''; // a coded result: its label is the meaning
  if (row.finding === 'referral') return tMaybe(`findings.to.${String(value).toLowerCase()}`) ?? String(value);
  const shown = typeof value === 'number' ? formatNumber(value, 2) : String(value);
  if (Z_FINDINGS.has(row.finding)) return t('findings.z', { z: shown });
  const unit = UNITS[row.finding];
  const kind = row.finding === 'glucose' && GLUCOSE_KINDS.has(row.name) ? ` · ${row.name}` : '';
  return unit ? `${shown} ${unit}${kind}` : shown;
}

/** The meaning; a finding without a label reads as its tone, never as its code. */
export function findingMeaning(row) {
  return row.label || t(`findings.tone.${row.tone}`);
}

/** "Tugas tindak lanjut untuk Pustu: Tekanan darah tinggi, dalam 7 hari" and the like. A
 * referral that took over other findings' follow-ups (`covers`) reads as its reason, which
 * names them. */
export function followUpLine(follow) {
  const when = follow.urgent || follow.due_in_days <= 0
    ? t('followup.today') : t('followup.within', { n: follow.due_in_days });
  const label = follow.covers?.length && follow.reason ? follow.reason : follow.label;
  if (follow.to !== 'puskesmas') return t('followup.to_pustu', { label, when });
  // Klaster numbers only: anything else (a rule's placeholder) must not reach the screen.
  if (/^\d+$/.test(String(follow.cluster ?? ''))) return t('followup.to_cluster', { label, when, cluster: follow.cluster });
  return t('followup.to_puskesmas', { label, when });
}

function findingsTable(config, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'findings' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('finding.what')),
      h('th', { scope: 'col' }, t('finding.value')), h('th', { scope: 'col' }, t('finding.meaning')))),
    h('tbody', {}, rows.map((row) => h('tr', { dataset: { tone: row.tone, finding: row.finding } },
      h('th', { scope: 'row' }, findingName(config, row)), h('td', {}, findingValue(row)),
      h('td', {}, badge(findingMeaning(row), row.tone),
        row.refer && row.finding !== 'referral' ? badge(t('finding.refer'), 'bad') : null))))));
}

function followUpList(follow) {
  if (!follow.length) return null;
  return h('div', { class: 'followups' },
    h('h3', {}, t('followup.title')),
    h('ul', { 'data-testid': 'followups' }, follow.map((f) => h('li', { dataset: { to: f.to, urgent: String(f.urgent) } },
      f.urgent ? badge(t('followup.urgent'), 'bad') : null, ' ', followUpLine(f)))),
    h('p', { class: 'hint' }, t('followup.server_note')));
}

/** Renders one state: the findings table (or "nothing yet") and the follow-up lines. */
export function renderPanel(config, state) {
  if (!state.rows.length) return [h('p', { class: 'empty' }, t('finding.none'))];
  return [findingsTable(config, state.rows), followUpList(state.followUps)];
}

/**
 * The live component: `update(encounter)` re-evaluates and redraws, returning the state;
 * `encounter` is what the form would store ({date, measurements, screenings, referral}).
 */
export function findingsPanel(config, { person, history = [], worker = false, title = t('findings.title') }) {
  const body = h('div', { class: 'findings-body' });
  const element = h('section', { class: 'card findings-panel', 'aria-live': 'polite', 'data-testid': 'findings-panel' },
    title ? h('h2', {}, title) : null, body);
  let state = { rows: [], followUps: [], referral: null };
  return {
    element,
    get state() { return state; },
    update(encounter) {
      state = panelState(config, { person, encounter, history, worker });
      replace(body, renderPanel(config, state));
      return state;
    },
  };
}
