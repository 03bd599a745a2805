// ICD-10 diagnoses by name: the code list a Puskesmas network uses (icd10-list.js), searched by
// Indonesian name, a common word or the code, and shown as "I10 Hipertensi esensial". Pure and
// synchronous (the list is a module of the app shell), so any view can name a stored code.

import { ICD10_ROWS } from './icd10-list.js';

// The shape the encounter schema accepts (backend/documents/schemas.py DiagnosisSchema).
export const ICD10_PATTERN = /^[A-Z]\d{2}(\.\d{1,2})?$/;

const fold = (text) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');

const ENTRIES = ICD10_ROWS.map(([code, name, words = '']) => ({
  code, name, haystack: fold(`${name} ${words}`), words: fold(`${name} ${words}`).split(/[^a-z0-9]+/),
}));
const BY_CODE = new Map(ENTRIES.map((entry) => [entry.code, entry]));

/** "e11,9 " -> "E11.9": what a person types, in the list's spelling. */
export function normalizeCode(text) {
  return String(text ?? '').trim().toUpperCase().replace(',', '.');
}

/** The Indonesian name of a code, or null when the code is not in the list. */
export function icd10Name(code) {
  return BY_CODE.get(normalizeCode(code))?.name ?? null;
}

/** "I10 Hipertensi esensial"; a code outside the list stays the bare code. */
export function icd10Label(code) {
  const name = icd10Name(code);
  return name ? `${normalizeCode(code)} ${name}` : normalizeCode(code);
}

function rank(entry, terms, codeQuery) {
  if (codeQuery && entry.code.startsWith(codeQuery)) return entry.code === codeQuery ? 0 : 1;
  if (!terms.every((term) => entry.haystack.includes(term))) return null;
  // Word starts first ("dia" finds Diare before Dispepsia's "media"), then anywhere.
  return terms.every((term) => entry.words.some((word) => word.startsWith(term))) ? 2 : 3;
}

/** The diagnoses matching `query` (a name, a word, or the start of a code), best first. */
export function searchIcd10(query, limit = 10) {
  const text = fold(String(query ?? '').trim());
  if (!text) return [];
  const codeQuery = /^[a-z]\d/.test(text) ? normalizeCode(text) : null;
  const terms = text.split(/\s+/).filter(Boolean);
  return ENTRIES.map((entry) => [rank(entry, terms, codeQuery), entry])
    .filter(([score]) => score !== null)
    .sort(([a, x], [b, y]) => a - b || x.code.localeCompare(y.code))
    .slice(0, limit)
    .map(([, { code, name }]) => ({ code, name }));
}

/** Splits typed codes into those of the list, in order and once each, and the others. */
export function parseIcd10Codes(text) {
  const known = [];
  const unknown = [];
  for (const raw of String(text ?? '').split(/[\s;]+|,(?!\d)/)) {
    const code = normalizeCode(raw);
    if (!code) continue;
    const target = BY_CODE.has(code) ? known : unknown;
    if (!target.includes(code)) target.push(code);
  }
  return { known, unknown };
}
