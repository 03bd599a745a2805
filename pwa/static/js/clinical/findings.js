// What one encounter found (Python twin: backend/clinical/findings.py). `encounterFindings`
// classifies everything an encounter can record — blood pressure, glucose, adult BMI, waist,
// LiLA, Hb, temperature, a child's z-scores and weight trend (naik / T / 2T), every screening
// instrument including the danger signs, the coded lab results (lab.json: HIV, sifilis, HBsAg,
// BTA, TCM, protein urin...), an explicit referral — as the rows every form shows
// at once; `followUps` (followup-rules.js) gives the task or referral each one leads to — the
// server derives the same from the synced record. Earlier weighings and an ongoing pregnancy
// come from `history`, the person's encounter and pregnancy documents.

import * as classifiers from './classifiers.js';
import { inAgeRange, parseDate } from './dates.js';
import { findingText } from './finding-text.js';
import { ruleFor } from './followup-rules.js';
import { growthZscores } from './growth.js';
import { weightTrend } from './growth-trend.js';
import { scoreInstrument } from './instruments.js';
import { lifeStage } from './lifestage.js';

export { followUps } from './followup-rules.js';

// Categories that need nothing: shown green. Everything else is amber, or red when the
// classifier refers or the follow-up is urgent.
export const TONE_OK = new Set(['normal', 'optimal', 'gizi_baik', 'sesuai', 'mandiri', 'bukan_terduga',
  'bukan_perokok', 'naik', 'baru', 'tidak_ada']);
const ADULT_STAGES = new Set(['dewasa', 'lansia']);
const BALITA_INDICES = ['bb_u', 'tb_u', 'bb_tb'];
const OLDER_CHILD_INDICES = ['tb_u', 'imt_u'];

function row(finding, result, value, extra = {}) {
  const code = result.category;
  if (code == null) return [];
  return [{ finding, code, label: result.label ?? null, value, refer: Boolean(result.refer), ...extra }];
}

function bp(ctx, m) {
  if (m.sbp == null || m.dbp == null) return [];
  return row('bp', classifiers.classifyBp(ctx.config, { sbp: m.sbp, dbp: m.dbp, ...ctx.subject }), `${m.sbp}/${m.dbp}`);
}

function glucose(ctx, m) {
  if (m.glucose_mgdl == null && m.hba1c_pct == null) return [];
  const kind = m.glucose_type || 'GDS';
  const result = classifiers.classifyGlucose(ctx.config, {
    glucose_mgdl: m.glucose_mgdl ?? null, hba1c_pct: m.hba1c_pct ?? null,
    glucose_type: m.glucose_mgdl != null ? kind : null,
  });
  return row('glucose', result, m.glucose_mgdl ?? null, { name: kind, hba1c_pct: m.hba1c_pct ?? null });
}

// Adult BMI and waist; not in pregnancy, when both describe the pregnancy, not the person.
function adultBody(ctx, m) {
  if (ctx.pregnant || !ADULT_STAGES.has(ctx.stage.code)) return [];
  const rows = [];
  if (m.weight_kg != null && m.height_cm != null) {
    const result = classifiers.classifyBmi(ctx.config, { weight_kg: m.weight_kg, height_cm: m.height_cm, ...ctx.subject });
    rows.push(...row('bmi', result, result.bmi));
  }
  if (m.waist_cm != null) {
    rows.push(...row('waist_cm', classifiers.classifyWaist(ctx.config, { waist_cm: m.waist_cm, sex: ctx.person.sex }),
      m.waist_cm));
  }
  return rows;
}

// LiLA (KEK, wasting) and Hb (anaemia): their group follows age, sex and pregnancy.
function grouped(ctx, m) {
  const rows = [];
  for (const [field, classify] of [['muac_cm', classifiers.classifyMuac], ['hb_gdl', classifiers.classifyHb]]) {
    if (m[field] == null) continue;
    const result = classify(ctx.config, { [field]: m[field], sex: ctx.person.sex, pregnant: ctx.pregnant, ...ctx.subject });
    rows.push(...row(field, result, m[field]));
  }
  return rows;
}

function fever(ctx, m) {
  if (m.temp_c == null) return [];
  return row('temp_c', classifiers.classifyFever(ctx.config, { temp_c: m.temp_c }), m.temp_c);
}

function underFive(ctx) {
  const until = ctx.config.growth.weight_trend.until_age_months;
  return inAgeRange(parseDate(ctx.person.birth_date, 'person.birth_date'), parseDate(ctx.date, 'date'), ['P0D', `P${until}M`]);
}

// Z-score categories of a child: BB/U, PB/U-TB/U, BB/PB-BB/TB under five, then TB/U and IMT/U
// (adults use BMI; a pregnant girl's weight describes the pregnancy).
function growth(ctx, m) {
  if (ADULT_STAGES.has(ctx.stage.code) || ctx.pregnant || (m.weight_kg == null && m.height_cm == null)) return [];
  const result = growthZscores(ctx.config, {
    sex: ctx.person.sex, weight_kg: m.weight_kg ?? null, height_cm: m.height_cm ?? null,
    measure: m.length_or_height ?? null, oedema: Boolean(m.oedema), ...ctx.subject,
  });
  return (underFive(ctx) ? BALITA_INDICES : OLDER_CHILD_INDICES).flatMap((index) => {
    const entry = result.indices[index];
    if (!entry) return [];
    const name = entry.reason === 'edema' ? `${entry.name} (edema bilateral)` : entry.name;
    return row(index, entry, entry.z, { name, implausible: Boolean(entry.implausible) });
  });
}

function trend(ctx, m) {
  if (m.weight_kg == null || !underFive(ctx)) return [];
  const found = weightTrend(ctx.config, { person: ctx.person, history: ctx.history, date: ctx.date, weight_kg: m.weight_kg });
  if (found.code == null) return [];
  return [{
    finding: 'weight_trend', code: found.code, label: found.label, value: m.weight_kg, refer: false,
    two_t: found.two_t, letter: found.letter, gain_g: found.gain_g, kbm_g: found.kbm_g,
  }];
}

const MEASUREMENT_COLLECTORS = [bp, glucose, adultBody, grouped, fever, growth, trend];

function resultLabel(spec, code) {
  if (spec.results && !Array.isArray(spec.results) && code in spec.results) return spec.results[code];
  const all = [...(spec.bands ?? []), ...(spec.groups ?? []).flatMap((group) => group.bands)];
  return all.find((band) => band.code === code)?.label ?? null;
}

// What was found, by name: SKILAS domains, or the danger signs answered 'ya'.
function positive(spec, answers, result) {
  if (result.positive_domains?.length) {
    const labels = Object.fromEntries(spec.domains.map((domain) => [domain.id, domain.label]));
    return result.positive_domains.map((code) => labels[code]);
  }
  if (spec.list_positive && answers) return spec.items.filter((item) => [true, 1].includes(answers[item.id])).map((item) => item.short);
  return [];
}

// A screening's result from its answers (the evaluator's, never the device's), else from a
// KPSP-style count of 'ya', else from the stored result.
function screeningRows(ctx, screening) {
  const { instrument } = screening;
  const spec = ctx.config.instruments.instruments[instrument];
  if (!spec) return [];
  const person = { sex: ctx.person.sex ?? null, ...ctx.subject };
  let result;
  if (screening.answers && Object.keys(screening.answers).length) {
    result = scoreInstrument(ctx.config, { instrument, answers: screening.answers, ...person });
  } else if (screening.score != null && spec.count_entry === 'ya_count') {
    result = scoreInstrument(ctx.config, { instrument, ya_count: screening.score, ...person });
  } else if (screening.result) {
    const code = screening.result;
    result = { result: code, label: resultLabel(spec, code), refer: (spec.refer ?? []).includes(code), score: screening.score ?? null };
  } else {
    return [];
  }
  return [{
    finding: 'screening', instrument, code: result.result, label: result.label, value: result.score ?? null,
    refer: Boolean(result.refer), urgent: Boolean(result.urgent), positive: positive(spec, screening.answers, result),
  }];
}

// A row per coded lab result (lab.json categorical tests) with the test's short name; refer and
// normal come from the result in lab.json. Lab numbers for Hb, glucose, cholesterol and HbA1c
// are measurements (classified above); other numbers (asam urat) and a test or result code
// lab.json does not list give no row (the lab form refuses them; a synced record keeps its
// other findings).
function labRows(ctx, results) {
  const tests = Object.fromEntries(ctx.config.lab.tests.map((test) => [test.code, test]));
  return results.flatMap((item) => {
    const test = Object.hasOwn(tests, item.test) ? tests[item.test] : null;
    if (!test || test.kind !== 'categorical') return [];
    const result = test.results.find((one) => one.code === item.result);
    if (!result) return [];
    return [{
      finding: 'lab', test: test.code, name: test.short, code: result.code, label: result.label.id,
      value: result.label.id, refer: Boolean(result.refer), normal: Boolean(result.normal),
    }];
  });
}

function referralRows(referral) {
  if (!referral?.to) return [];
  return [{
    finding: 'referral', code: 'dirujuk', label: `Dirujuk ke ${referral.to}`, value: referral.to, refer: true,
    urgent: Boolean(referral.urgent), to: referral.to, reason: referral.reason ?? null,
  }];
}

function finish(config, stage, found) {
  found.flags = stage.flags;
  found.stage = stage.code;
  const rule = ruleFor(config, found);
  found.rule = rule ? rule.code : null;
  const urgent = Boolean(rule?.action.urgent);
  const normal = TONE_OK.has(found.code) || Boolean(found.normal);
  found.tone = found.refer || urgent ? 'bad' : !rule && normal ? 'ok' : 'warn';
  found.text = findingText(config, found);
  return found;
}

/** Every classification of one encounter, in form order (docs/clinical-rules.md). Each row:
 * {finding, code, label, value, text, tone, refer, rule, flags, stage, …}. */
export function encounterFindings(config, { person, encounter, history = [] }) {
  const { date } = encounter;
  const others = (history ?? []).filter((doc) => doc._id !== encounter._id);
  const stage = lifeStage(config, { person, history: others, date });
  const ctx = {
    config, person, date, history: others, stage, pregnant: stage.flags.includes('hamil'),
    subject: { birth_date: person.birth_date, date },
  };
  const measured = encounter.measurements ?? {};
  const found = MEASUREMENT_COLLECTORS.flatMap((collect) => collect(ctx, measured));
  for (const screening of encounter.screenings ?? []) found.push(...screeningRows(ctx, screening));
  found.push(...labRows(ctx, encounter.lab_results ?? []));
  found.push(...referralRows(encounter.referral));
  return found.map((one) => finish(config, stage, one));
}
