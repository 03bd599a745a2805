// Beranda: the day's starting points for this role, with live counts.

import { app, canWrite, hasRole } from '../app.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { refreshOn } from '../router.js';
import { desaNames } from './places.js';
import { page } from './ui.js';

function tile(href, title, detail, testid) {
  return h('li', {}, h('a', { class: 'tile', href, 'data-testid': testid },
    h('span', { class: 'tile-title' }, title), detail ? h('span', { class: 'tile-detail' }, detail) : null));
}

export function home() {
  const { profile, records } = app;
  refreshOn(records);
  refreshOn(app.sync);
  const today = todayIso();
  const openTasks = records.all('task').filter((task) => ['open', 'in_progress'].includes(task.status));
  const overdue = openTasks.filter((task) => task.due_date < today).length;
  const todaysSession = records.all('posyandu_session').find((session) => session.date === today);
  const tiles = [
    canWrite('encounter') ? tile(todaysSession ? `#/posyandu/${todaysSession._id}/daftar` : '#/posyandu',
      t('home.posyandu'), todaysSession ? t('home.posyandu_open', { n: todaysSession.attendance?.length ?? 0 }) : t('home.posyandu_start'), 'tile-posyandu') : null,
    tile('#/persons', t('home.persons'), t('home.persons_detail', { n: records.all('person').length }), 'tile-persons'),
    canWrite('household') ? tile('#/person/new', t('home.register'), t('home.register_detail'), 'tile-register') : null,
    tile('#/due', t('home.due'), t('home.due_detail'), 'tile-due'),
    canWrite('task') ? tile('#/tasks', t('home.tasks'), t('home.tasks_detail', { n: openTasks.length, late: overdue }), 'tile-tasks') : null,
    hasRole('klaster', 'kapus', 'admin') ? tile('#/review', t('home.review'), t('home.review_detail'), 'tile-review') : null,
    tile('#/sync', t('home.sync'), null, 'tile-sync'),
  ];
  return page(t('home.greeting', { name: profile.display_name }), {
    lead: `${profile.role_label} · ${desaNames(profile.scopes).join(', ')} · ${formatDate(today, 'long')}`,
  },
  app.sync.lastSync ? null : h('p', { class: 'notice', role: 'status' }, t('home.first_sync')),
  h('ul', { class: 'tiles' }, tiles));
}
