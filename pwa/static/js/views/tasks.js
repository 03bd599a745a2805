// Tugas Pustu: follow-ups sent from the Puskesmas (or made here), by status, with the
// outcome entered when done. Works offline; the outcome syncs back to the Puskesmas.

import { app, canWrite } from '../app.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { go } from '../router.js';
import { badge, card, empty, page } from './ui.js';

const OPEN = ['open', 'in_progress'];
const TABS = ['open', 'overdue', 'done'];

function inTab(task, tab, today) {
  if (tab === 'done') return !OPEN.includes(task.status);
  if (tab === 'overdue') return OPEN.includes(task.status) && task.due_date < today;
  return OPEN.includes(task.status);
}

function taskRow(task, today) {
  const person = app.records.get(task.person);
  const late = OPEN.includes(task.status) && task.due_date < today;
  return h('li', { class: 'result' }, h('a', { class: 'result-main', href: `#/task/${task._id}` },
    h('strong', {}, person?.name ?? t('tasks.no_person')),
    h('span', {}, task.reason),
    h('span', { class: 'meta' }, t('tasks.due', { date: formatDate(task.due_date) })),
    badge(t(`task.status.${task.status}`), late ? 'bad' : task.status === 'done' ? 'ok' : 'info'),
    late ? badge(t('tasks.late'), 'bad') : null));
}

export function tasksPage(params, query) {
  const tab = TABS.includes(query.tab) ? query.tab : 'open';
  const today = db.todayIso();
  const all = app.records.all('task');
  const shown = all.filter((task) => inTab(task, tab, today))
    .sort((a, b) => (tab === 'done' ? b.due_date.localeCompare(a.due_date) : a.due_date.localeCompare(b.due_date)));
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('tasks.tabs') }, TABS.map((name) => h('a', {
    href: `#/tasks?tab=${name}`, 'aria-current': name === tab ? 'page' : null,
  }, t(`tasks.tab.${name}`), ' ', h('span', { class: 'count' }, String(all.filter((task) => inTab(task, name, today)).length)))));
  return page(t('tasks.title'), {}, tabs,
    shown.length ? h('ul', { class: 'results', 'data-testid': 'task-list' }, shown.map((task) => taskRow(task, today)))
      : empty(t('tasks.none')));
}

export function taskPage({ id }) {
  const task = app.records.get(id);
  if (!task) return page(t('common.not_found'), { back: '#/tasks' });
  const person = app.records.get(task.person);
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('tasks.person')), h('dd', {}, person ? h('a', { href: `#/person/${person._id}` }, person.name) : '—'),
    h('dt', {}, t('tasks.reason')), h('dd', {}, task.reason),
    h('dt', {}, t('tasks.due_date')), h('dd', {}, formatDate(task.due_date)),
    task.source ? [h('dt', {}, t('tasks.source')), h('dd', {}, task.source)] : null,
    h('dt', {}, t('tasks.status')), h('dd', {}, t(`task.status.${task.status}`)));
  if (!canWrite('task')) return page(t('tasks.task'), { back: '#/tasks' }, card(null, facts));
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'status', label: t('tasks.new_status'), type: 'radio', required: true,
      options: ['in_progress', 'done', 'cancelled'].map((code) => [code, t(`task.status.${code}`)]) }),
    field({ name: 'outcome', label: t('tasks.outcome'), type: 'textarea', maxlength: 1000, hint: t('tasks.outcome_hint') }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = bindDraft(form, `task:${id}`, { status: task.status === 'open' ? 'in_progress' : task.status, outcome: task.outcome ?? '' });
  onSubmit(form, async () => {
    const values = formValues(form);
    const errors = {};
    if (!values.status) errors.status = t('valid.required');
    if (values.status === 'done' && !values.outcome.trim()) errors.outcome = t('tasks.outcome_required');
    if (!showErrors(form, errors)) return;
    await db.update(task, {
      status: values.status, outcome: values.outcome.trim(),
      done_at: values.status === 'done' ? db.nowIso() : task.done_at,
    });
    draft.clear();
    go('/tasks');
  });
  return page(t('tasks.task'), { back: '#/tasks' }, card(null, facts), card(t('tasks.update'), form));
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
