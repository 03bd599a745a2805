// The queue of one service point (docs/flow.md "Queues"): who waits in call order with their
// priority and waiting time, "Panggil berikutnya", the person being called or served with the
// steps of their entry (call again, start, no-show, done, transfer, cancel), and the no-shows
// who may be called again. `queuePanel` is the component every desk screen embeds (the cluster
// desk, lab and pharmacy of views/flow-desk.js, flow-lab.js, flow-pharmacy.js); `#/flow/antrean/
// :point` shows it alone. It asks the server again every few seconds and after each step.

import { app } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { onLeave } from '../router.js';
import { apiFetch } from '../session.js';
import { prefetch } from './desk.js';
import { cancelDialog, transferDialog, transferTargets } from './flow-dialogs.js';
import {
  durationText, minutesSince, priorityBadge, problemText, statusBadge,
} from './flow-parts.js';
import { card, empty, page } from './ui.js';

export const REFRESH_MS = 5000;

/** The steps offered for an entry in `status` ("recall" on a no-show is "Panggil lagi"). */
export function entryActions(status) {
  return {
    called: ['recall', 'start', 'skip', 'transfer', 'cancel'],
    in_service: ['done', 'transfer', 'cancel'],
    skipped: ['recall'],
  }[status] ?? [];
}

/** The entry this desk is working on: the one it called or started itself (`mine`) while it is
 * still active, else one in service by this user. Another desk's person at a shared room is
 * never taken for ours. */
export function currentEntry(queue, { mine = null, username = null } = {}) {
  const active = [...(queue.in_service ?? []), ...(queue.called ?? [])];
  return active.find((entry) => entry.id === mine)
    ?? active.find((entry) => entry.status === 'in_service' && username && entry.served_by === username)
    ?? null;
}

/** What changed on screen between two answers: everything but the passing of time. */
export function queueSignature(queue) {
  const rows = (list = []) => list.map((e) => [e.id, e.status, e.call_count, e.priority, e.ticket, e.served_by]);
  return JSON.stringify([queue.point?.label, rows(queue.waiting), rows(queue.called), rows(queue.in_service),
    rows(queue.skipped), queue.done_count]);
}

const MINE_KEY = 'siklus.flow.mine:';
const remembered = (pointId) => Number(sessionStorage.getItem(MINE_KEY + pointId)) || null;
function remember(pointId, id) {
  if (id) sessionStorage.setItem(MINE_KEY + pointId, String(id));
  else sessionStorage.removeItem(MINE_KEY + pointId);
}

function waited(since) {
  return h('span', { class: 'meta flow-waited', dataset: { since: since ?? '' } }, durationText(minutesSince(since)));
}

function whoLine(entry, config) {
  return h('span', { class: 'flow-who' },
    h('strong', { class: 'flow-ticket' }, entry.ticket), ' ',
    h('span', { class: 'flow-name' }, entry.person?.name ?? t('flow.queue.outside_area')), ' ',
    priorityBadge(entry, config));
}

/** Points of the Puskesmas (transfer targets, names of where someone came from): the
 * organisation when the caller may read it, else the caller's own points. */
async function loadPoints() {
  try {
    return (await apiFetch('/flow/organisation')).service_points;
  } catch {
    return apiFetch('/flow/points').then((answer) => answer.points ?? [], () => []);
  }
}

/**
 * The queue panel of service point `pointId`. `onCurrent(entry | null)` is told whenever the
 * entry this desk works on changes (called, started, ended). `initial`: a first answer of
 * GET /flow/queues/<point> already in hand; `heading: false` when the page's title already
 * names the point. The element's `refresh()` asks the server again
 * (a desk calls it after its own step, e.g. a transfer after ordering lab tests).
 */
export function queuePanel(pointId, { onCurrent = null, initial = null, heading = true } = {}) {
  const path = encodeURIComponent(pointId);
  const head = h('div', { class: 'flow-queue-head' });
  const status = h('p', { class: 'flow-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'queue-status' });
  const alert = h('p', { class: 'flow-alert', role: 'alert', 'data-testid': 'queue-alert' });
  const body = h('div', { class: 'flow-queue-body' });
  const panel = h('section', { class: 'flow-queue', 'data-testid': 'queue-panel', 'aria-busy': 'true' },
    head, alert, status, body);
  const state = {
    queue: null, signature: '', mine: remembered(pointId), current: undefined, busy: false, points: null, config: null,
  };

  const tellCurrent = () => {
    const current = state.queue ? currentEntry(state.queue, { mine: state.mine, username: app.profile?.username }) : null;
    const key = current ? `${current.id}:${current.status}` : null;
    if (key === state.current) return;
    state.current = key;
    onCurrent?.(current);
  };

  async function act(entry, action) {
    if (state.busy) return;
    alert.textContent = '';
    status.textContent = '';
    let request;
    if (action === 'next') {
      request = { path: `/flow/queues/${path}/call-next` };
    } else if (action === 'transfer') {
      state.points ??= await loadPoints();
      const answer = await transferDialog(entry, transferTargets(state.points, pointId));
      if (!answer) return;
      request = { path: `/flow/entries/${entry.id}/transfer`, body: { to: answer.to, reason: answer.reason.trim() || undefined } };
    } else if (action === 'cancel') {
      const answer = await cancelDialog(entry);
      if (!answer) return;
      request = { path: `/flow/entries/${entry.id}/cancel`, body: { reason: answer.reason.trim() || undefined } };
    } else {
      request = { path: `/flow/entries/${entry.id}/${action}`, body: {} };
    }
    state.busy = true;
    panel.setAttribute('aria-busy', 'true');
    try {
      const answer = await apiFetch(request.path, { method: 'POST', body: request.body });
      if (action === 'next' || action === 'recall' || action === 'start') state.mine = (answer?.id ?? entry.id);
      else if (entry?.id === state.mine) state.mine = null;
      remember(pointId, state.mine);
      status.textContent = t(`flow.done.${action}`, { ticket: answer?.ticket ?? answer?.next?.ticket ?? entry?.ticket ?? '' });
    } catch (error) {
      if (error.problem?.code === 'queue_empty') status.textContent = t('flow.queue.empty_call');
      else alert.textContent = problemText(error);
    } finally {
      state.busy = false;
    }
    await refresh();
  }

  const button = (entry, action, tone = 'secondary') => h('button', {
    type: 'button', class: `${tone} small`, dataset: { key: `${entry.id}:${action}`, action },
    onclick: () => act(entry, action),
  }, t(`flow.action.${action}${action === 'recall' && entry.status === 'skipped' ? '_skipped' : ''}`));

  function activeCard(entry, current) {
    const from = entry.previous;
    const fromPoint = from && state.points?.find((point) => point.id === from.service_point);
    return h('li', { class: `flow-active${current ? ' mine' : ''}`, 'data-testid': 'queue-current', dataset: { entry: entry.id } },
      h('div', { class: 'flow-active-head' }, whoLine(entry, state.config), statusBadge(entry.status)),
      entry.complaint ? h('p', { class: 'flow-complaint' }, t('flow.queue.complaint', { text: entry.complaint })) : null,
      from ? h('p', { class: 'meta' }, t('flow.queue.from', { place: fromPoint?.label ?? from.ticket, ticket: from.ticket }),
        entry.reason ? ` · ${entry.reason}` : '') : null,
      h('p', { class: 'meta' }, entry.status === 'called'
        ? [t('flow.queue.called_for'), ' ', waited(entry.called_at), entry.call_count > 1 ? ` · ${t('flow.queue.calls', { n: entry.call_count })}` : '']
        : [t('flow.queue.serving_for'), ' ', waited(entry.started_at)]),
      h('div', { class: 'flow-actions' }, entryActions(entry.status).map((action) => button(entry, action,
        ['start', 'done'].includes(action) ? 'primary' : action === 'cancel' ? 'danger-outline' : 'secondary'))));
  }

  function draw(queue) {
    const current = currentEntry(queue, { mine: state.mine, username: app.profile?.username });
    const active = [...queue.in_service, ...queue.called].sort((a, b) => (b === current) - (a === current));
    replace(head,
      heading ? h('h2', {}, queue.point.label) : null,
      h('p', { class: 'meta', 'data-testid': 'queue-counts' }, t('flow.queue.counts', {
        waiting: queue.waiting.length, active: active.length, done: queue.done_count ?? 0,
      })),
      h('button', {
        type: 'button', class: 'primary flow-next', 'data-testid': 'call-next', dataset: { key: 'next' },
        onclick: () => act(null, 'next'),
      }, t('flow.action.next')));
    replace(body,
      active.length ? h('ul', { class: 'flow-active-list', 'aria-label': t('flow.queue.active') }, active.map((entry) => activeCard(entry, entry === current))) : null,
      h('h3', {}, t('flow.queue.waiting'), ' ', h('span', { class: 'count' }, queue.waiting.length)),
      queue.waiting.length
        ? h('ol', { class: 'flow-waiting', 'data-testid': 'queue-waiting' }, queue.waiting.map((entry) => h('li', { dataset: { entry: entry.id } },
          whoLine(entry, state.config), h('span', { class: 'meta' }, t('flow.queue.waits'), ' ', waited(entry.queued_at)))))
        : empty(t('flow.queue.none_waiting')),
      queue.skipped.length ? [h('h3', {}, t('flow.queue.skipped')),
        h('ul', { class: 'flow-skipped', 'data-testid': 'queue-skipped' }, queue.skipped.map((entry) => h('li', {},
          whoLine(entry, state.config), button(entry, 'recall'))))] : null);
  }

  /** Redraws only when something but time changed, keeping the focus on the same control. */
  function show(queue) {
    state.queue = queue;
    const signature = queueSignature(queue);
    if (signature !== state.signature) {
      const focused = panel.contains(document.activeElement) ? document.activeElement.dataset.key : null;
      state.signature = signature;
      draw(queue);
      if (focused) panel.querySelector(`[data-key="${focused}"]`)?.focus();
    } else {
      panel.querySelectorAll('.flow-waited').forEach((el) => { el.textContent = durationText(minutesSince(el.dataset.since)); });
    }
    tellCurrent();
  }

  async function refresh() {
    try {
      show(await apiFetch(`/flow/queues/${path}`));
      panel.removeAttribute('aria-busy');
      panel.classList.remove('stale');
    } catch (error) {
      panel.classList.add('stale');
      alert.textContent = problemText(error);
    }
  }

  let seen = false;
  const timer = setInterval(() => {
    if (panel.isConnected) seen = true;
    else if (seen) clearInterval(timer); // the desk replaced its panel
    if (!state.busy && !document.hidden && !document.querySelector('dialog[open]')) refresh();
  }, REFRESH_MS);
  onLeave(() => clearInterval(timer));
  panel.refresh = refresh;
  if (initial) show(initial);
  else refresh();
  loadPoints().then((points) => { state.points ??= points; });
  // The priority groups' labels are clinical knowledge (routing.json): drawn again once here.
  clinicalConfig().then((config) => {
    state.config = config;
    if (!state.queue) return;
    state.signature = '';
    show(state.queue);
  }, () => {});
  return panel;
}

/** A flow screen's first request: its answer, or the page to show instead (a point that is
 * not this user's or not this Puskesmas's in words; no connection, an ended session). */
export async function firstLoad(path, back = '#/flow') {
  try {
    return { data: await apiFetch(path) };
  } catch (error) {
    if (error.status === 403 || error.status === 404) {
      return { blocked: page(t('flow.queue.closed_title'), { back }, card(null, h('p', { 'data-testid': 'flow-refused' }, problemText(error)))) };
    }
    return { blocked: await prefetch(() => Promise.reject(error), back) };
  }
}

/** #/flow/antrean/:point: one service point's queue on its own. */
export async function flowQueuePage({ point }) {
  const { data, blocked } = await firstLoad(`/flow/queues/${encodeURIComponent(point)}`);
  if (blocked) return blocked;
  return page(data.point.label, { back: '#/flow', lead: t('flow.queue.lead') },
    queuePanel(point, { initial: data, heading: false }));
}
