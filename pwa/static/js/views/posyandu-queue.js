// The state of a Posyandu session, shared by its tablets: who registered and how far each
// person got is one `posyandu_visit` document per person (id derived from the session and the
// person, so two tablets registering one person make one document; each table's data and
// done-mark a field of its own, so the server merges what different tablets did); who is
// finished is whose encounter exists. A visit becomes one encounter when it is finished
// (encounters are written once; its id is derived from the visit, so it is written once even
// when two tablets finish the same person). Sessions from before visits were documents keep
// their `attendance` array and this device's per-person drafts: both are still read.

import { app } from '../app.js';
import * as db from '../db.js';
import { posyanduEncounterId, posyanduVisitId } from '../derived-ids.js';
import { clearDraft, draftsStartingWith, readDraft } from '../drafts.js';
import { screeningEntry } from './screening.js';
import { visitCluster } from './visit-parts.js';

export const STEPS = ['daftar', 'ukur', 'catat', 'layanan', 'penyuluhan'];
const TABLES = STEPS.slice(1);
// The visit's fields a table may set (schemas.PosyanduVisitSchema), besides `measurements`.
const FIELDS = ['immunizations', 'services', 'screenings', 'referral', 'counselling', 'notes'];

const legacyName = (sessionId, personId) => `visit:${sessionId}:${personId}`;

function isBlank(value) {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** What the tables read of a visit document: its fields, and `done` per table. */
export function visitView(doc) {
  const done = Object.fromEntries(TABLES.filter((step) => doc?.[`done_${step}`]).map((step) => [step, true]));
  if (!doc) return { done };
  const view = { done, measured: doc.measurements ?? {}, measurements: doc.measurements ?? {} };
  for (const name of FIELDS) if (doc[name] !== undefined) view[name] = doc[name];
  return view;
}

/** The document fields of a table's changes: `measured` is stored as `measurements`; what a
 * table shows but can recompute (the findings of its measurements) is not stored; an empty
 * value removes the field. */
export function visitChanges(changes) {
  const out = {};
  for (const name of FIELDS) if (name in changes) out[name] = isBlank(changes[name]) ? null : changes[name];
  if ('measured' in changes) out.measurements = isBlank(changes.measured) ? null : changes.measured;
  return out;
}

/** Every visit of the session, personId -> view; this device's drafts of older sessions
 * count for people without a visit document. */
export function readVisits(sessionId) {
  const visits = new Map(draftsStartingWith(legacyName(sessionId, '')));
  for (const doc of app.records.childrenOf('posyandu_visit', sessionId)) visits.set(doc.person, visitView(doc));
  return visits;
}

/** Registered people in registration order: the legacy attendance, then the visits. */
export function registeredIds(session) {
  const visits = app.records.childrenOf('posyandu_visit', session._id)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a._id.localeCompare(b._id));
  return [...new Set([...(session.attendance ?? []), ...visits.map((visit) => visit.person)])];
}

export function finishedIds(sessionId) {
  return new Set(app.records.all('encounter')
    .filter((enc) => enc.posyandu_session === sessionId).map((enc) => enc.person));
}

/** How many attended a session (the list of recent sessions, the home tile). */
export function attendanceCount(session) {
  return new Set([...registeredIds(session), ...finishedIds(session._id)]).size;
}

/** The table a registered person is at next, or null once every table is done. */
export function nextTable(visit) {
  return TABLES.find((step) => !visit?.done?.[step]) ?? null;
}

/** People waiting at `step`: registered, not finished, and it is their next table (so each
 * person waits at exactly one table, the one their row names). */
export function queue(step, registered, visits, finished) {
  return registered.filter((personId) => !finished.has(personId) && nextTable(visits.get(personId)) === step);
}

async function stored(id) {
  try {
    return await db.db().get(id);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

/** The legacy draft of an older session as visit fields (moved into the document). */
function legacyFields(sessionId, personId) {
  const draft = readDraft(legacyName(sessionId, personId));
  if (!draft) return {};
  const fields = visitChanges(draft);
  const now = db.nowIso();
  for (const step of TABLES) if (draft.done?.[step]) fields[`done_${step}`] = now;
  return fields;
}

/** Creates or edits this person's visit of the session; resolves to the document. */
export async function saveVisit(session, personId, changes = {}) {
  const id = await posyanduVisitId(session._id, personId);
  const current = await stored(id);
  if (current) return db.update(current, changes);
  const fields = {
    posyandu_session: session._id, person: personId, date: session.date,
    ...legacyFields(session._id, personId), ...changes,
  };
  try {
    const doc = await db.create('posyandu_visit', session.desa, fields, id);
    clearDraft(legacyName(session._id, personId));
    return doc;
  } catch (error) {
    if (error.status !== 409) throw error;
    return db.update(await stored(id), changes); // made meanwhile (a second tap)
  }
}

/** Registers a person at the session (the document or its id); nothing changes when the
 * person is registered already. */
export function joinSession(session, personId) {
  return saveVisit(typeof session === 'string' ? app.records.get(session) : session, personId);
}

/** Marks `step` done on the visit with the table's changes; resolves to the new view. */
export async function saveStep(session, personId, step, changes) {
  const doc = await saveVisit(session, personId, { ...visitChanges(changes), [`done_${step}`]: db.nowIso() });
  return { ...visitView(doc), ...changes, done: visitView(doc).done };
}

/** The session of this Posyandu on this date, created when it does not exist yet. */
export async function openSession(posyanduId, date) {
  const existing = app.records.all('posyandu_session')
    .find((session) => session.posyandu === posyanduId && session.date === date);
  if (existing) return existing;
  const posyandu = app.records.get(posyanduId);
  return db.create('posyandu_session', posyandu.desa, {
    posyandu: posyanduId, date, status: 'open', kader: [app.profile.username],
  });
}

/** Whether a visit holds anything worth an encounter. */
export function hasContent(visit) {
  return Boolean(Object.keys(visit.measured ?? {}).length || visit.services?.length
    || Object.keys(visit.immunizations ?? {}).length || Object.keys(visit.screenings ?? {}).length
    || visit.counselling?.length || visit.notes);
}

function encounterFields(session, person, visit, config) {
  const services = [
    ...(visit.services ?? []).map((code) => ({ code })),
    ...(visit.counselling ?? []).map((topic) => ({ code: 'penyuluhan', detail: topic })),
  ];
  const immunizations = Object.values(visit.immunizations ?? {});
  const screenings = Object.values(visit.screenings ?? {}).map(screeningEntry);
  return {
    person: person._id, date: session.date, setting: 'posyandu', place: session.posyandu,
    posyandu_session: session._id, provider: app.profile.display_name, cluster: visitCluster(config, person, session.date),
    measurements: Object.keys(visit.measured ?? {}).length ? visit.measured : undefined,
    immunizations: immunizations.length ? immunizations : undefined,
    services: services.length ? services : undefined,
    screenings: screenings.length ? screenings : undefined,
    referral: visit.referral?.to ? visit.referral : undefined,
    notes: visit.notes || undefined,
  };
}

/** Writes the visit as the person's encounter of this session, once: the encounter's id is
 * derived from the visit, so a second finish (another tap, another tablet that has synced)
 * finds it and writes nothing. */
export async function finishVisit(session, person, visit, config) {
  const visitId = await posyanduVisitId(session._id, person._id);
  const id = await posyanduEncounterId(visitId);
  const existing = app.records.get(id) ?? await stored(id);
  if (existing) return existing;
  try {
    const encounter = await db.create('encounter', person.desa, encounterFields(session, person, visit, config), id);
    clearDraft(legacyName(session._id, person._id));
    return encounter;
  } catch (error) {
    if (error.status !== 409) throw error;
    return stored(id);
  }
}
