// Every screen and its hash route. Order matters where a literal segment (new) shares a
// position with a parameter (:id): the first match wins.

import { hasRole } from '../app.js';
import { route } from '../router.js';
import { auditPage } from './admin-audit.js';
import { placeNew, placePage, placesPage } from './admin-places.js';
import { userNew, userPage, usersPage } from './admin-users.js';
import { dueToday } from './due.js';
import { home } from './home.js';
import { householdForm, householdPage } from './household.js';
import { personPage } from './person.js';
import { personForm } from './person-form.js';
import { persons } from './persons.js';
import { posyanduStart, posyanduStep } from './posyandu.js';
import { posyanduPerson } from './posyandu-steps.js';
import { pregnancyForm } from './pregnancy.js';
import { reviewPage } from './review.js';
import { screeningPage } from './screening.js';
import { settingsPage } from './settings.js';
import { syncStatus } from './sync-status.js';
import { taskNew, taskPage, tasksPage } from './tasks.js';
import { visitForm } from './visit.js';

export function registerRoutes() {
  route('/', home);
  route('/posyandu', posyanduStart);
  route('/posyandu/:session/:step', posyanduStep);
  route('/posyandu/:session/:step/:person', posyanduPerson);
  route('/persons', persons);
  route('/person/new', personForm);
  route('/person/:id', personPage);
  route('/person/:id/edit', personForm);
  route('/person/:id/visit', visitForm);
  route('/person/:id/pregnancy', pregnancyForm);
  route('/person/:id/task', taskNew);
  route('/person/:id/screening/:instrument', screeningPage);
  route('/household/:id', householdPage);
  route('/household/:id/edit', householdForm);
  route('/due', dueToday);
  route('/tasks', tasksPage);
  route('/task/:id', taskPage);
  route('/review', reviewPage);
  route('/sync', syncStatus);
  route('/settings', settingsPage);
  route('/admin', (params, query) => (hasRole('admin') ? usersPage(params, query) : auditPage(params, query)));
  route('/admin/users', usersPage);
  route('/admin/users/new', userNew);
  route('/admin/users/:id', userPage);
  route('/admin/places', placesPage);
  route('/admin/places/new', placeNew);
  route('/admin/places/:id', placePage);
  route('/admin/audit', auditPage);
}
