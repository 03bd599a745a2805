// The sync state in words, as pure functions of what the controller knows (sync.js): the
// header chip, Status sinkron and every screen whose counts depend on synced data read it
// here, so none of them can claim "Terbaru" or "0 tugas" while the first sync is running.

import { language, t } from './i18n.js';

export { syncPhase } from './sync-phase.js';

const TONES = { offline: 'muted', syncing: 'busy', idle: 'ok', error: 'warn', login: 'warn', forbidden: 'muted' };
// A desk works against the server: "up to date" means online, and offline means it cannot work.
const DESK_PHASES = { idle: 'desk.phase.idle', offline: 'desk.phase.offline' };

/** Counts read from synced data (tasks, due lists, persons) are only whole once a first
 * sync has finished on this device; before that they say they are still loading. */
export function dataReady(state) {
  return Boolean(state.lastSync);
}

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The last successful sync, short enough for the chip: the time today, else day and time. */
export function lastSyncText(iso, now = new Date()) {
  const when = new Date(iso);
  const options = sameDay(when, now) ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'id-ID', options).format(when);
}

function phaseText(state, desk) {
  if (desk && DESK_PHASES[state.phase]) return t(DESK_PHASES[state.phase]);
  if (state.phase === 'syncing' && !dataReady(state)) return t('sync.phase.first');
  if (state.phase === 'idle' && state.pending) return t('sync.waiting', { n: state.pending });
  return t(`sync.phase.${state.phase}`);
}

/** The sync state in words: `text` (the phase, then waiting and refused counts), `detail`
 * (offline: when the device last synced, or null), `full` (both) and the chip's tone. */
export function syncSummary(state, { desk = false, now = new Date() } = {}) {
  const parts = [phaseText(state, desk)];
  if (state.phase === 'offline' && state.pending) parts.push(t('sync.waiting', { n: state.pending }));
  if (state.refused) parts.push(t('sync.refused', { n: state.refused }));
  const text = parts.join(' · ');
  const detail = state.phase === 'offline' && state.lastSync && !desk
    ? t('sync.last_short', { when: lastSyncText(state.lastSync, now) }) : null;
  return { text, detail, full: detail ? `${text} · ${detail}` : text, tone: state.refused ? 'bad' : TONES[state.phase] };
}
