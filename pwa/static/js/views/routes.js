// Every screen and its hash route. Order matters where a literal segment (new) shares a
// position with a parameter (:id): the first match wins. In desk mode (desk-records.js) a
// record's screens first load it from the server, edit screens copy it into the device's
// PouchDB, and the tablet-only screens explain where their work is done at a desk.

import { app, canWrite, hasRole } from '../app.js';
import { t } from '../i18n.js';
import { route } from '../router.js';
import { auditPage } from './admin-audit.js';
import { placeNew, placePage, placesPage } from './admin-places.js';
import { adminPushPage } from './admin-push.js';
import { userNew, userPage, usersPage } from './admin-users.js';
import { prefetch, tabletOnly } from './desk.js';
import { deskTasksPage } from './desk-tasks.js';
import { dueToday } from './due.js';
import { fktpCases, fktpReport } from './fktp.js';
import { flowDeskPage } from './flow-desk.js';
import { flowDisplaysPage } from './flow-displays.js';
import { dutyPage } from './flow-duty.js';
import { flowHome } from './flow-home.js';
import { flowLabPage } from './flow-lab.js';
import { flowLoket } from './flow-loket.js';
import { organisationChartPage, organisationPage } from './flow-organisation.js';
import { flowPharmacyPage } from './flow-pharmacy.js';
import { flowQueuePage } from './flow-queue.js';
import { flowReportPage } from './flow-report.js';
import { home } from './home.js';
import { pastDosesForm } from './past-doses.js';
import { householdForm, householdPage } from './household.js';
import { personPage } from './person.js';
import { personForm } from './person-form.js';
import { persons } from './persons.js';
import { posyanduStart, posyanduStep } from './posyandu.js';
import { posyanduPerson } from './posyandu-steps.js';
import { pregnancyForm } from './pregnancy.js';
import { kohortPage } from './kohort.js';
import { pwsGraphPage, pwsGridPage } from './pws.js';
import { pwsFollowupPage, pwsGapsPage } from './pws-gaps.js';
import { pwsMorbidityPage } from './pws-morbidity.js';
import { pwsReportPage } from './pws-report.js';
import { pwsSasaranPage } from './pws-sasaran.js';
import { pwsTrendPage } from './pws-trend.js';
import { reviewPage } from './review.js';
import { screeningPage } from './screening.js';
import { settingsPage } from './settings.js';
import { syncStatus } from './sync-status.js';
import { taskNew, taskPage, tasksPage } from './tasks.js';
import { page } from './ui.js';
import { visitForm } from './visit.js';

/** `view` once the record it shows (`shown(params)`) is loaded by `load(params, query)`;
 * for `edit` screens also held locally with its history, so saving it makes an ordinary
 * new revision. */
function needs(load, view, { shown = null, edit = false, back = '#/persons' } = {}) {
  return async (params, query) => {
    const blocked = await prefetch(async () => {
      await load(params, query);
      const doc = app.records.get(shown?.(params));
      if (edit && doc && canWrite(doc.type)) await app.records.ensureLocal(doc._id);
    }, back);
    if (blocked) return blocked;
    // The tablet's own "not found" speaks of the device; a desk asked the server.
    if (app.desk && shown && !app.records.get(shown(params))) return page(t('desk.not_found'), { back });
    return view(params, query);
  };
}

const byId = ({ id }) => id;
const person = (view, edit = false) => needs(({ id }) => app.records.loadPerson(id), view, { shown: byId, edit });
const household = (view, edit = false) => needs(({ id }) => app.records.loadHousehold(id), view, { shown: byId, edit });
const task = (view) => needs(({ id }) => app.records.loadTask(id), view, { shown: byId, edit: true, back: '#/tasks' });
const newPerson = needs((params, query) => (query.household ? app.records.loadHousehold(query.household) : null), personForm);
/** The desk's own screen instead of a tablet's. */
const atDesk = (desk, tablet) => (params, query) => (app.desk ? desk(params, query) : tablet(params, query));
const tabletScreen = (kind, view) => atDesk(() => tabletOnly(kind), view);

export function registerRoutes() {
  // A jejaring FKTP reads no records: its app opens on the case report (views/fktp.js).
  route('/', (params, query) => (hasRole('fktp') ? fktpReport(params, query) : home(params, query)));
  route('/fktp/kasus', fktpCases);
  route('/posyandu', tabletScreen('posyandu', posyanduStart));
  route('/posyandu/:session/:step', tabletScreen('posyandu', posyanduStep));
  route('/posyandu/:session/:step/:person', tabletScreen('posyandu', posyanduPerson));
  route('/persons', persons);
  route('/person/new', newPerson);
  route('/person/:id', person(personPage));
  route('/person/:id/edit', person(personForm, true));
  route('/person/:id/visit', person(visitForm));
  route('/person/:id/past-doses', person(pastDosesForm));
  route('/person/:id/pregnancy', person(pregnancyForm));
  route('/person/:id/task', person(taskNew));
  route('/person/:id/screening/:instrument', person(screeningPage));
  route('/household/:id', household(householdPage));
  route('/household/:id/edit', household(householdForm, true));
  route('/due', tabletScreen('due', dueToday));
  route('/tasks', atDesk(deskTasksPage, tasksPage));
  route('/task/:id', task(taskPage));
  route('/review', reviewPage);
  route('/pws', pwsGraphPage);
  route('/pws/grid', pwsGridPage);
  route('/pws/desa/:desa', pwsTrendPage);
  route('/pws/gaps/:desa', pwsGapsPage);
  route('/pws/morbidity', pwsMorbidityPage);
  route('/pws/followup', pwsFollowupPage);
  route('/pws/report', pwsReportPage);
  route('/pws/sasaran', pwsSasaranPage);
  route('/pws/kohort', kohortPage);
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
  route('/admin/push', adminPushPage);
  // The Puskesmas service flow (docs/flow.md): Layanan, the loket, a service point's queue.
  route('/flow', flowHome);
  route('/flow/loket', flowLoket);
  route('/flow/antrean/:point', flowQueuePage);
  route('/flow/meja/:point', flowDeskPage);
  route('/flow/lab/:point', flowLabPage);
  route('/flow/farmasi/:point', flowPharmacyPage);
  route('/flow/layar', flowDisplaysPage);
  route('/flow/laporan', flowReportPage);
  route('/flow/organisasi', organisationPage);
  route('/flow/organisasi/cetak', organisationChartPage);
  route('/flow/tugas', dutyPage);
}
