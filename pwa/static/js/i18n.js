// User-facing text: one catalog per language (i18n/id.js first, i18n/en.js second) and the
// date, age and number formats of the chosen language. Keys missing in English fall back to
// Bahasa Indonesia, never to the raw key.

import en from './i18n/en.js';
import id from './i18n/id.js';

const CATALOGS = { id, en };
const LOCALES = { id: 'id-ID', en: 'en-GB' };
const STORAGE_KEY = 'siklus.lang';
export const LANGUAGES = [['id', 'Bahasa Indonesia'], ['en', 'English']];

let current = CATALOGS[localStorage.getItem(STORAGE_KEY)] ? localStorage.getItem(STORAGE_KEY) : 'id';

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = CATALOGS[lang] ? lang : 'id';
  localStorage.setItem(STORAGE_KEY, current);
  document.documentElement.lang = current;
}

/** t('sync.waiting', {n: 3}) -> "3 menunggu" */
export function t(key, params = {}) {
  const text = CATALOGS[current][key] ?? id[key];
  if (text === undefined) {
    console.warn(`i18n: missing key ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** t() when the key exists, else null: for labels looked up by a code from data. */
export function tMaybe(key, params) {
  return key in id ? t(key, params) : null;
}

// ISO dates are calendar days: format them in UTC so no time zone moves them.
export function formatDate(iso, style = 'medium') {
  if (!iso) return '';
  const options = style === 'long'
    ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
    : { day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(LOCALES[current], { ...options, timeZone: 'UTC' })
    .format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

/** "November 2026" for a `YYYY-MM` month (a PWS month; UTC like formatDate). */
export function formatMonth(month, style = 'long') {
  if (!month) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { month: style, year: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${month}-01T00:00:00Z`));
}

export function formatDateTime(timestamp) {
  if (!timestamp) return '';
  return new Intl.DateTimeFormat(LOCALES[current], {
    day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  }).format(new Date(timestamp));
}

export function formatNumber(value, decimals = 1) {
  return new Intl.NumberFormat(LOCALES[current], { maximumFractionDigits: decimals })
    .format(value);
}

/** {years, months, days} from the clinical evaluator -> "2 th 3 bl", "9 bl", "12 hr". */
export function formatAge(age) {
  if (!age) return '';
  if (age.years >= 5) return t('age.years', { y: age.years });
  if (age.years >= 1) return t('age.years_months', { y: age.years, m: age.months - age.years * 12 });
  if (age.months >= 1) return t('age.months', { m: age.months });
  return t('age.days', { d: age.days });
}
