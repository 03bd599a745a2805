// Due-list items: one shape for every kind of service, and the window arithmetic they share
// (Python twin: backend/clinical/items.py). Dates inside are day numbers until makeItem
// turns them into ISO strings.

import { toIso } from './dates.js';

// Urgency: what is late, what is due now, what the Buku KIA may show was given (to copy in
// before giving anything), what comes soon, what is done, what can no longer be given.
export const STATUS_ORDER = ['overdue', 'due', 'not_recorded', 'upcoming', 'done', 'missed'];
// Kinds whose items are one sequence a health worker reads in order (K1..K6): kept together,
// in code order, at the place of the most urgent of them.
const SEQUENCES = new Set(['anc']);
const DATE_FIELDS = new Set(['due_from', 'due_until', 'done_on', 'kejar_until', 'last_done']);

export function makeItem(code, kind, label, status, source, extra = {}) {
  const item = {
    code, kind, label, status,
    due_from: iso('due_from', extra.due_from ?? null),
    due_until: iso('due_until', extra.due_until ?? null),
  };
  for (const [key, value] of Object.entries(extra)) {
    if (key !== 'due_from' && key !== 'due_until' && value !== null && value !== undefined) {
      item[key] = iso(key, value);
    }
  }
  item.source = source;
  return item;
}

function iso(key, value) {
  return DATE_FIELDS.has(key) && typeof value === 'number' ? toIso(value) : value;
}

export function windowStatus(on, start, end, lookahead) {
  if (on < start) return start - on <= lookahead ? 'upcoming' : null;
  if (end === null || on <= end) return 'due';
  return 'missed';
}

function compare(ka, kb) {
  for (let i = 0; i < ka.length; i += 1) {
    if (ka[i] < kb[i]) return -1;
    if (ka[i] > kb[i]) return 1;
  }
  return 0;
}

// By urgency (STATUS_ORDER), then `due_from` and `code`; a SEQUENCES kind as one block.
// Keys are built once per item: a desa's due view sorts thousands of lists.
export function sortItems(items) {
  const keyed = items.map((item) => [
    [STATUS_ORDER.indexOf(item.status), item.due_from ?? '', item.code], item]);
  const first = new Map();
  for (const [key, item] of keyed) {
    const known = first.get(item.kind);
    if (SEQUENCES.has(item.kind) && !(known && compare(known, key) <= 0)) first.set(item.kind, key);
  }
  const sortKey = ([key, item]) => (SEQUENCES.has(item.kind)
    ? [...first.get(item.kind), item.code] : [...key, '']);
  return keyed.map((pair) => [sortKey(pair), pair[1]])
    .sort((a, b) => compare(a[0], b[0])).map(([, item]) => item);
}
