// Tugas Pustu at a desk: the follow-ups of the whole area, read page by page from the
// server (a desk holds no tasks in memory), filterable by status and desa.

import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { prefetch, unavailable } from './desk.js';
import { desaNames, desaOptions } from './places.js';
import { badge, empty, page } from './ui.js';

const PAGE_SIZE = 50;
// Tab -> API filter. The API filters one status at a time, so a desk shows "open" and
// "in progress" apart; "overdue" covers both.
const TABS = {
  overdue: { overdue: 'true' },
  open: { status: 'open' },
  in_progress: { status: 'in_progress' },
  done: { status: 'done' },
};

function taskRow(row, today) {
  const open = row.status === 'open' || row.status === 'in_progress';
  const late = open && row.due_date < today;
  return h('li', { class: 'result' }, h('a', { class: 'result-main', href: `#/task/${row.id}` },
    h('strong', {}, row.person_name ?? t('tasks.no_person')),
    h('span', {}, row.reason),
    h('span', { class: 'meta' }, `${desaNames([row.desa])[0]} · ${t('tasks.due', { date: formatDate(row.due_date) })}`),
    h('span', { class: 'task-badges' },
      // `urgent` is on the row once the API lists it; until then the badge simply is not shown.
      row.urgent && open ? badge(t('tasks.urgent'), 'bad') : null,
      badge(t(`task.status.${row.status}`), late ? 'bad' : row.status === 'done' ? 'ok' : 'info'),
      late ? badge(t('tasks.late'), 'bad') : null)));
}

function pager(query, result) {
  const pages = Math.max(1, Math.ceil(result.total / result.page_size));
  const link = (to) => `#/tasks?${new URLSearchParams({ ...query, page: to })}`;
  return h('nav', { class: 'pager', 'aria-label': t('desk.pages') },
    result.page > 1 ? h('a', { class: 'button secondary small', href: link(result.page - 1) }, t('desk.previous')) : null,
    h('span', { class: 'meta' }, t('desk.page_of', { page: result.page, pages, total: result.total })),
    result.page < pages ? h('a', { class: 'button secondary small', href: link(result.page + 1) }, t('desk.next')) : null);
}

function desaPicker(query) {
  return h('label', { class: 'inline' }, t('review.desa'), ' ', h('select', {
    onchange: (event) => {
      window.location.hash = `#/tasks?${new URLSearchParams({ ...query, desa: event.target.value, page: 1 })}`;
    },
  }, h('option', { value: '' }, t('desk.all_desa')),
  desaOptions().map(([code, name]) => h('option', { value: code, selected: code === query.desa }, name))));
}

export async function deskTasksPage(params, query) {
  const tab = query.tab in TABS ? query.tab : 'overdue';
  const ask = { ...TABS[tab], page: Number(query.page) > 0 ? query.page : 1, page_size: PAGE_SIZE };
  if (query.desa) ask.desa = query.desa;
  let result;
  const failed = await prefetch(async () => {
    result = await apiFetch(`/tasks?${new URLSearchParams(ask)}`);
  });
  if (failed) return failed;
  if (!result) return unavailable('#/', 404);
  const today = todayIso();
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('tasks.tabs') }, Object.keys(TABS).map((name) => h('a', {
    href: `#/tasks?${new URLSearchParams({ tab: name, desa: query.desa ?? '' })}`, 'aria-current': name === tab ? 'page' : null,
  }, t(`desk.tasks.${name}`))));
  const state = { tab, desa: query.desa ?? '' };
  return page(t('tasks.title'), { lead: t('desk.tasks.lead') }, tabs, desaPicker(state),
    result.items.length ? h('ul', { class: 'results', 'data-testid': 'task-list' }, result.items.map((row) => taskRow(row, today)))
      : empty(t(tab === 'overdue' ? 'desk.tasks.none_overdue' : 'tasks.none')),
    result.total > result.page_size ? pager(state, result) : null);
}
