// The frame of the admin screens (Pengguna, Tempat, Jejak audit, Notifikasi): tabs for the user's role,
// online only (they read and write the server, not the tablet: admin works at a desk), and
// the API's problem+json turned into messages under the fields they name.

import { hasRole } from '../app.js';
import { h } from '../dom.js';
import { t, tMaybe } from '../i18n.js';
import { apiFetch } from '../session.js';
import { empty, page } from './ui.js';

const TABS = [
  ['users', '#/admin/users', ['admin']],
  ['places', '#/admin/places', ['admin']],
  ['audit', '#/admin/audit', ['admin', 'kapus']],
  ['push', '#/admin/push', ['admin', 'kapus']],
];

export function adminAllowed(tab) {
  return hasRole(...TABS.find(([name]) => name === tab)[2]);
}

function tabs(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('admin.tabs') },
    TABS.filter(([name]) => adminAllowed(name)).map(([name, href]) => h('a', {
      href, 'aria-current': name === current ? 'page' : null,
    }, t(`admin.tab.${name}`))));
}

function failure(error) {
  if (error.status === 401) return t('admin.session_ended');
  if (error.status === 403) return t('admin.forbidden');
  if (error.status === 404) return t('admin.not_found');
  return t('admin.failed');
}

/** An admin screen: `build()` fetches and returns the body; offline or failing, a sentence. */
export async function adminPage(tab, title, build, { back } = {}) {
  if (!adminAllowed(tab)) return page(t('admin.title'), {}, empty(t('admin.forbidden')));
  let body;
  if (!navigator.onLine) {
    body = empty(t('admin.offline'));
  } else {
    try {
      body = await build();
    } catch (error) {
      if (error.status === undefined) throw error; // a bug, not an answer from the server
      body = h('p', { class: 'empty', role: 'alert' }, failure(error));
    }
  }
  return page(title, { back, lead: t('admin.lead') }, tabs(tab), h('div', { 'data-testid': `admin-${tab}` }, body));
}

function firstMessage(value) {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return firstMessage(value[0]);
  if (value && typeof value === 'object') return firstMessage(Object.values(value)[0]);
  return '';
}

/**
 * Errors of a refused save for showErrors(): each field the problem names that the form has
 * gets the catalog's sentence for it (admin.error.<field>, or <field>_taken on 409) or a
 * general one with the server's words; what names no field of the form goes under `_form`.
 * `onConflict` is the sentence for a 409 that names no field (a stale `_rev`).
 */
export function problemErrors(error, formFields, onConflict = null) {
  const problem = error.problem ?? {};
  const errors = {};
  for (const [name, detail] of Object.entries(problem.errors?.json ?? {})) {
    const text = tMaybe(`admin.error.${name}${error.status === 409 ? '_taken' : ''}`)
      ?? t('admin.error.field', { detail: firstMessage(detail) });
    errors[formFields.includes(name) ? name : '_form'] = text;
  }
  if (Object.keys(errors).length) return errors;
  if (error.status === 409 && onConflict) return { _form: onConflict };
  if (error.status === 403) return { _form: t('admin.forbidden') };
  if (error.status === 401) return { _form: t('admin.session_ended') };
  return { _form: problem.detail ? t('admin.error.refused', { detail: problem.detail }) : t('admin.failed') };
}

/** A save through the API; resolves to the saved body, or null after showing the errors. */
export async function submitTo(form, showErrors, request, { fields = [], onConflict = null } = {}) {
  try {
    return await apiFetch(request.path, { method: request.method, body: request.body });
  } catch (error) {
    if (error.status === undefined) {
      showErrors(form, { _form: t(navigator.onLine ? 'admin.failed' : 'admin.offline') });
    } else {
      showErrors(form, problemErrors(error, fields, onConflict));
    }
    return null;
  }
}

/** The desa of the Puskesmas as [code, name], from the server (places of kind desa). */
export async function desaChoices() {
  const places = await apiFetch('/places?kind=desa');
  return listOf(places).map((place) => [place.code ?? place.desa, place.name]);
}

/** A collection answer as a list, whether the API pages it ({items}) or not. */
export function listOf(answer) {
  return Array.isArray(answer) ? answer : answer?.items ?? [];
}
