// What the Tinjauan screens say about the server's review data, as catalog keys and values:
// a duplicate score in words, the status line after a verdict, what a merge will move, the
// fields a survivor may take, a conflict's document in words. Pure functions (no DOM, no
// catalog), so tests/js/review.test.mjs runs them under Node; views/review-*.js render them.

export const DECISIONS = ['benar', 'perbaikan', 'tidak_relevan'];
export const SHOWS = ['open', 'reviewed', 'all'];
// The API's page size bounds (backend/api/review/queue.py: 1..200, 50 by default).
export const PAGE_SIZE = 50;
export const MAX_BATCH = 200;

/** A duplicate pair's score in words: config/ilp/duplicates.json scores pairs 0..1 and the
 * server lists those above its own floor; from `threshold.likely_score` up a reviewer reads
 * "sangat mungkin" (a red badge), below it "mungkin" (amber): a word, not a number a reviewer
 * would have to interpret. Returns the catalog key and the badge tone. */
export function scoreWords(config, score) {
  return Number(score) >= config.duplicates.threshold.likely_score
    ? { key: 'review.score.very_likely', tone: 'bad' } : { key: 'review.score.likely', tone: 'warn' };
}

/** The sentence after a verdict on `decided` records, with the tasks sent to the Pustu. */
export function decisionStatus(decision, result) {
  const n = result?.decided?.length ?? 0;
  if (decision === 'perbaikan') return { key: 'review.status.perbaikan', params: { n, tasks: result?.tasks?.length ?? 0 } };
  return { key: `review.status.${decision}`, params: { n } };
}

/** Which verdicts need what: a correction without a note tells the Pustu nothing, so the
 * note is asked for; an empty selection or more than one batch is refused before sending.
 * Returns a catalog key of the problem, or null. */
export function decisionProblem(decision, ids, note) {
  if (!DECISIONS.includes(decision)) return 'review.problem.decision';
  if (!ids.length) return 'review.problem.none_selected';
  if (ids.length > MAX_BATCH) return 'review.problem.too_many';
  if ((note ?? '').length > 300) return 'review.problem.note_long';
  if (decision === 'perbaikan' && !(note ?? '').trim()) return 'review.problem.note_needed';
  return null;
}

/** The person who stays: the one with more recorded (visits, then pregnancies), else the
 * one registered first. A default the reviewer can change, never a decision. */
export function suggestedSurvivor(a, b) {
  const weight = (p) => [p.encounters ?? 0, p.pregnancies ?? 0, p.tasks ?? 0];
  const [wa, wb] = [weight(a), weight(b)];
  for (let i = 0; i < wa.length; i += 1) {
    if (wa[i] !== wb[i]) return wa[i] > wb[i] ? 'a' : 'b';
  }
  return (a.created_at ?? '') <= (b.created_at ?? '') ? 'a' : 'b';
}

// Fields a survivor can take from the merged person: the server's list
// (backend/review/merge.py TAKEABLE); it refuses any other with 422.
export const TAKEABLE = ['name', 'nik', 'sex', 'birth_date', 'household', 'mother', 'phone', 'jkn', 'posyandu', 'deceased_date'];

// The comparison shows some fields by name (backend/review/pairs.py FIELDS): taking the
// household or mother of the other person takes the reference behind the name.
const TAKE_AS = { household_name: 'household', mother_name: 'mother' };

/** The merge API's field for a comparison row's field, e.g. household_name → household. */
export function takeField(field) {
  return TAKE_AS[field] ?? field;
}

/** Fields of the comparison the survivor could take from the other: different, and the
 * other has a value. `side` is 'a' or 'b', the survivor. */
export function takeableFields(fields, side) {
  const other = side === 'a' ? 'b' : 'a';
  return fields.filter((row) => !row.same && TAKEABLE.includes(takeField(row.field))
    && row[other] !== null && row[other] !== undefined && row[other] !== '').map((row) => row.field);
}

/** How the comparison names its two persons: by name, and when both registrations carry the
 * same name (the usual duplicate) also by which registration, so "<name>: value" on a phone
 * says whose value it is. Returns, per side, the catalog key and its parameters. */
export function sideNames(compare) {
  const key = (person) => (person.name ?? '').trim().toLowerCase();
  if (key(compare.a) !== key(compare.b)) {
    return { a: { key: null, params: { name: compare.a.name } }, b: { key: null, params: { name: compare.b.name } } };
  }
  return {
    a: { key: 'review.cmp.registration', params: { name: compare.a.name, n: 1 } },
    b: { key: 'review.cmp.registration', params: { name: compare.b.name, n: 2 } },
  };
}

/** What the merge confirmation names: who stays, who is merged, and how much moves. */
export function mergeSummary(compare, survivorSide) {
  const survivor = compare[survivorSide];
  const merged = compare[survivorSide === 'a' ? 'b' : 'a'];
  return {
    survivor: survivor.name, merged: merged.name,
    encounters: merged.encounters ?? 0, pregnancies: merged.pregnancies ?? 0, tasks: merged.tasks ?? 0,
  };
}

/** The `moved` counts of a merge answer, as (catalog key, n) pairs worth saying. */
export function movedParts(moved) {
  return ['encounter', 'pregnancy', 'task', 'household']
    .filter((kind) => (moved?.[kind] ?? 0) > 0)
    .map((kind) => ({ key: `review.moved.${kind}`, n: moved[kind] }));
}

const DOC_ID = /^([a-z_]+):/;
// A reference (`place:0190…`) as a value: it must be shown by its name, never as such.
const REFERENCE = /^[a-z_]+:[0-9a-f-]{8,}/i;

export function isReference(value) {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** A document's type from its id (`encounter:…` → 'encounter'), or null. */
export function docType(id) {
  return DOC_ID.exec(id ?? '')?.[1] ?? null;
}

/** The person a document is about: the person itself, or its `person` field. */
export function subjectOf(doc) {
  if (!doc) return null;
  return doc.type === 'person' ? doc._id ?? null : doc.person ?? null;
}

/** The date a reviewer knows a document by (the record date of docs/review.md): a visit's
 * date, a pregnancy's HPHT, a task's due date, else when it was made. */
export function docDate(doc) {
  if (!doc) return null;
  return doc.date ?? doc.hpht ?? doc.due_date ?? (doc.created_at ? doc.created_at.slice(0, 10) : null);
}

/** A quality flag as its line reads: the label, and the detail when it adds something. */
export function flagText(flag) {
  return flag.detail && flag.detail !== flag.label ? `${flag.label}: ${flag.detail}` : flag.label;
}

/** 0.4 → "40%", null → null. */
export function percent(share) {
  return share === null || share === undefined ? null : `${Math.round(share * 100)}%`;
}
