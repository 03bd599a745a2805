// What screens share in desk mode (desk-records.js): waiting for a record from the server
// with an honest page when the network is gone, and the pages that tell a desk user where
// the tablet-only screens' work is done instead.

import { app, canWrite, hasRole } from '../app.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { render } from '../router.js';
import { card, empty, linkButton, page } from './ui.js';

/** Awaits `load` (a record from the server in desk mode, nothing on a tablet). Resolves to
 * null when the screen can render, or to the page to show instead: "not found" is left to
 * the screen (it answers exactly like a record outside the area), a lost connection or an
 * ended session gets its own page rather than an empty screen. */
export async function prefetch(load, back = '#/') {
  try {
    await load();
    return null;
  } catch (error) {
    if (error.status === 404) return null;
    if (error.status === 403) return forbidden(back);
    if (error.status === 401) {
      return page(t('desk.login_title'), { back }, card(null, empty(t('desk.login_body')),
        h('button', { type: 'button', class: 'primary', onclick: () => app.relogin() }, t('sync.login_again'))));
    }
    if (!error.status) app.sync.restart(); // the indicator re-checks the server and says so
    return unavailable(back, error.status);
  }
}

/** A role that reads aggregates only (dinkes) opened a person-level screen. */
export function forbidden(back = '#/') {
  return page(t('desk.forbidden_title'), { back }, card(null, empty(t('sync.explain.forbidden'))));
}

/** The page of a desk screen that could not reach the server. */
export function unavailable(back = '#/', status = 0) {
  return page(t(status ? 'desk.failed_title' : 'desk.offline_title'), { back },
    h('div', { class: 'card', role: 'alert', 'data-testid': 'desk-offline' },
      empty(t(status ? 'desk.failed_body' : 'desk.offline_body')),
      h('button', { type: 'button', class: 'primary', onclick: () => render() }, t('desk.retry'))));
}

/** A tablet screen opened at a desk: what it is for and where a desk does that work. */
export function tabletOnly(kind) {
  return page(t(`desk.${kind}.title`), { back: '#/' },
    card(null, h('p', { 'data-testid': 'desk-tablet-only' }, t(`desk.${kind}.body`)),
      h('div', { class: 'page-actions' },
        linkButton('#/persons', t('desk.find_person'), 'primary'),
        canWrite('task') ? linkButton('#/tasks?tab=overdue', t('desk.overdue_tasks')) : null,
        hasRole('klaster', 'kapus', 'admin') ? linkButton('#/review', t('desk.review')) : null)));
}
