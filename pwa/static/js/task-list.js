// Follow-up tasks as the Pustu reads them: which are open, late or new to this user, in
// what order (urgent first), where each came from, and what closing one needs. Pure
// functions; the screens (views/tasks.js, views/home.js) only render them.

import { placeLabel } from './place-label.js';

export const OPEN = ['open', 'in_progress'];
export const TABS = ['open', 'overdue', 'done'];
// backend/documents/schemas.py TASK_OUTCOMES, in the order a midwife meets them.
export const OUTCOMES = ['datang', 'tidak_datang', 'dirujuk', 'pindah', 'meninggal'];

export function isOpen(task) {
  return OPEN.includes(task.status);
}

export function isLate(task, today) {
  return isOpen(task) && task.due_date < today;
}

export function inTab(task, tab, today) {
  if (tab === 'done') return !isOpen(task);
  if (tab === 'overdue') return isLate(task, today);
  return isOpen(task);
}

/** Urgent first, then the earliest due (finished tasks: the latest first). */
export function orderTasks(tasks, tab = 'open') {
  if (tab === 'done') return [...tasks].sort((a, b) => b.due_date.localeCompare(a.due_date));
  return [...tasks].sort((a, b) => Number(Boolean(b.urgent)) - Number(Boolean(a.urgent))
    || a.due_date.localeCompare(b.due_date) || a._id.localeCompare(b._id));
}

/** Open tasks this user has not seen in the task list yet, urgent first. `seen` is the set
 * of ids seen, or null when the list was never opened on this device (then all are new). */
export function newTasks(tasks, seen) {
  return orderTasks(tasks.filter((task) => isOpen(task) && !seen?.has(task._id)));
}

// A task's `source` written by older servers could hold a document id: never show that.
// A PWS follow-up (backend/pws/followup.py) has `pws:<indicator>:<YYYY-MM>`: shown as
// "Dari PWS <month>" (what it is about is in the reason), never as that key.
const PWS_SOURCE = /^pws:[a-z0-9_]+:(\d{4}-\d{2})$/;
const DOC_ID = /^[a-z_]+:[0-9a-f-]{8,}/i;

/** The catalog key and parameters of "where this task came from", or null.
 * lookup: {get(id) -> doc | null, settingWord(setting) -> word, formatDate(iso) -> text,
 * formatMonth(yyyy-mm) -> text}. */
export function originWords(task, lookup) {
  if (task.origin) {
    const encounter = lookup.get(task.origin);
    if (!encounter) return { key: 'tasks.origin_missing', params: {} };
    const date = lookup.formatDate(encounter.date);
    if (encounter.setting === 'home') return { key: 'tasks.origin_home', params: { date } };
    const place = encounter.place ? lookup.get(encounter.place)?.name : null;
    const where = placeLabel(lookup.settingWord(encounter.setting), place);
    return { key: 'tasks.origin', params: { where, date } };
  }
  const pws = PWS_SOURCE.exec(task.source ?? '');
  if (pws) return { key: 'tasks.origin_pws', params: { month: lookup.formatMonth(pws[1]) } };
  if (task.source && !DOC_ID.test(task.source)) return { key: 'tasks.origin_source', params: { source: task.source } };
  return null;
}

/** Catalog keys of what is missing to save a task with these values, by field. Closing a
 * task asks what happened: done needs the outcome and the result in words. */
export function closeErrors(values) {
  const errors = {};
  if (!values.status) errors.status = 'valid.required';
  if (values.status === 'done' && !values.outcome_code) errors.outcome_code = 'tasks.outcome_code_required';
  if (values.status === 'done' && !(values.outcome ?? '').trim()) errors.outcome = 'tasks.outcome_required';
  if (values.outcome_code && !OUTCOMES.includes(values.outcome_code)) errors.outcome_code = 'valid.required';
  return errors;
}

/** The fields a save writes: the outcome stays only on a closed task. */
export function closeChanges(task, values, now) {
  const closing = values.status === 'done' || values.status === 'cancelled';
  return {
    status: values.status,
    outcome: (values.outcome ?? '').trim(),
    outcome_code: closing ? values.outcome_code || undefined : task.outcome_code,
    done_at: values.status === 'done' ? (task.status === 'done' && task.done_at ? task.done_at : now) : task.done_at,
  };
}
