// What one encounter found, and the follow-up each finding calls for
// (Python twin: backend/clinical/findings.py; rules in config/ilp/followup.json).
// `encounterFindings` gives the rows every form shows at once; `followUps` gives the task or
// referral each finding leads to — the server derives the same from the synced record.

import * as classifiers from './classifiers.js';
import { scoreInstrument } from './instruments.js';
import { lifeStage } from './lifestage.js';

export const TONE_OK = new Set(['normal', 'optimal', 'gizi_baik', 'sesuai', 'mandiri', 'bukan_terduga',
  'bukan_perokok', 'naik', 'baru']);

function add(found, finding, result, value) {
  const code = result.category;
  if (code == null) return;
  const refer = Boolean(result.refer);
  const tone = refer ? 'bad' : TONE_OK.has(code) ? 'ok' : 'warn';
  found.push({ finding, code, label: result.label ?? null, value, tone, refer });
}

function resultLabel(spec, code) {
  if (spec.results && !Array.isArray(spec.results) && code in spec.results) return spec.results[code];
  const all = [...(spec.bands ?? []), ...(spec.groups ?? []).flatMap((group) => group.bands)];
  return all.find((band) => band.code === code)?.label ?? null;
}

function addScreening(config, found, person, screening, date) {
  const { instrument } = screening;
  const spec = config.instruments.instruments[instrument];
  if (!spec) return;
  let result;
  if (screening.answers && Object.keys(screening.answers).length) {
    result = scoreInstrument(config, {
      instrument, answers: screening.answers, sex: person.sex ?? null, birth_date: person.birth_date ?? null, date,
    });
  } else if (screening.result) {
    const code = screening.result;
    result = { result: code, label: resultLabel(spec, code), refer: (spec.refer ?? []).includes(code) };
  } else {
    return;
  }
  const refer = Boolean(result.refer);
  found.push({
    finding: 'screening', instrument, code: result.result, label: result.label,
    value: screening.score ?? result.score ?? null,
    tone: refer ? 'bad' : TONE_OK.has(result.result) ? 'ok' : 'warn', refer,
  });
}

/** Every classification of one encounter, in form order (docs/clinical-rules.md). */
export function encounterFindings(config, { person, encounter, history = [] }) {
  const { date } = encounter;
  const others = (history ?? []).filter((doc) => doc._id !== encounter._id);
  const stage = lifeStage(config, { person, history: others, date });
  const subject = { birth_date: person.birth_date, date };
  const pregnant = stage.flags.includes('hamil');
  const found = [];
  const measured = encounter.measurements ?? {};
  if (measured.sbp != null && measured.dbp != null) {
    add(found, 'bp', classifiers.classifyBp(config, { sbp: measured.sbp, dbp: measured.dbp, ...subject }),
      `${measured.sbp}/${measured.dbp}`);
  }
  if (measured.glucose_mgdl != null) {
    add(found, 'glucose', classifiers.classifyGlucose(config, {
      glucose_mgdl: measured.glucose_mgdl, glucose_type: measured.glucose_type ?? 'GDS',
    }), measured.glucose_mgdl);
  }
  for (const [field, classify] of [['muac_cm', classifiers.classifyMuac], ['hb_gdl', classifiers.classifyHb]]) {
    if (measured[field] == null) continue;
    add(found, field, classify(config, { [field]: measured[field], sex: person.sex, pregnant, ...subject }),
      measured[field]);
  }
  for (const screening of encounter.screenings ?? []) addScreening(config, found, person, screening, date);
  const referral = encounter.referral;
  if (referral?.to) {
    found.push({
      finding: 'referral', code: 'dirujuk', label: 'Dirujuk', value: referral.to, tone: 'bad', refer: true,
      to: referral.to, reason: referral.reason ?? null,
    });
  }
  for (const row of found) row.flags = stage.flags;
  return found;
}

function matches(when, row) {
  if ('refer' in when && Boolean(row.refer) !== when.refer) return false;
  if ('category' in when && !when.category.includes(row.code)) return false;
  if ('flag' in when && !(row.flags ?? []).includes(when.flag)) return false;
  if ('instrument' in when && !when.instrument.includes(row.instrument)) return false;
  return true;
}

/** One follow-up per finding a followup.json rule matches, in rule order, one per rule. */
export function followUps(config, { findings }) {
  const out = new Map();
  for (const row of findings) {
    const rule = config.followup.rules.find((r) => r.finding === row.finding && matches(r.when, row));
    if (!rule || out.has(rule.code)) continue;
    const { action } = rule;
    let { to } = action;
    if (to === 'referral') to = String(row.to ?? '').toLowerCase().startsWith('puskesmas') ? 'puskesmas' : 'pustu';
    const detail = row.finding === 'referral' ? row.reason : row.label;
    const reason = detail ? `${rule.label}: ${detail} (${row.value})` : rule.label;
    out.set(rule.code, {
      rule: rule.code, finding: row.finding, label: rule.label, reason: reason.slice(0, 300), to,
      cluster: action.cluster ?? null, due_in_days: action.due_in_days, urgent: Boolean(action.urgent),
      source: rule.source,
    });
  }
  return [...out.values()];
}
