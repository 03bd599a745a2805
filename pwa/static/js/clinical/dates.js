// Calendar arithmetic on ISO dates (Python twin: backend/clinical/dates.py).
// Dates travel as "YYYY-MM-DD" strings and are held internally as UTC day numbers, so no
// time zone can move a birthday. Months are added Buku KIA style: same day, clamped to the
// last day of a shorter month.

import { ClinicalInputError } from './errors.js';

const DAY_MS = 86400000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

function dayNumber(year, month, day) {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function parts(day) {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function daysInMonth(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseDate(value, field) {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) throw new ClinicalInputError(field, 'tanggal harus berformat YYYY-MM-DD');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new ClinicalInputError(field, 'tanggal tidak ada di kalender');
  }
  return dayNumber(year, month, day);
}

export function toIso(day) {
  const { year, month, day: date } = parts(day);
  const pad = (n, width) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(date, 2)}`;
}

export function addMonths(start, months) {
  const { year, month, day } = parts(start);
  const index = year * 12 + month - 1 + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  return dayNumber(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

const durations = new Map();

// (months, days) of an ISO 8601 duration; parsed once, since rules reuse a few dozen.
function durationParts(duration) {
  let split = durations.get(duration);
  if (!split) {
    const match = DURATION.exec(duration);
    if (!match || duration === 'P') throw new Error(`not an ISO 8601 duration: ${duration}`);
    const [years, months, weeks, days] = match.slice(1).map((part) => Number(part || 0));
    split = [years * 12 + months, weeks * 7 + days];
    durations.set(duration, split);
  }
  return split;
}

export function addDuration(start, duration) {
  const [months, days] = durationParts(duration);
  return (months ? addMonths(start, months) : start) + days;
}

// The start of the period containing `on` when periods of `duration` follow each other from
// `first` (on >= first): the latest first + k * duration, k >= 0, not after `on`. Multiples
// are taken from `first` itself, so a 29 February start does not drift.
export function periodStart(first, duration, on) {
  const [months, days] = durationParts(duration);
  const times = (k) => addMonths(first, months * k) + days * k;
  let k = months ? Math.max(0, Math.floor(completedMonths(first, on) / months))
    : Math.floor((on - first) / days);
  while (k > 0 && times(k) > on) k -= 1;
  while (times(k + 1) <= on) k += 1;
  return times(k);
}

export function completedMonths(birth, on) {
  const b = parts(birth);
  const o = parts(on);
  const months = (o.year - b.year) * 12 + o.month - b.month;
  return addMonths(birth, months) > on ? months - 1 : months;
}

export function age(birth, on) {
  const months = completedMonths(birth, on);
  return { days: on - birth, months, years: Math.floor(months / 12) };
}

export function inAgeRange(birth, on, [low, high]) {
  if (low !== null && on < addDuration(birth, low)) return false;
  return high === null || on < addDuration(birth, high);
}

export function monthBounds(on) {
  const { year, month } = parts(on);
  return [dayNumber(year, month, 1), dayNumber(year, month, daysInMonth(year, month))];
}

export function monthOf(day) {
  return parts(day).month;
}

export function firstOfMonth(year, month) {
  return dayNumber(year, month, 1);
}

export function yearOf(day) {
  return parts(day).year;
}
