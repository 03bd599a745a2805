// The state of a Posyandu session: who registered (the session document's attendance), how
// far each person got (a visit draft per person on this device) and who is finished (their
// encounter exists). A visit becomes one encounter document only when it is finished, since
// encounters are written once.

import { app } from '../app.js';
import * as db from '../db.js';
import { clearDraft, draftsStartingWith, readDraft, writeDraft } from '../drafts.js';
import { screeningEntry } from './screening.js';
import { clusterFor } from './visit-parts.js';

export const STEPS = ['daftar', 'ukur', 'catat', 'layanan', 'penyuluhan'];

const visitName = (sessionId, personId) => `visit:${sessionId}:${personId}`;

export function joinSession(sessionId, personId) {
  return db.updateLatest(sessionId, (session) => ({
    attendance: session.attendance?.includes(personId)
      ? session.attendance : [...(session.attendance ?? []), personId],
  }));
}

/** The session of this Posyandu on this date, created when it does not exist yet. */
export async function openSession(posyanduId, date) {
  const existing = app.records.all('posyandu_session')
    .find((session) => session.posyandu === posyanduId && session.date === date);
  if (existing) return existing;
  const posyandu = app.records.get(posyanduId);
  return db.create('posyandu_session', posyandu.desa, {
    posyandu: posyanduId, date, status: 'open', attendance: [], kader: [app.profile.username],
  });
}

export function readVisit(sessionId, personId) {
  return readDraft(visitName(sessionId, personId)) ?? { done: {} };
}

export function writeVisit(sessionId, personId, visit) {
  return writeDraft(visitName(sessionId, personId), visit);
}

/** Every visit draft of the session: personId -> visit. */
export function readVisits(sessionId) {
  return new Map(draftsStartingWith(visitName(sessionId, '')));
}

export function finishedIds(sessionId) {
  return new Set(app.records.all('encounter')
    .filter((enc) => enc.posyandu_session === sessionId).map((enc) => enc.person));
}

/** People waiting at `step`: registered, not finished, this step not done, previous done. */
export function queue(step, session, visits, finished) {
  const index = STEPS.indexOf(step);
  return (session.attendance ?? []).filter((personId) => {
    if (finished.has(personId)) return false;
    const done = visits.get(personId)?.done ?? {};
    return !done[step] && (index <= 1 || done[STEPS[index - 1]]);
  });
}

/** Whether a visit holds anything worth an encounter. */
export function hasContent(visit) {
  return Boolean(Object.keys(visit.measured ?? {}).length || visit.services?.length
    || Object.keys(visit.immunizations ?? {}).length || Object.keys(visit.screenings ?? {}).length
    || visit.counselling?.length || visit.notes);
}

/** Writes the visit as the person's encounter of this session and drops the draft. */
export async function finishVisit(session, person, visit, facts) {
  const services = [
    ...(visit.services ?? []).map((code) => ({ code })),
    ...(visit.counselling ?? []).map((topic) => ({ code: 'penyuluhan', detail: topic })),
  ];
  const immunizations = Object.values(visit.immunizations ?? {});
  const screenings = Object.values(visit.screenings ?? {}).map(screeningEntry);
  const fields = {
    person: person._id, date: session.date, setting: 'posyandu', place: session.posyandu,
    posyandu_session: session._id, provider: app.profile.display_name, cluster: clusterFor(facts),
    measurements: Object.keys(visit.measured ?? {}).length ? visit.measured : undefined,
    immunizations: immunizations.length ? immunizations : undefined,
    services: services.length ? services : undefined,
    screenings: screenings.length ? screenings : undefined,
    referral: visit.referral?.to ? visit.referral : undefined,
    notes: visit.notes || undefined,
  };
  const encounter = await db.create('encounter', person.desa, fields);
  clearDraft(visitName(session._id, person._id));
  return encounter;
}
