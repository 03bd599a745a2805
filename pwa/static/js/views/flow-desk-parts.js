// What the cluster desk, the lab and the pharmacy screens share: the page around the queue
// panel (views/flow-queue.js) with the current person's work beside it, the Puskesmas's
// service points, the person heading, actions that talk to the flow API and say in words
// what went wrong, and sending a person on (transfer, done).

import { app } from '../app.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { identityLine } from './person.js';
import { priorityBadge, problemText } from './flow-parts.js';
import { queuePanel } from './flow-queue.js';
import { routeText } from './flow-desk-model.js';
import { badge, card, empty, page, personFacts } from './ui.js';

/** A status line (role=status) that the screen's actions write to; `fail` reads an error. */
export function statusLine() {
  const element = h('p', { class: 'desk-status', role: 'status', 'data-testid': 'desk-status' });
  return {
    element,
    say(text, tone = 'ok') { element.textContent = text; element.dataset.tone = tone; },
    fail(error) { element.textContent = problemText(error); element.dataset.tone = 'bad'; },
    clear() { element.textContent = ''; delete element.dataset.tone; },
  };
}

/** A button that runs `action` once at a time, reporting a failure on `status`. */
export function actionButton(text, action, { status, tone = 'secondary', testid } = {}) {
  const button = h('button', { type: 'button', class: tone, 'data-testid': testid }, text);
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    status?.clear();
    try {
      await action();
    } catch (error) {
      if (status) status.fail(error);
      else throw error;
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  return button;
}

export function transfer(entry, to, reason) {
  return apiFetch(`/flow/entries/${entry.id}/transfer`, { method: 'POST', body: { to, reason: reason || undefined } });
}

export function finish(entry) {
  return apiFetch(`/flow/entries/${entry.id}/done`, { method: 'POST', body: {} });
}

/** The person being served: name, ticket, identity, life-stage flags, the complaint and the
 * arrival's way through the building so far. */
export function personHeading(config, person, entry, detail, points) {
  const facts = person ? personFacts(config, person) : null;
  const name = person?.name ?? entry.person.name;
  return card(null,
    h('div', { class: 'flow-person-head' },
      h('h2', { 'data-testid': 'flow-person' }, name),
      h('span', { class: 'ticket', 'data-testid': 'flow-ticket' }, entry.ticket)),
    person ? h('p', { class: 'meta' }, identityLine(person, facts)) : null,
    h('p', { class: 'flags' }, (facts?.flags ?? []).map((flag) => badge(t(`flag.${flag}`), 'info')), priorityBadge(entry)),
    entry.complaint ? h('p', {}, h('strong', {}, t('flow_desk.complaint')), ' ', entry.complaint) : null,
    detail.history?.length > 1 ? h('p', { class: 'meta', 'data-testid': 'flow-route' },
      t('flow_desk.route', { route: routeText(detail.history, points) })) : null);
}

/**
 * The screen of one service point of one of `kinds`: the queue panel and, beside it, `work(entry,
 * ctx)` for the person the panel reports as current. ctx: {points, point, status, refresh(),
 * done(message)};
 * `done` clears the work area and says what happened, once the person has been sent on.
 */
export async function flowScreen({ point: pointId, kinds, title }, work) {
  let points;
  try {
    ({ service_points: points } = await apiFetch('/flow/organisation'));
  } catch (error) {
    return page(title, { back: '#/flow' }, h('p', { class: 'notice warn', role: 'alert' }, problemText(error)));
  }
  const point = points.find((p) => p.id === pointId && kinds.includes(p.kind));
  if (!point) return page(title, { back: '#/flow' }, empty(t('flow_desk.no_point')));
  const status = statusLine();
  const area = h('div', { class: 'flow-work', 'data-testid': 'flow-work' }, empty(t('flow_desk.nobody')));
  let shown = null;
  const ctx = {
    points, point, status,
    /** After a record for the person: the server starts a called entry with it (backend/
     * flow/desk.py serve), which the queue panel then shows. */
    refresh: () => panel.refresh(),
    done(message) {
      shown = null;
      status.say(message);
      replace(area, empty(t('flow_desk.nobody')));
      panel.refresh?.();
    },
  };
  async function show(entry) {
    // The panel reports its person again when their status changes (called -> in service):
    // keep what is being typed, with the entry as it is now.
    if (entry && entry.id === shown?.id) {
      Object.assign(shown, entry);
      return;
    }
    shown = entry ? { ...entry } : null;
    if (!entry) {
      replace(area, empty(t('flow_desk.nobody')));
      return;
    }
    const current = shown;
    status.clear();
    replace(area, h('p', { class: 'empty' }, t('flow_desk.loading')));
    try {
      const view = await work(current, ctx);
      if (shown === current) replace(area, view);
    } catch (error) {
      if (shown === current) replace(area, h('p', { class: 'notice warn', role: 'alert' }, problemText(error)));
    }
  }
  const panel = queuePanel(pointId, { onCurrent: show, heading: false });
  return page(point.label, { back: '#/flow', lead: app.profile.display_name },
    h('div', { class: 'flow-desk' }, h('div', { class: 'flow-queue-side' }, panel), h('div', { class: 'flow-main' }, status.element, area)));
}
