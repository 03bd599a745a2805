// Jejak audit: who changed what and who opened which record (UU 27/2022 on personal data),
// for admin and Kepala Puskesmas, online. Filtered by person, action, record, desa and dates,
// newest first, paged backwards. Everything is shown in words: action names come from the
// catalog, people and places by name where known, else a neutral label — never a raw code
// or document id.

import { app, hasRole } from '../app.js';
import { h } from '../dom.js';
import { formValues } from '../drafts.js';
import { field } from '../forms.js';
import { t, tMaybe } from '../i18n.js';
import { go } from '../router.js';
import { apiFetch } from '../session.js';
import { adminPage, listOf } from './admin.js';
import { dataTable, empty } from './ui.js';

// backend/audit/trail.py ACTIONS, each with a sentence in the catalog (audit.action.<name>).
export const ACTIONS = ['record.open', 'document.write', 'user.create', 'user.update', 'user.password',
  'place.create', 'place.update', 'person.merge', 'person.merge_undo', 'duplicate.dismiss', 'login.success', 'login.failure',
  'login.locked', 'sasaran.import', 'review.decide',
  // Issue 14: staff devices
  'push.subscribe', 'push.unsubscribe', 'push.test',
  // Issue 14: family reminders
  'family.subscribe', 'family.stop', 'family.refused',
  // Issue 15: organisation and duty
  'flow.staff_assign', 'flow.staff_unassign', 'flow.point_create', 'flow.point_update', 'flow.duty',
  // Issue 15: waiting-room screens
  'flow.display_create', 'flow.display_revoke'];
const TARGET_TYPES = ['person', 'household', 'pregnancy', 'encounter', 'task', 'place', 'user'];
const FILTERS = ['actor', 'action', 'target_type', 'target_id', 'desa', 'since', 'until'];
const PAGE_SIZE = 50;

/** The API query for the screen's filters. The days are calendar days of the Puskesmas
 * (`date_from`, `date_to` inclusive, read in its TIMEZONE by the server), not instants. */
export function auditQuery(filters) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const name of ['actor', 'action', 'target_type', 'target_id', 'desa', 'before_id']) {
    if (filters[name]) query.set(name, filters[name]);
  }
  if (filters.since) query.set('date_from', filters.since);
  if (filters.until) query.set('date_to', filters.until);
  return query;
}

function screenLink(filters) {
  const kept = Object.entries(filters).filter(([, value]) => value);
  return `#/admin/audit${kept.length ? `?${new URLSearchParams(kept)}` : ''}`;
}

/** Names the screen can show: staff (admin only may list them), places, local records. */
async function loadNames() {
  const [users, places, points] = await Promise.all([
    hasRole('admin') ? apiFetch('/users').catch(() => []) : [],
    apiFetch('/places').then(listOf).catch(() => []),
    apiFetch('/flow/organisation').then((org) => org.service_points).catch(() => []),
  ]);
  return {
    users: new Map(users.map((user) => [String(user.id), user.display_name])),
    usernames: new Map(users.map((user) => [user.username, user.display_name])),
    places: new Map(places.map((place) => [place.id ?? place._id, place.name])),
    desa: new Map(places.filter((place) => place.kind === 'desa').map((place) => [place.code, place.name])),
    points: new Map(points.map((point) => [point.id, point.label])),
  };
}

function actorLabel(entry, names) {
  if (entry.actor_name) return entry.actor_name;
  if (entry.actor) return names.usernames.get(entry.actor) ?? entry.actor;
  const typed = typeof entry.detail?.username === 'string' ? entry.detail.username : null;
  return typed ? t('audit.typed_username', { username: typed }) : t('audit.system');
}

function recordLabel(type, id) {
  const doc = app.records?.get(id);
  const kind = tMaybe(`doctype.${type}`) ?? t('audit.target.other');
  if (!doc) return t('audit.target.not_on_device', { kind });
  if (type === 'person') return doc.name;
  if (type === 'household') return `${kind} · ${doc.head_name}`;
  const person = app.records.get(doc.person);
  return person ? `${kind} · ${person.name}` : kind;
}

export function targetLabel(entry, names) {
  const type = entry.target_type === 'document' ? String(entry.target_id).split(':')[0] : entry.target_type;
  if (type === 'user') return names.users.get(String(entry.target_id)) ?? t('audit.target.user');
  if (type === 'place') return names.places.get(entry.target_id) ?? t('audit.target.place');
  if (type === 'login') return t('audit.target.login');
  if (type === 'push_subscription') return t('audit.target.device');
  if (type === 'service_point') return names.points?.get(entry.target_id) ?? t('audit.target.service_point');
  return recordLabel(type, entry.target_id);
}

function detailText(entry) {
  const fields = entry.detail?.fields ?? entry.detail?.changed;
  if (!Array.isArray(fields)) return '';
  const labels = fields.map((name) => tMaybe(`audit.field.${name}`)).filter(Boolean);
  return labels.length ? t('audit.changed', { fields: labels.join(', ') }) : '';
}

function formatInstant(at) {
  return new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(at));
}

function entryRow(entry, names, filters) {
  const recordFilter = screenLink({ ...filters, target_type: entry.target_type, target_id: entry.target_id, before_id: '' });
  return h('tr', {},
    h('td', {}, h('time', { datetime: entry.at }, formatInstant(entry.at))),
    h('td', {}, actorLabel(entry, names)),
    h('td', {}, tMaybe(`audit.action.${entry.action}`) ?? t('audit.action_other')),
    h('td', {}, entry.target_type === 'login' ? targetLabel(entry, names)
      : h('a', { href: recordFilter, title: t('audit.only_this') }, targetLabel(entry, names))),
    h('td', {}, entry.desa ? names.desa.get(entry.desa) ?? t('admin.desa_unknown') : '—'),
    h('td', { class: 'meta' }, detailText(entry)));
}

function filterForm(filters, names) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('audit.filters') },
    field({ name: 'actor', label: t('audit.actor_username'), value: filters.actor, list: 'audit-actors', autocomplete: 'off' }),
    h('datalist', { id: 'audit-actors' }, [...names.usernames].map(([username, name]) => h('option', { value: username }, name))),
    field({ name: 'action', label: t('audit.action'), type: 'select', value: filters.action ?? '',
      options: ACTIONS.map((name) => [name, t(`audit.action.${name}`)]) }),
    field({ name: 'target_type', label: t('audit.target_type'), type: 'select', value: filters.target_type ?? '',
      options: TARGET_TYPES.map((name) => [name, name === 'user' ? t('audit.target.user') : t(`doctype.${name}`)]) }),
    field({ name: 'desa', label: t('admin.places.desa'), type: 'select', value: filters.desa ?? '', options: [...names.desa] }),
    field({ name: 'since', label: t('audit.since'), type: 'date', value: filters.since }),
    field({ name: 'until', label: t('audit.until'), type: 'date', value: filters.until }),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('audit.apply')),
      h('a', { class: 'button secondary', href: '#/admin/audit' }, t('audit.clear'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = formValues(form);
    go(screenLink(Object.fromEntries(FILTERS.map((name) => [name, name === 'target_id' ? filters.target_id : values[name]])))
      .slice(1));
  });
  return form;
}

function recordChip(filters, names) {
  if (!filters.target_id) return null;
  const label = targetLabel({ target_type: filters.target_type, target_id: filters.target_id }, names);
  return h('p', { class: 'chips' }, h('span', {}, t('audit.only_record', { label })), ' ',
    h('a', { href: screenLink({ ...filters, target_id: '', target_type: '', before_id: '' }) }, t('audit.all_records')));
}

export function auditPage(params, query = {}) {
  const filters = Object.fromEntries([...FILTERS, 'before_id'].map((name) => [name, query[name] ?? '']));
  return adminPage('audit', t('audit.title'), async () => {
    const [names, answer] = await Promise.all([loadNames(), apiFetch(`/audit?${auditQuery(filters)}`)]);
    const rows = answer.items ?? [];
    return [
      filterForm(filters, names),
      recordChip(filters, names),
      rows.length
        ? dataTable([t('audit.when'), t('audit.actor'), t('audit.action'), t('audit.record'), t('admin.places.desa'), t('audit.detail')],
          rows.map((entry) => entryRow(entry, names, filters)), { cards: true, 'data-testid': 'audit-table' })
        : empty(t('audit.none')),
      h('nav', { class: 'pager', 'aria-label': t('audit.pages') },
        filters.before_id ? h('a', { class: 'button secondary', href: screenLink({ ...filters, before_id: '' }) }, t('audit.newest')) : null,
        answer.next_before_id ? h('a', { class: 'button secondary', href: screenLink({ ...filters, before_id: answer.next_before_id }) },
          t('audit.older')) : null),
    ];
  });
}
