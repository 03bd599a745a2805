// Data-quality rules on identity, dates and pregnancies (config/ilp/quality.json kinds
// nik_birth_date, nik_sex, pregnancy_without_hpht, before_birth, after_death,
// anc_without_pregnancy, anc_unlinked; Python twin: backend/clinical/quality_records.py).

import { parseDate, toIso } from './dates.js';
import { ClinicalInputError } from './errors.js';
import * as hist from './history.js';
import { hphtOf } from './pregnancy.js';

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

export function nikBirthDate(ctx, rule) {
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

export function nikSex(ctx, rule) {
  const { person } = ctx;
  const written = nikDate(person.nik, rule.params.female_day_offset);
  if (written === null || written[0] < 1 || written[0] > 31 || written[3] === person.sex) return [];
  const said = written[3] === 'P' ? 'perempuan' : 'laki-laki';
  const recorded = person.sex === 'P' ? 'perempuan' : 'laki-laki';
  return [[person, 'sex',
    `NIK menandakan ${said} (tanggal ${person.nik.slice(6, 8)}), jenis kelamin tercatat ${recorded}`]];
}

export function pregnancyWithoutHpht(ctx, rule) {
  return ctx.pregnancies.filter((doc) => rule.params.statuses.includes(doc.status)
    && !doc.hpht && !doc.hpl)
    .map((doc) => [doc, 'hpht',
      'Kehamilan tanpa HPHT dan tanpa HPL: umur kehamilan dan K1-K6 tidak bisa dihitung']);
}

// The write path refuses a new visit before birth (backend/sync/references.py); this finds
// the visits a birth date edited later leaves before it.
export function beforeBirth(ctx) {
  return ctx.encs.filter((enc) => enc._date < ctx.birth)
    .map((enc) => [enc, 'date',
      `Kunjungan ${ctx.day(enc._date)}, sebelum tanggal lahir ${ctx.day(ctx.birth)}`]);
}

export function afterDeath(ctx) {
  if (!ctx.person.deceased_date) return [];
  const died = parseDate(ctx.person.deceased_date, 'person.deceased_date');
  return ctx.encs.filter((enc) => enc._date > died)
    .map((enc) => [enc, 'date',
      `Kunjungan ${ctx.day(enc._date)}, setelah tanggal meninggal ${ctx.day(died)}`]);
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

export function ancWithoutPregnancy(ctx, rule) {
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

export function ancUnlinked(ctx, rule) {
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
