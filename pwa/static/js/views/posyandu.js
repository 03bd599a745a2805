// Sesi Posyandu: choose the Posyandu and the date, then work through the five tables
// (daftar → timbang/ukur → catat → layanan/skrining → penyuluhan), one screen per step with
// the queue of people waiting at it. Built for 50-150 people in one session, offline, on
// several tablets at once (the state they share: posyandu-queue.js).

import { app } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import * as db from '../db.js';
import { confirmDialog } from '../dialog.js';
import { h, replace } from '../dom.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { go } from '../router.js';
import { searchPanel } from './persons.js';
import { placeName, posyanduOptions } from './places.js';
import { loadSession, sessionFrame, sessionState, waitingAt } from './posyandu-frame.js';
import {
  STEPS, attendanceCount, finishVisit, hasContent, joinSession, nextTable, openSession,
} from './posyandu-queue.js';
import { badge, card, empty, linkButton, page, personLine } from './ui.js';

export async function posyanduStart() {
  await app.records.whenComplete(); // attendance counts read the visits
  const options = posyanduOptions();
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'posyandu', label: t('posyandu.place'), type: 'select', required: true, options,
      value: options.length === 1 ? options[0][0] : undefined }),
    field({ name: 'date', label: t('posyandu.date'), type: 'date', required: true, value: db.todayIso(), max: db.todayIso() }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('posyandu.start'))));
  onSubmit(form, async () => {
    const { posyandu, date } = form.elements;
    const errors = {};
    if (!posyandu.value) errors.posyandu = t('valid.required');
    if (!date.value || date.value > db.todayIso()) errors.date = t('valid.future');
    if (!showErrors(form, errors)) return;
    const session = await openSession(posyandu.value, date.value);
    go(`/posyandu/${session._id}/daftar`);
  });
  const recent = app.records.all('posyandu_session').sort((a, b) => b.date.localeCompare(a.date)).slice(0, 10);
  return page(t('posyandu.title'), {},
    card(t('posyandu.new_session'), options.length ? form : empty(t('posyandu.no_places'))),
    card(t('posyandu.recent'), recent.length ? h('ul', { class: 'results' }, recent.map((session) => h('li', { class: 'result' },
      h('a', { class: 'result-main', href: `#/posyandu/${session._id}/daftar` },
        h('strong', {}, placeName(session.posyandu)),
        h('span', { class: 'meta' }, `${formatDate(session.date)} · ${t('posyandu.attendance', { n: attendanceCount(session) })}`),
        session.status === 'closed' ? badge(t('posyandu.closed'), 'muted') : null))))
      : empty(t('posyandu.no_sessions'))));
}

async function closeSession(sessionId) {
  // Read now, not when the screen was drawn: other tablets' work may have arrived since.
  const state = sessionState(app.records.get(sessionId));
  const { session, visits, done } = state;
  const open = state.registered.filter((id) => !done.has(id) && hasContent(visits.get(id) ?? {}));
  const confirmed = await confirmDialog({
    title: t('posyandu.close_title'),
    body: [t('posyandu.close_body', { n: open.length })],
    confirm: t('posyandu.close_confirm'),
  });
  if (!confirmed) return;
  const config = await clinicalConfig();
  for (const personId of open) {
    const person = app.records.get(personId);
    if (person) await finishVisit(session, person, visits.get(personId), config);
  }
  await db.updateLatest(session._id, () => ({ status: 'closed' }));
  go('/posyandu');
}

/** The session's frame with its "Tutup sesi" button (or the closed badge). */
export function sessionPage(state, current, options, ...body) {
  const buttons = state.session.status === 'closed' ? [badge(t('posyandu.closed'), 'muted')]
    : [h('button', { type: 'button', class: 'secondary', onclick: () => closeSession(state.session._id) }, t('posyandu.close'))];
  return sessionFrame(state, current, { ...options, actions: buttons }, ...body);
}

function progressBadge(state, personId) {
  if (state.done.has(personId)) return badge(t('posyandu.finished'), 'ok');
  return badge(t('posyandu.at_step', { step: t(`step.${nextTable(state.visits.get(personId))}`) }), 'info');
}

function registeredList(config, state, section) {
  const people = [...state.registered].reverse().map((id) => app.records.get(id)).filter(Boolean);
  replace(section, h('h2', {}, t('posyandu.registered_list', { n: people.length })),
    people.length ? h('ul', { class: 'results' }, people.map((person) => h('li', { class: 'result' },
      h('a', { class: 'result-main', href: `#/person/${person._id}` }, personLine(config, person)),
      progressBadge(state, person._id))))
      : empty(t('posyandu.nobody')));
}

function registerStep(config, state) {
  let current = state;
  const registerButton = (person) => {
    if (current.registered.includes(person._id)) return badge(t('posyandu.registered'), 'ok');
    return h('button', {
      type: 'button', class: 'primary small', 'data-testid': 'register-person',
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        await joinSession(current.session, person._id);
        button.replaceWith(badge(t('posyandu.registered'), 'ok'));
        const input = document.getElementById('person-search');
        input.select();
        input.focus();
      },
    }, t('posyandu.register'));
  };
  const registered = h('section', { class: 'card' });
  registeredList(config, state, registered);
  const body = [
    card(t('posyandu.find'), searchPanel(config, { rowActions: registerButton }),
      h('p', {}, linkButton(`#/person/new?session=${state.session._id}`, t('posyandu.new_person')))),
    registered,
  ];
  // Redrawn in place after each registration (here or on another tablet): the search box
  // keeps its text and focus.
  const onState = (next) => {
    current = next;
    registeredList(config, next, registered);
  };
  return { body, onState };
}

function queueRows(config, state, step, list, filter) {
  const waiting = waitingAt(step, state).map((id) => app.records.get(id)).filter(Boolean);
  const text = filter.value.trim().toLowerCase();
  const shown = waiting.filter((person) => !text || person.name.toLowerCase().includes(text));
  list.replaceChildren(...(shown.length ? shown.map((person) => h('li', { class: 'result' },
    h('a', { class: 'result-main', href: `#/posyandu/${state.session._id}/${step}/${person._id}` }, personLine(config, person))))
    : [h('li', {}, empty(t('posyandu.queue_empty')))]));
  return waiting.length;
}

function waitingStep(config, state, step) {
  let current = state;
  const heading = h('h2', {});
  const list = h('ul', { class: 'results queue', 'data-testid': 'queue', dataset: { step } });
  const filter = h('input', { type: 'search', id: 'queue-filter', autocomplete: 'off', placeholder: t('posyandu.queue_filter') });
  const show = () => {
    const waiting = queueRows(config, current, step, list, filter);
    const doneHere = current.registered.filter((id) => current.done.has(id) || current.visits.get(id)?.done?.[step]).length;
    heading.textContent = t('posyandu.waiting', { n: waiting, done: doneHere });
  };
  filter.addEventListener('input', show);
  show();
  const body = h('section', { class: 'card' }, heading,
    h('label', { for: 'queue-filter' }, t('posyandu.queue_filter_label')), filter, list);
  return { body, onState: (next) => { current = next; show(); } };
}

export async function posyanduStep({ session: sessionId, step }) {
  const state = await loadSession(sessionId);
  if (!state || !STEPS.includes(step)) return page(t('common.not_found'), { back: '#/posyandu' });
  const config = await clinicalConfig();
  const { body, onState } = step === 'daftar' ? registerStep(config, state) : waitingStep(config, state, step);
  return sessionPage(state, step, { onState }, body);
}
