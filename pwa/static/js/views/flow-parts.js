// What the Puskesmas service flow's screens share (docs/flow.md): where a service point is
// worked, an entry's priority and status in words, how long someone has waited, and a refused
// request in words. Pure, except for the badges it builds, so node tests hold the wording.

import { h } from '../dom.js';
import { t, tMaybe } from '../i18n.js';
import { priorityGroupLabels } from './clinical-labels.js';
import { badge } from './ui.js';

// The screen each kind of service point is worked from (views/flow-loket.js, and deskpwa's
// flow-desk.js, flow-lab.js, flow-pharmacy.js).
const POINT_SCREENS = {
  registration: () => '#/flow/loket',
  cluster: (id) => `#/flow/meja/${id}`,
  emergency: (id) => `#/flow/meja/${id}`,
  lab: (id) => `#/flow/lab/${id}`,
  pharmacy: (id) => `#/flow/farmasi/${id}`,
};

/** The hash route where `point` is worked; its bare queue page for an unknown kind. */
export function pointHref(point) {
  const id = encodeURIComponent(point.id);
  return POINT_SCREENS[point.kind]?.(id) ?? queueHref(point.id);
}

/** The generic queue page of a service point (views/flow-queue.js). */
export function queueHref(pointId) {
  return `#/flow/antrean/${encodeURIComponent(pointId)}`;
}

/** "Klaster 3 (dewasa dan lansia)", "Lintas klaster"; null for a code without a label. */
export function clusterLabel(code) {
  return code ? tMaybe(`record.cluster.${code}`) : null;
}

/** "Gawat darurat", "Prioritas: Lansia, Penyandang disabilitas" (the groups' labels of
 * config/ilp/routing.json), "Prioritas", or null for the rest. */
export function priorityText(entry, config) {
  if (entry.priority === 'emergency') return t('flow.priority.emergency');
  if (entry.priority !== 'priority') return null;
  const groups = config ? priorityGroupLabels(config, entry.priority_groups ?? []).join(', ') : '';
  return groups ? t('flow.priority.groups', { groups }) : t('flow.priority.priority');
}

export function priorityBadge(entry, config) {
  const text = priorityText(entry, config);
  return text ? badge(text, entry.priority === 'emergency' ? 'bad' : 'warn') : null;
}

const STATUS_TONE = {
  waiting: 'info', called: 'warn', in_service: 'ok', done: 'muted', skipped: 'bad',
  transferred: 'muted', cancelled: 'muted',
};

export function statusBadge(status) {
  return badge(t(`flow.status.${status}`), STATUS_TONE[status] ?? 'neutral');
}

/** Whole minutes from `since` (an ISO timestamp) to `now` (ms), never negative (a desk's
 * clock a little behind the server's). */
export function minutesSince(since, now = Date.now()) {
  if (!since) return 0;
  return Math.max(0, Math.floor((now - Date.parse(since)) / 60000));
}

/** "baru saja", "12 mnt", "1 j 5 mnt". */
export function durationText(minutes) {
  if (minutes < 1) return t('flow.wait.now');
  if (minutes < 60) return t('flow.wait.minutes', { m: minutes });
  return t('flow.wait.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** A refused or failed request in words: the catalog's sentence for the problem's `code`,
 * else the server's own (Indonesian) detail, else a sentence for the status. */
export function problemText(error) {
  if (!error?.status) return t('flow.error.offline');
  const { code, detail } = error.problem ?? {};
  const known = code ? tMaybe(`flow.error.${code}`) : null;
  if (known) return known;
  if (code && detail) return detail;
  if (error.status === 403) return t('flow.error.http_403');
  if (error.status === 404) return t('flow.error.http_404');
  if (error.status === 422 || error.status === 400) return t('flow.error.http_422');
  return t('flow.error.http_500');
}

/** A line for refusals under an action, read out when it changes. */
export function alertLine(testid) {
  return h('p', { class: 'flow-alert', role: 'alert', 'data-testid': testid });
}
