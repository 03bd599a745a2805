// Loket (#/flow/loket): find the person (name, NIK, no. KK, JKN number on the server) or
// register a new one in the person form and come back; then the arrival (#/flow/loket?person=
// <id>): who they are, their life stage and what is due now (the clinical due list), the
// complaint, payer, new or returning, emergency, disability and symptoms, the route the
// clinical routing rule proposes in words, the cluster and room (the clerk may change them),
// and "Daftarkan", which answers with the ticket, shown large and printable. Today's arrivals
// are listed under both. Seed 003: registration is the entry point of integration.

import { app, canWrite } from '../app.js';
import { dueList } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { todayIso } from '../db.js';
import { h, replace } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { formatAge, formatDateTime, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { prefetch } from './desk.js';
import {
  DESTINATIONS, arrivalBody, arrivalDefaults, arrivalFields, proposalView, proposeRoute, roomsFor,
} from './flow-arrival.js';
import { clusterLabel, priorityBadge, problemText, statusBadge } from './flow-parts.js';
import { searchPanel } from './persons.js';
import { dueCard } from './person.js';
import {
  card, empty, linkButton, page, personFacts, personLine,
} from './ui.js';

const SERVER_WAIT_MS = 30000;
// A queue entry still open (backend/flow/vocabulary.py ACTIVE_STATUSES) and a no-show who
// may be called again.
const ACTIVE = ['waiting', 'called', 'in_service', 'skipped'];

/** The service points of the Puskesmas, or [] when they cannot be read (the server then
 * picks the room). */
async function loadPoints() {
  return apiFetch('/flow/organisation').then((org) => org.service_points, () => []);
}

/** Resolves once the device's own unsent writes among `ids` (a person registered a moment
 * ago at this desk) have reached the server, which the arrival needs; rejects when the server
 * refused one or the push does not get through in time. */
export function whenOnServer(outbox, ids, { timeoutMs = SERVER_WAIT_MS, nudge = () => {} } = {}) {
  const mine = ids.filter(Boolean);
  const refused = () => mine.some((id) => outbox.refused[id]);
  const pending = () => mine.some((id) => outbox.pending[id]);
  if (refused()) return Promise.reject(Object.assign(new Error('refused'), { refused: true }));
  if (!pending()) return Promise.resolve();
  nudge();
  return new Promise((resolve, reject) => {
    const done = (error) => {
      clearTimeout(timer);
      outbox.removeEventListener('change', check);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (refused()) done(Object.assign(new Error('refused'), { refused: true }));
      else if (!pending()) done();
    };
    const timer = setTimeout(() => done(Object.assign(new Error('not pushed'), { status: 0 })), timeoutMs);
    outbox.addEventListener('change', check);
  });
}

function arrivalRow(item, labels, config) {
  const { arrival, entry } = item;
  return h('li', { class: 'flow-arrival', dataset: { arrival: arrival.id } },
    h('span', { class: 'flow-who' },
      h('strong', { class: 'flow-ticket' }, entry?.ticket ?? ''), ' ',
      h('span', {}, arrival.person?.name ?? t('flow.queue.outside_area')), ' ', priorityBadge(arrival, config)),
    h('span', { class: 'meta' }, [labels.get(entry?.service_point) ?? clusterLabel(arrival.cluster),
      formatDateTime(arrival.created_at)].filter(Boolean).join(' · ')),
    entry ? statusBadge(entry.status) : null);
}

/** Today's arrivals, newest first, with where each person is now; `onItems` sees them. */
function arrivalsCard(points, config, onItems = () => {}) {
  const list = h('div', { 'data-testid': 'arrivals-today', 'aria-live': 'polite' }, h('p', { class: 'meta' }, t('flow.loading')));
  const labels = new Map(points.map((point) => [point.id, point.label]));
  apiFetch('/flow/arrivals').then((answer) => {
    onItems(answer.items);
    replace(list, answer.items.length
      ? h('ul', { class: 'flow-arrivals' }, answer.items.map((item) => arrivalRow(item, labels, config)))
      : empty(t('flow.loket.no_arrivals')));
  }, (error) => replace(list, h('p', { class: 'flow-alert', role: 'alert' }, problemText(error))));
  return card(t('flow.loket.today'), list);
}

async function findPage(config) {
  const pick = (person) => linkButton(`#/flow/loket?person=${encodeURIComponent(person._id)}`, t('flow.loket.pick'), 'primary small');
  return page(t('flow.loket.title'), {
    back: '#/flow', lead: t('flow.loket.lead'),
    actions: canWrite('person') ? [linkButton('#/person/new?loket=1', t('persons.register'), 'primary')] : [],
  },
  card(t('flow.loket.find'), searchPanel(config, { rowActions: pick }),
    h('p', { class: 'hint' }, t('flow.loket.find_hint'))),
  arrivalsCard(await loadPoints(), config));
}

/** Who is registering: the person line, life stage, JKN, and what is due now. */
function personCard(config, person, facts, due) {
  const household = app.records.get(person.household);
  const bits = [facts ? `${t('flow.loket.stage')}: ${facts.label}` : null, facts ? formatAge(facts.age) : null,
    person.jkn ? t('flow.loket.jkn_number', { jkn: person.jkn }) : t('flow.loket.no_jkn'),
    household?.no_kk ? `KK ${household.no_kk}` : null].filter(Boolean);
  return h('div', { class: 'grid-2' },
    card(t('flow.loket.who'), personLine(config, person), h('p', { class: 'meta', 'data-testid': 'loket-stage' }, bits.join(' · ')),
      h('p', {}, h('a', { href: `#/person/${encodeURIComponent(person._id)}` }, t('flow.loket.open_record')))),
    dueCard(due));
}

function ticketCard(config, result, pointLabel) {
  const { entry, arrival } = result;
  const print = () => {
    document.body.classList.add('flow-printing');
    window.addEventListener('afterprint', () => document.body.classList.remove('flow-printing'), { once: true });
    window.print();
  };
  return h('section', { class: 'flow-ticket-card', 'data-testid': 'ticket', tabindex: '-1' },
    h('p', { class: 'flow-ticket-title' }, t('flow.loket.ticket_title')),
    h('p', { class: 'flow-ticket-big', 'data-testid': 'ticket-number' }, entry.ticket),
    h('p', { class: 'flow-ticket-point', 'data-testid': 'ticket-point' }, pointLabel ?? clusterLabel(entry.cluster)),
    h('p', { class: 'flow-ticket-meta' }, [arrival.person?.name, formatDateTime(arrival.created_at)].filter(Boolean).join(' · ')),
    h('p', {}, priorityBadge(entry, config)),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: print }, t('flow.loket.print')),
      linkButton('#/flow/loket', t('flow.loket.next_person'))));
}

/** The room choice for `cluster`, keeping `chosen` when it still serves it. */
function roomOptions(select, rooms, chosen) {
  const keep = rooms.some((room) => room.id === chosen) ? chosen : rooms[0]?.id ?? '';
  replace(select, rooms.map((room) => h('option', { value: room.id, selected: room.id === keep }, room.label)));
  select.disabled = !rooms.length;
}

function arrivalForm(config, { person, history, today, points, onRegistered }) {
  const defaults = arrivalDefaults(person, history);
  const clusterSelect = field({ name: 'cluster', label: t('flow.loket.cluster'), type: 'select', required: true,
    options: DESTINATIONS.map((code) => [code, clusterLabel(code)]) });
  const roomField = field({ name: 'service_point', label: t('flow.loket.room'), type: 'select', hint: t('flow.loket.room_hint') });
  const roomSelect = roomField.querySelector('select');
  roomSelect.querySelector('option')?.remove(); // a room is always one of the cluster's
  const proposalBox = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack flow-arrival-form', novalidate: true, 'data-testid': 'arrival-form' },
    card(t('flow.loket.arrival'), arrivalFields(config, defaults)),
    card(t('flow.loket.route'), proposalBox, h('div', { class: 'row' }, clusterSelect, roomField)),
    actions(h('button', { type: 'submit', class: 'primary flow-register' }, t('flow.loket.register'))));
  const cluster = form.querySelector('select[name=cluster]');
  let followProposal = true; // until the clerk picks a cluster themselves
  cluster.addEventListener('change', () => { followProposal = false; });
  const update = () => {
    const proposal = proposeRoute(config, { person, history, date: today, values: formValues(form) });
    replace(proposalBox, proposalView(config, proposal));
    if (followProposal && proposal) cluster.value = proposal.cluster;
    roomOptions(roomSelect, roomsFor(points, cluster.value), roomSelect.value);
  };
  form.addEventListener('change', (event) => { if (event.target !== roomSelect) update(); });
  update();
  onSubmit(form, async () => {
    const { body, errors } = arrivalBody(formValues(form), person._id);
    if (!showErrors(form, errors)) return;
    try {
      await whenOnServer(app.outbox, [person._id, person.household], { nudge: () => app.sync.restart() });
      onRegistered(await apiFetch('/flow/arrivals', { method: 'POST', body }));
    } catch (error) {
      const text = error.refused ? t('flow.loket.person_refused') : problemText(error);
      showErrors(form, { form: text }, t('flow.loket.not_registered'));
    }
  });
  return form;
}

async function arrivalPage(config, personId) {
  const blocked = await prefetch(() => app.records.loadPerson(personId), '#/flow/loket');
  if (blocked) return blocked;
  const person = app.records.get(personId); // just registered here: the device's own copy
  if (!person) return page(t('desk.not_found'), { back: '#/flow/loket' });
  const today = todayIso();
  const history = app.records.history(personId);
  const facts = personFacts(config, person, today);
  let due = { items: [] };
  try {
    due = dueList(config, { person, history, date: today });
  } catch {
    // a record the evaluator cannot read: registered all the same, the desk sees the record
  }
  const points = await loadPoints();
  const labels = new Map(points.map((point) => [point.id, point.label]));
  // Once registered, the ticket heads the page (the clerk hands the number over) and the
  // form is gone: a second tap cannot register the visit twice.
  const top = h('div', {});
  const slot = h('div', {});
  // Already queued today (still waiting, or being served): said before the clerk fills the
  // form, in the words of the place and status; the server refuses a second arrival anyway.
  const queued = (items) => {
    const open = items.find((item) => item.arrival.person?.id === personId && ACTIVE.includes(item.entry?.status));
    if (open && !top.firstChild) {
      replace(top, h('p', { class: 'notice warn', role: 'status', 'data-testid': 'already-queued' }, t('flow.loket.already', {
        ticket: open.entry.ticket, place: labels.get(open.entry.service_point) ?? '', status: t(`flow.status.${open.entry.status}`),
      })));
    }
  };
  let arrivals = arrivalsCard(points, config, queued);
  replace(slot, arrivalForm(config, {
    person, history, today, points,
    onRegistered: (result) => {
      const ticket = ticketCard(config, result, labels.get(result.entry.service_point));
      replace(top, ticket);
      slot.replaceChildren();
      const fresh = arrivalsCard(points, config);
      arrivals.replaceWith(fresh);
      arrivals = fresh;
      ticket.focus();
    },
  }));
  return page(person.name, { back: '#/flow/loket', lead: t('flow.loket.arrival_lead') },
    top, personCard(config, person, facts, due), slot, arrivals);
}

export async function flowLoket(params, query) {
  const config = await clinicalConfig();
  return query.person ? arrivalPage(config, query.person) : findPage(config);
}

