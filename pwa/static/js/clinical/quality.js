// Data-quality rules over one person's record: values that cannot be true or contradict each
// other (Python twin: backend/clinical/quality.py; rules and sources in config/ilp/quality.json;
// docs/review.md "Rules"). The tablet uses entryWarnings to say "Periksa lagi: …" while a visit
// or a registration is typed, offline, from the local record; the server keeps qualityFlags
// for the Puskesmas review. A warning, never a refusal.

import { completedMonths, parseDate, toIso } from './dates.js';
import { ClinicalInputError } from './errors.js';
import { number } from './finding-text.js';
import { growthZscores, roundHalfUp } from './growth.js';
import * as hist from './history.js';
import { hphtOf } from './pregnancy.js';

const DRAFT_ID = 'draft';

// [{doc_id, doc_type, rule, field, detail, date}] of every rule firing on the person and
// their encounters and pregnancies, ordered by record date, record id, then rule order.
export function qualityFlags(config, { person, records = [] }) {
  const ctx = makeRecord(config, person, records ?? []);
  const found = [];
  config.quality.rules.forEach((rule, order) => {
    let hits;
    try {
      hits = KINDS[rule.kind](ctx, rule);
    } catch (error) {
      if (!(error instanceof ClinicalInputError)) throw error;
      return; // a value the evaluator cannot read: nothing to judge this rule on
    }
    for (const [doc, field, detail] of hits) {
      found.push([order, {
        doc_id: doc._id ?? null, doc_type: doc.type ?? null, rule: rule.id, field, detail,
        date: recordDate(doc),
      }]);
    }
  });
  const key = ([order, flag]) => [flag.date ?? '', flag.doc_id ?? '', order];
  found.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i += 1) {
      if (x[i] < y[i]) return -1;
      if (x[i] > y[i]) return 1;
    }
    return 0;
  });
  return found.map(([, flag]) => flag);
}

// [{rule, field, label, detail}] of the warn_on_entry rules firing on `draft` (an encounter
// being recorded for `person`, or the person being registered or edited), judged against
// the person's local history as the review will judge it after sync.
export function entryWarnings(config, { person, history = [], draft = null }) {
  let subject = person;
  let records = [...(history ?? [])];
  if (draft === null || draft.type === 'person') {
    subject = { ...(draft ?? person), type: 'person', _id: DRAFT_ID };
  } else {
    records.push({ type: 'encounter', ...draft, _id: DRAFT_ID });
  }
  const rules = new Map(config.quality.rules.filter((rule) => rule.warn_on_entry)
    .map((rule) => [rule.id, rule]));
  let flags;
  try {
    flags = qualityFlags(config, { person: subject, records });
  } catch (error) {
    if (!(error instanceof ClinicalInputError)) throw error;
    return []; // a draft without a readable date or birth date: nothing to judge yet
  }
  return flags.filter((flag) => flag.doc_id === DRAFT_ID && rules.has(flag.rule))
    .map((flag) => ({
      rule: flag.rule, field: flag.field, label: rules.get(flag.rule).label.id,
      detail: flag.detail,
    }));
}

// The date a record belongs to: an encounter's date; a pregnancy's HPHT, else the day it was
// recorded; a person's registration day.
export function recordDate(doc) {
  if (doc.type === 'encounter') return doc.date ?? null;
  if (doc.type === 'pregnancy' && doc.hpht) return doc.hpht;
  return typeof doc.created_at === 'string' ? doc.created_at.slice(0, 10) : null;
}

// "3 Okt 2026", the way the PWA shows a date in id-ID.
export function dayText(config, day) {
  const [year, month, date] = toIso(day).split('-').map(Number);
  return `${date} ${config.quality.months[month - 1]} ${year}`;
}

function makeRecord(config, person, records) {
  const birth = parseDate(person.birth_date, 'person.birth_date');
  const growthOf = new Map();
  const ctx = {
    config, person, birth,
    encs: hist.encounters(records, Infinity),
    pregnancies: hist.pregnancies(records),
    months: (enc) => (enc._date < birth ? null : completedMonths(birth, enc._date)),
    day: (value) => dayText(config, value),
    growth(enc) {
      if (!growthOf.has(enc)) growthOf.set(enc, evaluateGrowth(ctx, enc));
      return growthOf.get(enc);
    },
  };
  return ctx;
}

function evaluateGrowth(ctx, enc) {
  const measured = enc.measurements ?? {};
  if (enc._date < ctx.birth || (measured.weight_kg == null && measured.height_cm == null)) {
    return null;
  }
  try {
    return growthZscores(ctx.config, {
      sex: ctx.person.sex, weight_kg: measured.weight_kg ?? null,
      height_cm: measured.height_cm ?? null, measure: measured.length_or_height ?? null,
      oedema: Boolean(measured.oedema), birth_date: ctx.person.birth_date, date: enc.date,
    });
  } catch (error) {
    if (!(error instanceof ClinicalInputError)) throw error;
    return null;
  }
}

const measuredOf = (enc, name) => (enc.measurements ?? {})[name] ?? null;

function implausibleZ(ctx, rule) {
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

function heightShrink(ctx, rule) {
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

function weightJump(ctx, rule) {
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

function pulsePressure(ctx, rule) {
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

function glucoseWithoutType(ctx) {
  return ctx.encs.filter((enc) => measuredOf(enc, 'glucose_mgdl') !== null
    && !measuredOf(enc, 'glucose_type'))
    .map((enc) => [enc, 'measurements.glucose_type',
      `Gula darah ${number(measuredOf(enc, 'glucose_mgdl'))} mg/dL tanpa keterangan GDS, GDP atau GD2PP`]);
}

function hba1cGlucose(ctx, rule) {
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

// [day, month, two-digit year, sex] written in digits 7-12 of a 16-digit NIK; null when
// there is no NIK. The day may be impossible; the caller judges it.
function nikDate(nik, offset) {
  if (typeof nik !== 'string' || !/^\d{16}$/.test(nik)) return null;
  const [day, month, year] = [nik.slice(6, 8), nik.slice(8, 10), nik.slice(10, 12)].map(Number);
  const female = day > offset;
  return [female ? day - offset : day, month, year, female ? 'P' : 'L'];
}

// The year ending in `twoDigits` closest to `near` (the recorded birth year).
function century(twoDigits, near) {
  const base = near - (near % 100) + twoDigits;
  return [base - 100, base, base + 100].reduce(
    (best, year) => (Math.abs(year - near) < Math.abs(best - near) ? year : best));
}

const pad = (value) => String(value).padStart(2, '0');

function calendarDay(year, month, day) {
  try {
    return parseDate(`${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`, 'nik');
  } catch (error) {
    if (!(error instanceof ClinicalInputError)) throw error;
    return null;
  }
}

function nikBirthDate(ctx, rule) {
  const { person, birth } = ctx;
  const written = nikDate(person.nik, rule.params.female_day_offset);
  if (written === null) return [];
  const [day, month, twoDigits] = written;
  const birthYear = Number(toIso(birth).slice(0, 4));
  const year = century(twoDigits, birthYear);
  const said = calendarDay(year, month, day);
  const nik = person.nik;
  if (said === null) {
    return [[person, 'nik', `NIK ${nik} memuat tanggal lahir yang tidak ada `
      + `(${nik.slice(6, 8)}-${nik.slice(8, 10)}-${nik.slice(10, 12)})`]];
  }
  if (person.birth_date_estimated) {
    if (Math.abs(year - birthYear) <= rule.params.estimated_year_tolerance) return [];
    return [[person, 'birth_date',
      `NIK menyebut lahir ${ctx.day(said)}, tanggal lahir perkiraan ${ctx.day(birth)}`]];
  }
  if (said === birth) return [];
  return [[person, 'birth_date', `NIK menyebut lahir ${ctx.day(said)}, tercatat ${ctx.day(birth)}`]];
}

function nikSex(ctx, rule) {
  const { person } = ctx;
  const written = nikDate(person.nik, rule.params.female_day_offset);
  if (written === null || written[0] < 1 || written[0] > 31 || written[3] === person.sex) return [];
  const said = written[3] === 'P' ? 'perempuan' : 'laki-laki';
  const recorded = person.sex === 'P' ? 'perempuan' : 'laki-laki';
  return [[person, 'sex',
    `NIK menandakan ${said} (tanggal ${person.nik.slice(6, 8)}), jenis kelamin tercatat ${recorded}`]];
}

function pregnancyWithoutHpht(ctx, rule) {
  return ctx.pregnancies.filter((doc) => rule.params.statuses.includes(doc.status)
    && !doc.hpht && !doc.hpl)
    .map((doc) => [doc, 'hpht',
      'Kehamilan tanpa HPHT dan tanpa HPL: umur kehamilan dan K1-K6 tidak bisa dihitung']);
}

function beforeBirth(ctx, rule) {
  const slack = ctx.person.birth_date_estimated ? rule.params.estimated_tolerance_days : 0;
  const limit = ctx.birth - slack;
  return ctx.encs.filter((enc) => enc._date < limit)
    .map((enc) => [enc, 'date',
      `Kunjungan ${ctx.day(enc._date)}, sebelum tanggal lahir ${ctx.day(ctx.birth)}`]);
}

function afterDeath(ctx) {
  if (!ctx.person.deceased_date) return [];
  const died = parseDate(ctx.person.deceased_date, 'person.deceased_date');
  return ctx.encs.filter((enc) => enc._date > died)
    .map((enc) => [enc, 'date',
      `Kunjungan ${ctx.day(enc._date)}, setelah tanggal meninggal ${ctx.day(died)}`]);
}

function missingWeight(ctx, rule) {
  const { params } = rule;
  return ctx.encs.filter((enc) => params.settings.includes(enc.setting)
    && ctx.months(enc) !== null && (enc.posyandu_session || !params.session_only) && ctx.months(enc) < params.until_age_months
    && measuredOf(enc, 'weight_kg') === null)
    .map((enc) => [enc, 'measurements.weight_kg',
      `Balita umur ${ctx.months(enc)} bulan di Posyandu ${ctx.day(enc._date)} tanpa berat badan`]);
}

function missingMeasure(ctx, rule) {
  const until = rule.params.until_age_months;
  return ctx.encs.filter((enc) => measuredOf(enc, 'height_cm') !== null
    && !measuredOf(enc, 'length_or_height')
    && ctx.months(enc) !== null && ctx.months(enc) < until)
    .map((enc) => [enc, 'measurements.length_or_height',
      `Panjang/tinggi ${number(measuredOf(enc, 'height_cm'))} cm umur ${ctx.months(enc)} `
      + 'bulan tanpa keterangan terlentang atau berdiri']);
}

// [pregnancy, first day, last day]: HPHT (or HPL - 280 days) to the delivery, else
// `maxDays` later; unknown bounds are null.
function pregnancySpans(ctx, maxDays) {
  return ctx.pregnancies.map((doc) => {
    const raw = hphtOf(ctx.config, doc);
    const start = raw ? parseDate(raw, 'pregnancy.hpht') : null;
    const delivered = (doc.delivery ?? {}).date;
    let end = null;
    if (delivered) end = parseDate(delivered, 'delivery.date');
    else if (start !== null) end = start + maxDays;
    return [doc, start, end];
  });
}

const covers = ([, start, end], day) => start === null || (start <= day && (end === null || day <= end));

function ancWithoutPregnancy(ctx, rule) {
  const codes = ctx.config.maternal.anc.service_codes;
  const spans = pregnancySpans(ctx, rule.params.pregnancy_max_days);
  const hits = [];
  for (const enc of ctx.encs) {
    if (!(hist.hasService(enc, codes) || enc.pregnancy)) continue;
    const own = spans.filter((span) => !enc.pregnancy || span[0]._id === enc.pregnancy);
    if (!own.some((span) => covers(span, enc._date))) {
      hits.push([enc, 'pregnancy',
        `Layanan ANC ${ctx.day(enc._date)} tanpa catatan kehamilan yang mencakup tanggal itu`]);
    }
  }
  return hits;
}

function ancUnlinked(ctx, rule) {
  const { params } = rule;
  const { maternal } = ctx.config;
  const codes = [...maternal.anc.service_codes, ...maternal.kf.service_codes];
  const spans = pregnancySpans(ctx, params.pregnancy_max_days).filter((span) => span[1] !== null);
  const hits = [];
  for (const enc of ctx.encs) {
    // linked, ANC, or a postnatal (KF) visit
    if (!params.clusters.includes(enc.cluster) || enc.pregnancy || hist.hasService(enc, codes)) continue;
    // before the delivery day: the visit on it is the delivery
    const during = spans.find(([, start, end]) => start <= enc._date && (end === null || enc._date < end));
    if (during) {
      hits.push([enc, 'pregnancy', `Kunjungan ${ctx.day(enc._date)} saat hamil (HPHT `
        + `${ctx.day(during[1])}) tidak ditautkan ke kehamilan dan tanpa layanan ANC`]);
    }
  }
  return hits;
}

// What evaluates each `kind` of quality.json: a rule's id and parameters are data, the way it
// reads a record is here.
const KINDS = {
  implausible_z: implausibleZ,
  height_shrink: heightShrink,
  weight_jump: weightJump,
  pulse_pressure: pulsePressure,
  glucose_without_type: glucoseWithoutType,
  hba1c_glucose: hba1cGlucose,
  nik_birth_date: nikBirthDate,
  nik_sex: nikSex,
  pregnancy_without_hpht: pregnancyWithoutHpht,
  before_birth: beforeBirth,
  after_death: afterDeath,
  missing_weight: missingWeight,
  missing_measure: missingMeasure,
  anc_without_pregnancy: ancWithoutPregnancy,
  anc_unlinked: ancUnlinked,
};
