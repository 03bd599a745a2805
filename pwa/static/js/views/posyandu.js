// Sesi Posyandu: choose the Posyandu and the date, then work through the five tables
// (daftar → timbang/ukur → catat → layanan/skrining → penyuluhan), one screen per step with
// the queue of people waiting at it. Built for 50-150 people in one session, offline.

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
import {
  STEPS, finishVisit, finishedIds, hasContent, joinSession, openSession, queue, readVisits,
} from './posyandu-queue.js';
import { badge, card, empty, linkButton, page, personFacts, personLine } from './ui.js';

export function posyanduStart() {
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
        h('span', { class: 'meta' }, `${formatDate(session.date)} · ${t('posyandu.attendance', { n: session.attendance?.length ?? 0 })}`),
        session.status === 'closed' ? badge(t('posyandu.closed'), 'muted') : null))))
      : empty(t('posyandu.no_sessions'))));
}

async function closeSession(session, visits, finished) {
  const open = (session.attendance ?? []).filter((id) => !finished.has(id) && hasContent(visits.get(id) ?? {}));
  const confirmed = await confirmDialog({
    title: t('posyandu.close_title'),
    body: [t('posyandu.close_body', { n: open.length })],
    confirm: t('posyandu.close_confirm'),
  });
  if (!confirmed) return;
  const config = await clinicalConfig();
  for (const personId of open) {
    const person = app.records.get(personId);
    await finishVisit(session, person, visits.get(personId), personFacts(config, person, session.date));
  }
  await db.updateLatest(session._id, () => ({ status: 'closed' }));
  go('/posyandu');
}

/** The frame of every step: title, the five steps with their waiting counts, and the body. */
export function sessionFrame(session, current, { visits, finished }, ...body) {
  const registered = session.attendance?.length ?? 0;
  const steps = h('ol', { class: 'stepper' }, STEPS.map((step, index) => {
    const waiting = index === 0 ? registered : queue(step, session, visits, finished).length;
    return h('li', {}, h('a', {
      href: `#/posyandu/${session._id}/${step}`, 'aria-current': step === current ? 'step' : null,
      'data-testid': `step-${step}`,
    }, h('span', { class: 'step-no' }, String(index + 1)), h('span', {}, t(`step.${step}`)),
    h('span', { class: 'count', 'aria-label': t(index === 0 ? 'posyandu.registered_n' : 'posyandu.waiting_n', { n: waiting }) }, String(waiting))));
  }));
  return page(placeName(session.posyandu), {
    back: '#/posyandu',
    lead: `${formatDate(session.date, 'long')} · ${t('posyandu.progress', { done: finished.size, n: registered })}`,
    actions: session.status === 'closed' ? [badge(t('posyandu.closed'), 'muted')]
      : [h('button', { type: 'button', class: 'secondary', onclick: () => closeSession(session, visits, finished) }, t('posyandu.close'))],
  }, h('nav', { 'aria-label': t('posyandu.steps') }, steps), body);
}

export function loadSession(sessionId) {
  const session = app.records.get(sessionId);
  if (!session) return null;
  return { session, visits: readVisits(sessionId), finished: finishedIds(sessionId) };
}

function registerStep(config, state) {
  const { session, visits, finished } = state;
  const attendance = new Set(session.attendance ?? []);
  const register = (person) => {
    if (attendance.has(person._id)) return badge(t('posyandu.registered'), 'ok');
    return h('button', {
      type: 'button', class: 'primary small', 'data-testid': 'register-person',
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        await joinSession(session._id, person._id);
        attendance.add(person._id);
        button.replaceWith(badge(t('posyandu.registered'), 'ok'));
        showRegistered();
        const input = document.getElementById('person-search');
        input.select();
        input.focus();
      },
    }, t('posyandu.register'));
  };
  const progress = (personId) => {
    if (finished.has(personId)) return badge(t('posyandu.finished'), 'ok');
    const done = visits.get(personId)?.done ?? {};
    const next = STEPS.slice(1).find((step) => !done[step]);
    return badge(t('posyandu.at_step', { step: t(`step.${next}`) }), 'info');
  };
  const registered = h('section', { class: 'card' });
  // Redrawn in place after each registration: the search box keeps its text and focus.
  function showRegistered() {
    const people = [...attendance].reverse().map((id) => app.records.get(id)).filter(Boolean);
    replace(registered, h('h2', {}, t('posyandu.registered_list', { n: people.length })),
      people.length ? h('ul', { class: 'results' }, people.map((person) => h('li', { class: 'result' },
        h('a', { class: 'result-main', href: `#/person/${person._id}` }, personLine(config, person)), progress(person._id))))
        : empty(t('posyandu.nobody')));
    const count = document.querySelector('[data-testid="step-daftar"] .count');
    if (count) {
      count.textContent = String(people.length);
      count.setAttribute('aria-label', t('posyandu.registered_n', { n: people.length }));
    }
  }
  showRegistered();
  return [
    card(t('posyandu.find'), searchPanel(config, { rowActions: register }),
      h('p', {}, linkButton(`#/person/new?session=${session._id}`, t('posyandu.new_person')))),
    registered,
  ];
}

function waitingStep(config, state, step) {
  const { session, visits, finished } = state;
  const waiting = queue(step, session, visits, finished).map((id) => app.records.get(id)).filter(Boolean);
  const doneHere = (session.attendance ?? []).filter((id) => finished.has(id) || visits.get(id)?.done?.[step]).length;
  const list = h('ul', { class: 'results queue', 'data-testid': 'queue', dataset: { step } });
  const filter = h('input', { type: 'search', id: 'queue-filter', autocomplete: 'off', placeholder: t('posyandu.queue_filter') });
  const show = () => {
    const text = filter.value.trim().toLowerCase();
    const shown = waiting.filter((person) => !text || person.name.toLowerCase().includes(text));
    list.replaceChildren(...(shown.length ? shown.map((person) => h('li', { class: 'result' },
      h('a', { class: 'result-main', href: `#/posyandu/${session._id}/${step}/${person._id}` }, personLine(config, person))))
      : [h('li', {}, empty(t('posyandu.queue_empty')))]));
  };
  filter.addEventListener('input', show);
  show();
  return card(t('posyandu.waiting', { n: waiting.length, done: doneHere }),
    h('label', { for: 'queue-filter' }, t('posyandu.queue_filter_label')), filter, list);
}

export async function posyanduStep({ session: sessionId, step }) {
  const state = loadSession(sessionId);
  if (!state || !STEPS.includes(step)) return page(t('common.not_found'), { back: '#/posyandu' });
  const config = await clinicalConfig();
  const body = step === 'daftar' ? registerStep(config, state) : waitingStep(config, state, step);
  return sessionFrame(state.session, step, state, body);
}
