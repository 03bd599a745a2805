// Beranda: the day's starting points for this role, with live counts (at a desk, the
// server's counts of the whole area), and the follow-up tasks new since the user last
// looked, urgent first. Counts that depend on synced data say they are still loading while
// the first sync runs, never "0".

import { app, canWrite, hasRole } from '../app.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { refreshOn } from '../router.js';
import { apiFetch } from '../session.js';
import { dataReady } from '../sync-state.js';
import { isLate, isOpen, newTasks } from '../task-list.js';
import { seenTasks } from '../task-seen.js';
import { knownDesaNames } from './places.js';
import { attendanceCount } from './posyandu-queue.js';
import { originText } from './tasks.js';
import { badge, page } from './ui.js';

const NEW_SHOWN = 5;

function tile(href, title, detail, testid) {
  return h('li', {}, h('a', { class: 'tile', href, 'data-testid': testid },
    h('span', { class: 'tile-title' }, title), detail ? h('span', { class: 'tile-detail' }, detail) : null));
}

/** Open and overdue tasks of the whole area, from the server, filled in once they arrive
 * (the home screen of a desk does not wait for them). */
function deskTaskCounts(detail) {
  const total = (ask) => apiFetch(`/tasks?${new URLSearchParams({ ...ask, page_size: 1 })}`).then((found) => found.total);
  Promise.all([total({ status: 'open' }), total({ status: 'in_progress' }), total({ overdue: 'true' })])
    .then(([open, started, late]) => { detail.textContent = t('home.tasks_detail', { n: open + started, late }); })
    .catch(() => { detail.textContent = t('desk.phase.offline'); });
  return detail;
}

/** The desa of the user's area by name; a count when there are too many to read; nothing
 * while the places are still on their way (a code is never a name). */
function areaName(scopes) {
  if (scopes.length > 3) return t('desk.home.n_desa', { n: scopes.length });
  const names = knownDesaNames(scopes);
  return names.every(Boolean) ? names.join(', ') : null;
}

function tasksDetail(ready) {
  if (app.desk) return deskTaskCounts(h('span', {}, '…'));
  if (!ready) return t('home.loading');
  const open = app.records.all('task').filter(isOpen);
  const today = todayIso();
  return t('home.tasks_detail', { n: open.length, late: open.filter((task) => isLate(task, today)).length });
}

/** "N tugas tindak lanjut baru": what a sync brought since the user last opened Tugas. */
function newTasksCard(ready) {
  if (app.desk || !ready || !canWrite('task')) return null;
  const fresh = newTasks(app.records.all('task'), seenTasks(app.profile.username));
  if (!fresh.length) return null;
  return h('section', { class: 'card new-tasks', 'data-testid': 'new-tasks', 'aria-live': 'polite' },
    h('h2', {}, h('a', { href: '#/tasks' }, t('home.new_tasks', { n: fresh.length }))),
    h('ul', { class: 'results' }, fresh.slice(0, NEW_SHOWN).map((task) => h('li', { class: 'result' },
      h('a', { class: 'result-main', href: `#/task/${task._id}` },
        h('strong', {}, app.records.get(task.person)?.name ?? t('tasks.no_person')),
        h('span', {}, task.reason),
        h('span', { class: 'meta' }, [originText(task), t('tasks.due', { date: formatDate(task.due_date) })].filter(Boolean).join(' · ')),
        task.urgent ? h('span', { class: 'task-badges' }, badge(t('tasks.urgent'), 'bad')) : null)))),
    fresh.length > NEW_SHOWN ? h('p', {}, h('a', { href: '#/tasks' }, t('home.new_tasks_more', { n: fresh.length - NEW_SHOWN }))) : null);
}

function tiles(ready) {
  const { records } = app;
  const today = todayIso();
  const todaysSession = records.all('posyandu_session').find((session) => session.date === today);
  const personsDetail = app.desk ? t('desk.home.persons')
    : ready ? t('home.persons_detail', { n: records.all('person').length }) : t('home.loading');
  return [
    canWrite('encounter') && !app.desk ? tile(todaysSession ? `#/posyandu/${todaysSession._id}/daftar` : '#/posyandu',
      t('home.posyandu'), todaysSession ? t('home.posyandu_open', { n: attendanceCount(todaysSession) }) : t('home.posyandu_start'), 'tile-posyandu') : null,
    tile('#/persons', t('home.persons'), personsDetail, 'tile-persons'),
    canWrite('household') ? tile('#/person/new', t('home.register'), t('home.register_detail'), 'tile-register') : null,
    app.desk ? null : tile('#/due', t('home.due'), ready ? t('home.due_detail') : t('home.loading'), 'tile-due'),
    canWrite('task') ? tile('#/tasks', t('home.tasks'), tasksDetail(ready), 'tile-tasks') : null,
    hasRole('klaster', 'kapus', 'admin') ? tile('#/review', t('home.review'), t('home.review_detail'), 'tile-review') : null,
    tile('#/sync', t('home.sync'), null, 'tile-sync'),
  ];
}

export function home() {
  const { profile, records } = app;
  refreshOn(records);
  refreshOn(app.sync);
  const ready = dataReady(app.sync.state);
  const notice = app.desk ? h('p', { class: 'notice', role: 'status', 'data-testid': 'desk-notice' }, t('desk.home.notice'))
    : ready ? null : h('p', { class: 'notice', role: 'status', 'data-testid': 'first-sync' }, t('home.first_sync'));
  const lead = [profile.role_label, areaName(profile.scopes), formatDate(todayIso(), 'long')].filter(Boolean).join(' · ');
  return page(t('home.greeting', { name: profile.display_name }), { lead },
    notice,
    newTasksCard(ready),
    h('ul', { class: 'tiles' }, tiles(ready)));
}
