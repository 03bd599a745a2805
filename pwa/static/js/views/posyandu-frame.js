// The frame around every screen of a Posyandu session: its title, the progress line, the
// stepper of the five tables with their counts, and what this device knows of the other
// tablets. Counts come from the same state the rows are drawn from (posyandu-queue.js), and
// the frame redraws them whenever a visit, an encounter or the session changes here — a
// registration on this tablet, or another tablet's work arriving by sync.

import { app } from '../app.js';
import { h, replace } from '../dom.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { onLeave } from '../router.js';
import { placeName } from './places.js';
import {
  STEPS, finishedIds, nextTable, queue, readVisits, registeredIds,
} from './posyandu-queue.js';
import { page } from './ui.js';

/** Everything the session's screens draw from, read at once so counts and rows agree. */
export function sessionState(session) {
  const registered = registeredIds(session);
  const visits = readVisits(session._id);
  const finished = finishedIds(session._id);
  // A person is done when the encounter exists, or every table is (the encounter of a visit
  // another tablet finished may arrive a moment after its visit).
  const done = new Set(registered.filter((id) => finished.has(id) || !nextTable(visits.get(id))));
  return { session, registered, visits, finished, done };
}

/** The session's state once every record type is in memory; null for an unknown session. */
export async function loadSession(sessionId) {
  await app.records.whenComplete();
  const session = app.records.get(sessionId);
  return session ? sessionState(session) : null;
}

/** People waiting at a table: those whose next table it is. */
export function waitingAt(step, state) {
  return queue(step, state.registered, state.visits, state.done);
}

function stepCount(step, state) {
  return step === 'daftar' ? state.registered.length : waitingAt(step, state).length;
}

function stepper(state, current) {
  return h('ol', { class: 'stepper' }, STEPS.map((step, index) => {
    const n = stepCount(step, state);
    return h('li', {}, h('a', {
      href: `#/posyandu/${state.session._id}/${step}`, 'aria-current': step === current ? 'step' : null,
      'data-testid': `step-${step}`,
    }, h('span', { class: 'step-title' }, h('span', { class: 'step-no' }, String(index + 1)), ' ',
      // A break after the slash lets "Timbang/ukur" take two lines on a phone.
      h('span', { class: 'step-name' }, ...t(`step.${step}`).split('/').flatMap((part, i) => (i ? ['/', h('wbr'), part] : [part])))),
    h('span', { class: 'count', 'aria-label': t(index === 0 ? 'posyandu.registered_n' : 'posyandu.waiting_n', { n }) }, String(n))));
  }));
}

function progressText(state) {
  return `${formatDate(state.session.date, 'long')} · ${t('posyandu.progress', { done: state.done.size, n: state.registered.length })}`;
}

/** What this device can say about the other tablets' progress, from its sync state. */
export function syncNote(sync) {
  if (!sync) return null;
  const { phase, lastSync } = sync.state;
  if (phase === 'idle') return null;
  if (phase === 'syncing') return t('posyandu.sync_running');
  const when = lastSync ? t('posyandu.sync_last', { when: formatDateTime(lastSync) }) : t('posyandu.sync_never');
  // Offline, or online but failing (server error, signed out): either way not current.
  return `${t(phase === 'offline' ? 'posyandu.sync_offline' : 'posyandu.sync_failed')} ${when}`;
}

function syncLine() {
  const line = h('p', { class: 'sync-note', role: 'status', 'data-testid': 'posyandu-sync-note' });
  const update = () => {
    const text = syncNote(app.sync);
    line.hidden = !text;
    line.textContent = text ?? '';
  };
  if (app.sync) {
    app.sync.addEventListener('change', update);
    onLeave(() => app.sync.removeEventListener('change', update));
  }
  update();
  return line;
}

function concerns(doc, sessionId) {
  return doc._id === sessionId || doc.posyandu_session === sessionId;
}

/** Calls `redraw(state)` (debounced) whenever a record of the session changes on this device. */
function follow(sessionId, redraw) {
  let timer = null;
  const changed = (event) => {
    const doc = app.records.get(event.detail._id) ?? event.detail;
    if (!concerns(doc, sessionId)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const session = app.records.get(sessionId);
      if (session) redraw(sessionState(session));
    }, 150);
  };
  app.records.addEventListener('change', changed);
  onLeave(() => {
    clearTimeout(timer);
    app.records.removeEventListener('change', changed);
  });
}

/**
 * The frame of every step. `onState(state)` redraws the body's own rows after a change, so
 * the rows and the stepper's counts always come from the same state.
 */
export function sessionFrame(state, current, { actions = [], onState = null } = {}, ...body) {
  const steps = h('nav', { class: 'steps', 'aria-label': t('posyandu.steps') }, stepper(state, current));
  const frame = page(placeName(state.session.posyandu), {
    back: '#/posyandu', lead: progressText(state), actions,
  }, syncLine(), steps, body);
  follow(state.session._id, (next) => {
    replace(steps, stepper(next, current));
    const lead = frame.querySelector(':scope > .lead');
    if (lead) lead.textContent = progressText(next);
    onState?.(next);
  });
  return frame;
}
