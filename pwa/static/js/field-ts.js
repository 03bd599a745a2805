// The one rule for stamping field_ts on an edit; the Python twin, backend/documents/field_ts.py,
// explains it and both run the shared vectors in tests/vectors/field_ts.json. In short: stamp
// only fields whose value changes, empty (null, '', undefined) removes a field, values compare
// by content (key order never matters), a nested value is one field.

export const BOOKKEEPING = new Set(['_id', '_rev', '_revisions', '_attachments', '_deleted',
  '_conflicts', 'type', 'schema', 'created_at', 'created_by', 'updated_at', 'updated_by', 'field_ts']);

export function isEmpty(value) {
  return value === undefined || value === null || value === '';
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Equality of JSON values: objects key by key in any order, lists in order. */
export function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length
      && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length
      && keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
  }
  return a === b;
}

/** Names in `changes` whose value differs from `current` (empty and absent are alike). */
export function changedFields(current, changes) {
  const bad = Object.keys(changes).filter((name) => BOOKKEEPING.has(name)).sort();
  if (bad.length) throw new Error(`not editable: ${bad.join(', ')}`);
  return Object.entries(changes)
    .filter(([name, value]) => !(isEmpty(value) && isEmpty(current[name])) && !sameValue(current[name], value))
    .map(([name]) => name);
}

/** `current` with `changes` applied and each changed field stamped `now` (a new object). */
export function applyChanges(current, changes, now) {
  const doc = { ...current };
  const fieldTs = { ...(current.field_ts ?? {}) };
  for (const name of changedFields(current, changes)) {
    if (isEmpty(changes[name])) delete doc[name];
    else doc[name] = changes[name];
    fieldTs[name] = now;
  }
  if (Object.keys(fieldTs).length) doc.field_ts = fieldTs;
  return doc;
}
