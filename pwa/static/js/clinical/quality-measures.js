// Data-quality rules on measurements (config/ilp/quality.json kinds implausible_z,
// height_shrink, weight_jump, pulse_pressure, glucose_without_type, hba1c_glucose,
// missing_weight, missing_measure; Python twin: backend/clinical/quality_measures.py). Each
// check reads one person's record (quality.js makeRecord) and answers [record, field, detail].

import { number } from './finding-text.js';
import { roundHalfUp } from './growth.js';

// A measurement of the encounter, null when not taken.
export const measuredOf = (enc, name) => (enc.measurements ?? {})[name] ?? null;

export function implausibleZ(ctx, rule) {
  const limits = ctx.config.growth.implausible;
  const hits = [];
  for (const enc of ctx.encs) {
    const result = ctx.growth(enc);
    if (result === null) continue;
    const fired = rule.params.indices.map((index) => [index, result.indices[index]])
      .filter(([, entry]) => entry && entry.implausible);
    if (fired.length === 0) continue;
    const text = fired.map(([index, entry]) => `${entry.name} z ${number(entry.z)} (batas `
      + `${number(limits[index].lt)} sampai +${number(limits[index].gt)})`).join('; ');
    const weightOnly = fired.every(([index]) => index === 'bb_u');
    const heightOnly = fired.every(([index]) => index === 'tb_u');
    const field = weightOnly ? 'measurements.weight_kg'
      : heightOnly ? 'measurements.height_cm' : 'measurements';
    hits.push([enc, field, `${text}; ${weightHeightText(enc)}`]);
  }
  return hits;
}

function weightHeightText(enc) {
  const parts = [];
  if (measuredOf(enc, 'weight_kg') !== null) parts.push(`berat ${number(measuredOf(enc, 'weight_kg'))} kg`);
  if (measuredOf(enc, 'height_cm') !== null) parts.push(`tinggi ${number(measuredOf(enc, 'height_cm'))} cm`);
  return parts.join(', ');
}

export function heightShrink(ctx, rule) {
  const { params } = rule;
  const hits = [];
  let previous = null;
  for (const enc of ctx.encs) {
    const result = ctx.growth(enc);
    if (result === null || result.height_cm === null) continue;
    const height = result.height_cm;
    if (previous !== null && previous[0]._date < enc._date) {
      const adult = (ctx.months(enc) ?? 0) >= params.adult_from_months;
      const tolerance = adult ? params.adult_tolerance_cm : params.tolerance_cm;
      if (previous[1] - height > tolerance) {
        const before = previous[0];
        hits.push([enc, 'measurements.height_cm',
          `Tinggi ${heightText(enc, height)}, sebelumnya ${heightText(before, previous[1])} `
          + `pada ${ctx.day(before._date)} (toleransi ${number(tolerance)} cm)`]);
      }
    }
    previous = [enc, height];
  }
  return hits;
}

// "84 cm (setara 83,3 cm)" when the lying/standing correction changed it.
function heightText(enc, corrected) {
  const typed = measuredOf(enc, 'height_cm');
  const same = Math.abs(typed - corrected) < 1e-9;
  return `${number(typed)} cm${same ? '' : ` (setara ${number(corrected)} cm)`}`;
}

function bandShare(bands, months) {
  return bands.find((band) => band.lt_months === null || months < band.lt_months).share;
}

export function weightJump(ctx, rule) {
  const { params } = rule;
  const hits = [];
  let previous = null;
  for (const enc of ctx.encs) {
    const weight = measuredOf(enc, 'weight_kg');
    if (weight === null || enc._date < ctx.birth) continue;
    if (previous !== null && previous._date < enc._date
        && enc._date - previous._date <= params.within_days) {
      const before = measuredOf(previous, 'weight_kg');
      const share = bandShare(params.bands, ctx.months(enc) ?? 0);
      const change = (weight - before) / before;
      if (Math.abs(change) > share) {
        const percent = Math.trunc(roundHalfUp(Math.abs(change) * 100, 0));
        hits.push([enc, 'measurements.weight_kg',
          `Berat ${number(weight)} kg, sebelumnya ${number(before)} kg pada `
          + `${ctx.day(previous._date)} (${change > 0 ? 'naik' : 'turun'} ${percent}%, batas `
          + `${Math.trunc(roundHalfUp(share * 100, 0))}%)`]);
      }
    }
    previous = enc;
  }
  return hits;
}

export function pulsePressure(ctx, rule) {
  const { params } = rule;
  const hits = [];
  for (const enc of ctx.encs) {
    const [sbp, dbp] = [measuredOf(enc, 'sbp'), measuredOf(enc, 'dbp')];
    if (sbp === null || dbp === null) continue;
    const gap = sbp - dbp;
    if (gap < params.min_mmhg || gap > params.max_mmhg) {
      const bound = gap < params.min_mmhg ? `kurang dari ${params.min_mmhg}`
        : `lebih dari ${params.max_mmhg}`;
      hits.push([enc, 'measurements.sbp',
        `TD ${number(sbp)}/${number(dbp)} mmHg: selisih ${number(gap)} mmHg, ${bound} mmHg`]);
    }
  }
  return hits;
}

export function glucoseWithoutType(ctx) {
  return ctx.encs.filter((enc) => measuredOf(enc, 'glucose_mgdl') !== null
    && !measuredOf(enc, 'glucose_type'))
    .map((enc) => [enc, 'measurements.glucose_type',
      `Gula darah ${number(measuredOf(enc, 'glucose_mgdl'))} mg/dL tanpa keterangan GDS, GDP atau GD2PP`]);
}

export function hba1cGlucose(ctx, rule) {
  const { params } = rule;
  const hits = [];
  for (const enc of ctx.encs) {
    const [hba1c, glucose] = [measuredOf(enc, 'hba1c_pct'), measuredOf(enc, 'glucose_mgdl')];
    const kind = measuredOf(enc, 'glucose_type');
    if (hba1c === null || glucose === null || !params.glucose_types.includes(kind)) continue;
    const average = params.slope * hba1c + params.intercept;
    if (Math.abs(glucose - average) > params.max_difference_mgdl) {
      hits.push([enc, 'measurements.hba1c_pct',
        `HbA1c ${number(hba1c)}% (rata-rata gula sekitar ${number(average)} `
        + `mg/dL) tetapi ${kind} ${number(glucose)} mg/dL`]);
    }
  }
  return hits;
}

export function missingWeight(ctx, rule) {
  const { params } = rule;
  return ctx.encs.filter((enc) => params.settings.includes(enc.setting)
    && ctx.months(enc) !== null && (enc.posyandu_session || !params.session_only) && ctx.months(enc) < params.until_age_months
    && measuredOf(enc, 'weight_kg') === null)
    .map((enc) => [enc, 'measurements.weight_kg',
      `Balita umur ${ctx.months(enc)} bulan di Posyandu ${ctx.day(enc._date)} tanpa berat badan`]);
}

export function missingMeasure(ctx, rule) {
  const until = rule.params.until_age_months;
  return ctx.encs.filter((enc) => measuredOf(enc, 'height_cm') !== null
    && !measuredOf(enc, 'length_or_height')
    && ctx.months(enc) !== null && ctx.months(enc) < until)
    .map((enc) => [enc, 'measurements.length_or_height',
      `Panjang/tinggi ${number(measuredOf(enc, 'height_cm'))} cm umur ${ctx.months(enc)} `
      + 'bulan tanpa keterangan terlentang atau berdiri']);
}
