// Beranda: the day's starting points for this role, with live counts (at a desk, the
// server's counts of the whole area).

import { app, canWrite, hasRole } from '../app.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { refreshOn } from '../router.js';
import { apiFetch } from '../session.js';
import { desaNames } from './places.js';
import { attendanceCount } from './posyandu-queue.js';
import { page } from './ui.js';

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

/** The desa of the user's area by name; a count when there are too many to read. */
function areaName(scopes) {
  return scopes.length > 3 ? t('desk.home.n_desa', { n: scopes.length }) : desaNames(scopes).join(', ');
}

export function home() {
  const { profile, records } = app;
  refreshOn(records);
  refreshOn(app.sync);
  const today = todayIso();
  const openTasks = records.all('task').filter((task) => ['open', 'in_progress'].includes(task.status));
  const overdue = openTasks.filter((task) => task.due_date < today).length;
  const todaysSession = records.all('posyandu_session').find((session) => session.date === today);
  const tasksDetail = app.desk ? deskTaskCounts(h('span', {}, '…')) : t('home.tasks_detail', { n: openTasks.length, late: overdue });
  const tiles = [
    canWrite('encounter') && !app.desk ? tile(todaysSession ? `#/posyandu/${todaysSession._id}/daftar` : '#/posyandu',
      t('home.posyandu'), todaysSession ? t('home.posyandu_open', { n: attendanceCount(todaysSession) }) : t('home.posyandu_start'), 'tile-posyandu') : null,
    tile('#/persons', t('home.persons'), app.desk ? t('desk.home.persons') : t('home.persons_detail', { n: records.all('person').length }), 'tile-persons'),
    canWrite('household') ? tile('#/person/new', t('home.register'), t('home.register_detail'), 'tile-register') : null,
    app.desk ? null : tile('#/due', t('home.due'), t('home.due_detail'), 'tile-due'),
    canWrite('task') ? tile('#/tasks', t('home.tasks'), tasksDetail, 'tile-tasks') : null,
    hasRole('klaster', 'kapus', 'admin') ? tile('#/review', t('home.review'), t('home.review_detail'), 'tile-review') : null,
    tile('#/sync', t('home.sync'), null, 'tile-sync'),
  ];
  const notice = app.desk ? h('p', { class: 'notice', role: 'status', 'data-testid': 'desk-notice' }, t('desk.home.notice'))
    : app.sync.lastSync ? null : h('p', { class: 'notice', role: 'status' }, t('home.first_sync'));
  return page(t('home.greeting', { name: profile.display_name }), {
    lead: `${profile.role_label} · ${areaName(profile.scopes)} · ${formatDate(today, 'long')}`,
  },
  notice,
  h('ul', { class: 'tiles' }, tiles));
}
