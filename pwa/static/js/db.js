// The device's PouchDB (one per user, `indexeddb` adapter for its purge support) and the one
// place documents are written: stamps every document as backend/documents/schemas.py expects
// (id made on the device, created_*/updated_*, field_ts per edited field) and tells the outbox.

/* global PouchDB */

import { applyChanges, changedFields } from './field-ts.js';
import { newId } from './ids.js';

let local = null;
let writer = null;
const writeListeners = [];

/** Called with every document this device writes, before the write resolves: screens read
 * the in-memory records right after saving and must not wait for the changes feed. */
export function onWrite(listener) {
  writeListeners.push(listener);
}

function dbName(username) {
  return `siklus-${username}`;
}

export function open(profile, outbox) {
  // auto_compaction drops superseded revision bodies at once: devices keep only leaves.
  local = new PouchDB(dbName(profile.username), { adapter: 'indexeddb', auto_compaction: true });
  writer = { profile, outbox };
  return local;
}

export function db() {
  return local;
}

export async function destroy(username) {
  const target = local ?? new PouchDB(dbName(username), { adapter: 'indexeddb' });
  await target.destroy();
  local = null;
  writer = null;
}

/** Local time with its offset, as the schemas require: 2026-01-05T08:00:00+07:00. */
export function nowIso(date = new Date()) {
  const pad = (n) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${todayIso(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:`
    + `${pad(date.getSeconds())}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** The device's calendar day (not UTC's: a 06:00 WIB visit is today, not yesterday). */
export function todayIso(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export { newId };

// Optional fields left empty in a form are omitted, never stored as "" or null.
function compact(fields) {
  return Object.fromEntries(Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null && value !== ''));
}

async function put(doc) {
  const result = await local.put(doc);
  await writer.outbox.written(doc._id, result.rev, doc.type);
  const saved = { ...doc, _rev: result.rev };
  writeListeners.forEach((listener) => listener(saved));
  return saved;
}

/** A new document of `type` in `desa`; `id` only for ids derived from what the document is
 * about (derived-ids.js), otherwise a fresh one. */
export function create(type, desa, fields, id = newId(type)) {
  const doc = {
    _id: id, type, schema: 1, desa, ...compact(fields),
    created_at: nowIso(), created_by: writer.profile.username,
  };
  return put(doc);
}

/** A new revision with `changes` stamped by the one field_ts rule (field-ts.js); no new
 * revision when nothing changed. */
export function update(doc, changes) {
  if (!changedFields(doc, changes).length) return Promise.resolve(doc);
  const now = nowIso();
  return put({ ...applyChanges(doc, changes, now), updated_at: now, updated_by: writer.profile.username });
}

/** update() on the device's latest revision: for documents edited in quick succession
 * (a session's attendance) where the in-memory copy may lag one change behind. */
export async function updateLatest(id, changesFor) {
  const latest = await local.get(id);
  return update(latest, changesFor(latest));
}

/** Removes every revision of a document from this device only: nothing replicates.
 * Resolves to whether the device held it. */
export async function purge(id) {
  const leaves = (await local.get(id, { open_revs: 'all' }).catch(() => []))
    .filter((leaf) => leaf.ok);
  for (const leaf of leaves) await local.purge(id, leaf.ok._rev);
  return leaves.length > 0;
}
