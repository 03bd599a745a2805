// Tugas Pustu: follow-ups the server derived from findings (a kader's referral, a high
// blood pressure), sent from the Puskesmas or made here; by status, urgent first, each with
// why, where it came from and by when. Closing one records what happened (outcome_code and
// the result in words). Works offline; the outcome syncs back to the Puskesmas.

import { app, canWrite } from '../app.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { formatDate, formatMonth, t } from '../i18n.js';
import { go, refreshOn } from '../router.js';
import { dataReady } from '../sync-state.js';
import { OUTCOMES, TABS, closeChanges, closeErrors, inTab, isLate, isOpen, newTasks, orderTasks, originWords } from '../task-list.js';
import { markSeen, seenTasks } from '../task-seen.js';
import { correctionBadge, correctionCard } from './correction-task.js';
import { badge, card, empty, page } from './ui.js';

/** "Dari kunjungan Posyandu Melati, 12 Nov 2026", or null when the task says nothing of it. */
export function originText(task) {
  const words = originWords(task, {
    get: (id) => app.records.get(id),
    settingWord: (setting) => t(`setting.${setting}`),
    formatDate: (iso) => formatDate(iso),
    formatMonth: (month) => formatMonth(month),
  });
  return words ? t(words.key, words.params) : null;
}

function statusBadges(task, today, fresh) {
  const late = isLate(task, today);
  return h('span', { class: 'task-badges' },
    task.urgent && isOpen(task) ? badge(t('tasks.urgent'), 'bad') : null,
    fresh ? badge(t('tasks.new_badge'), 'info') : null,
    badge(t(`task.status.${task.status}`), late ? 'bad' : task.status === 'done' ? 'ok' : 'info'),
    late ? badge(t('tasks.late'), 'bad') : null,
    correctionBadge(task));
}

function taskRow(task, today, fresh) {
  const person = app.records.get(task.person);
  const origin = originText(task);
  return h('li', { class: 'result', dataset: { urgent: task.urgent ? 'true' : 'false' } },
    h('a', { class: 'result-main', href: `#/task/${task._id}` },
      h('strong', {}, person?.name ?? t('tasks.no_person')),
      h('span', {}, task.reason),
      h('span', { class: 'meta' }, [origin, t('tasks.due', { date: formatDate(task.due_date) })].filter(Boolean).join(' · ')),
      statusBadges(task, today, fresh)));
}

function tabNav(all, tab, today, ready) {
  return h('nav', { class: 'tabs', 'aria-label': t('tasks.tabs') }, TABS.map((name) => h('a', {
    href: `#/tasks?tab=${name}`, 'aria-current': name === tab ? 'page' : null,
  }, t(`tasks.tab.${name}`), ' ', h('span', { class: 'count' },
    ready ? String(all.filter((task) => inTab(task, name, today)).length) : '…'))));
}

// The tasks that were new when this visit of the task screens began keep their "Baru" badge
// through re-renders, tabs and a task's page; leaving the task screens ends the visit.
let visitFresh = null;

function freshThisVisit(all) {
  const { username } = app.profile;
  if (!visitFresh) {
    visitFresh = new Set();
    const end = () => {
      if (window.location.hash.startsWith('#/task')) return;
      visitFresh = null;
      window.removeEventListener('hashchange', end);
    };
    window.addEventListener('hashchange', end);
  }
  newTasks(all, seenTasks(username)).forEach((task) => visitFresh.add(task._id));
  // Looking at the list is what makes a task no longer new (Beranda counts the rest).
  markSeen(username, all.filter(isOpen));
  return visitFresh;
}

export function tasksPage(params, query) {
  refreshOn(app.sync);
  const tab = TABS.includes(query.tab) ? query.tab : 'open';
  const today = db.todayIso();
  const all = app.records.all('task');
  const ready = dataReady(app.sync.state);
  const fresh = freshThisVisit(all);
  const shown = orderTasks(all.filter((task) => inTab(task, tab, today)), tab);
  return page(t('tasks.title'), {}, tabNav(all, tab, today, ready),
    ready ? null : h('p', { class: 'notice', role: 'status', 'data-testid': 'tasks-loading' }, t('tasks.loading')),
    shown.length ? h('ul', { class: 'results', 'data-testid': 'task-list' }, shown.map((task) => taskRow(task, today, fresh.has(task._id))))
      : empty(ready ? t('tasks.none') : t('tasks.none_yet')));
}

function facts(task) {
  const person = app.records.get(task.person);
  const origin = originText(task);
  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
  return h('dl', { class: 'facts', 'data-testid': 'task-facts' },
    row(t('tasks.person'), person ? h('a', { href: `#/person/${person._id}` }, person.name) : '—'),
    row(t('tasks.reason'), [task.reason, task.urgent && isOpen(task) ? [' ', badge(t('tasks.urgent'), 'bad')] : null]),
    origin ? row(t('tasks.source'), origin) : null,
    task.cluster ? row(t('tasks.referred_to'), t(`admin.cluster.${task.cluster}`)) : null,
    row(t('tasks.due_date'), formatDate(task.due_date)),
    row(t('tasks.status'), t(`task.status.${task.status}`)),
    task.outcome_code ? row(t('tasks.outcome_code'), t(`task.outcome.${task.outcome_code}`)) : null,
    task.outcome ? row(t('tasks.outcome'), task.outcome) : null,
    task.done_at ? row(t('tasks.done_at'), formatDate(task.done_at)) : null);
}

function closeForm(task) {
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'task-close' },
    field({ name: 'status', label: t('tasks.new_status'), type: 'radio', required: true,
      options: ['in_progress', 'done', 'cancelled'].map((code) => [code, t(`task.status.${code}`)]) }),
    field({ name: 'outcome_code', label: t('tasks.outcome_code'), type: 'radio', hint: t('tasks.outcome_code_hint'),
      options: OUTCOMES.map((code) => [code, t(`task.outcome.${code}`)]) }),
    field({ name: 'outcome', label: t('tasks.outcome'), type: 'textarea', maxlength: 1000, hint: t('tasks.outcome_hint') }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = bindDraft(form, `task:${task._id}`, {
    status: task.status === 'open' ? 'in_progress' : task.status, outcome_code: task.outcome_code ?? '', outcome: task.outcome ?? '',
  });
  onSubmit(form, async () => {
    const values = formValues(form);
    const errors = Object.fromEntries(Object.entries(closeErrors(values)).map(([name, key]) => [name, t(key)]));
    if (!showErrors(form, errors)) return;
    await db.update(task, closeChanges(task, values, db.nowIso()));
    draft.clear();
    go('/tasks');
  });
  return form;
}

export function taskPage({ id }) {
  const task = app.records.get(id);
  if (!task) return page(t('common.not_found'), { back: '#/tasks' });
  const person = app.records.get(task.person);
  const head = { back: '#/tasks', lead: person?.name };
  if (!canWrite('task')) return page(t('tasks.task'), head, card(null, facts(task)), correctionCard(task));
  return page(t('tasks.task'), head, card(null, facts(task)), correctionCard(task), card(t('tasks.update'), closeForm(task)));
}

/** A follow-up made at the Pustu or Puskesmas for a person. */
export function taskNew({ id }) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  const today = db.todayIso();
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'reason', label: t('tasks.reason'), required: true, maxlength: 300 }),
    field({ name: 'due_date', label: t('tasks.due_date'), type: 'date', required: true, min: today }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = bindDraft(form, `task-new:${id}`, { due_date: today });
  onSubmit(form, async () => {
    const values = formValues(form);
    const errors = {};
    if (!values.reason.trim()) errors.reason = t('valid.required');
    if (!values.due_date) errors.due_date = t('valid.required');
    if (!showErrors(form, errors)) return;
    await db.create('task', person.desa, {
      person: id, reason: values.reason.trim(), due_date: values.due_date, status: 'open', source: app.profile.role_label,
    });
    draft.clear();
    go(`/person/${id}`);
  });
  return page(t('tasks.new'), { back: `#/person/${id}`, lead: person.name }, form);
}
