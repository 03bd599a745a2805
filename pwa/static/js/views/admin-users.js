// Pengguna: the staff accounts of the Puskesmas (admin only, online): list, create, change
// name, role, cluster and area, reset the password, deactivate and reactivate.

import { app } from '../app.js';
import { confirmDialog } from '../dialog.js';
import { h } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t, tMaybe } from '../i18n.js';
import { go } from '../router.js';
import { apiFetch } from '../session.js';
import { adminPage, desaChoices, submitTo } from './admin.js';
import { badge, card, dataTable, empty, linkButton } from './ui.js';

export const ROLES = ['kader', 'pustu', 'klaster', 'kapus', 'admin', 'dinkes', 'fktp'];
export const CLUSTERS = ['1', '2', '3', '4', 'lintas'];
const USERNAME = /^[a-z0-9._-]{3,64}$/;
const MIN_PASSWORD = 8;

function roleLabel(user) {
  const role = t(`role.${user.role}`);
  return user.role === 'klaster' && user.cluster ? `${role} · ${t(`admin.cluster.${user.cluster}`)}` : role;
}

function areaLabel(user, desaNames) {
  if (!user.scopes.length) return t('admin.area_none');
  if (desaNames.size && user.scopes.length === desaNames.size) return t('admin.area_all');
  return user.scopes.map((code) => desaNames.get(code) ?? t('admin.desa_unknown')).join(', ');
}

function userRow(user, desaNames) {
  return h('tr', { dataset: { username: user.username } },
    h('td', {}, h('strong', {}, user.display_name), h('br'), h('span', { class: 'meta' }, user.username)),
    h('td', {}, roleLabel(user)),
    h('td', {}, areaLabel(user, desaNames)),
    h('td', {}, badge(t(user.active ? 'admin.active' : 'admin.inactive'), user.active ? 'ok' : 'muted')),
    h('td', {}, h('a', { class: 'button secondary small', href: `#/admin/users/${user.id}` },
      t('admin.edit'), h('span', { class: 'visually-hidden' }, ` ${user.display_name}`))));
}

export function usersPage() {
  return adminPage('users', t('admin.users.title'), async () => {
    const [users, desa] = await Promise.all([apiFetch('/users'), desaChoices()]);
    const desaNames = new Map(desa);
    const sorted = [...users].sort((a, b) => Number(b.active) - Number(a.active)
      || a.display_name.localeCompare(b.display_name, 'id'));
    return [
      h('div', { class: 'page-actions' }, linkButton('#/admin/users/new', t('admin.users.new'), 'primary')),
      sorted.length
        ? dataTable([t('admin.name'), t('admin.role'), t('admin.area'), t('admin.status'), ''],
          sorted.map((user) => userRow(user, desaNames)), { cards: true, 'data-testid': 'user-table' })
        : empty(t('admin.users.none')),
    ];
  });
}

/** Name, role, cluster (only for klaster) and area: the fields create and edit share. */
function profileFields(user, desa) {
  const cluster = field({ name: 'cluster', label: t('admin.cluster'), type: 'select', value: user.cluster ?? '',
    options: CLUSTERS.map((code) => [code, t(`admin.cluster.${code}`)]), hint: t('admin.cluster_hint') });
  const role = field({ name: 'role', label: t('admin.role'), type: 'select', required: true, value: user.role ?? '',
    options: ROLES.map((code) => [code, t(`role.${code}`)]) });
  const showCluster = () => { cluster.hidden = role.querySelector('select').value !== 'klaster'; };
  role.querySelector('select').addEventListener('change', showCluster);
  showCluster();
  return [
    field({ name: 'display_name', label: t('admin.name'), required: true, value: user.display_name, maxlength: 120 }),
    h('div', { class: 'row' }, role, cluster),
    field({ name: 'scopes', label: t('admin.area'), type: 'checkbox-group', options: desa, value: user.scopes ?? [],
      hint: t('admin.area_hint') }),
  ];
}

/** Checks the browser can make before asking the server; the server checks everything again. */
function checkProfile(values, { isNew }) {
  const errors = {};
  if (isNew && !USERNAME.test(values.username ?? '')) errors.username = t('admin.error.username');
  if (!values.display_name?.trim()) errors.display_name = t('valid.required');
  if (!values.role) errors.role = t('valid.required');
  if (values.role === 'klaster' && !values.cluster) errors.cluster = t('admin.error.cluster');
  if (isNew && (values.password ?? '').length < MIN_PASSWORD) errors.password = t('admin.error.password');
  return errors;
}

function profileBody(values) {
  return {
    display_name: values.display_name.trim(), role: values.role,
    cluster: values.role === 'klaster' ? values.cluster : null, scopes: values.scopes ?? [],
  };
}

const PROFILE_FIELDS = ['username', 'display_name', 'role', 'cluster', 'scopes', 'password'];

export function userNew() {
  return adminPage('users', t('admin.users.new'), async () => {
    const desa = await desaChoices();
    const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'user-form' },
      card(null,
        field({ name: 'username', label: t('admin.username'), required: true, autocomplete: 'off',
          autocapitalize: 'none', spellcheck: 'false', hint: t('admin.username_hint') }),
        profileFields({}, desa),
        field({ name: 'password', label: t('admin.password'), type: 'password', required: true,
          autocomplete: 'new-password', hint: t('admin.password_hint') })),
      actions(h('button', { type: 'submit', class: 'primary' }, t('admin.users.create'))));
    onSubmit(form, async () => {
      const values = formValues(form);
      if (!showErrors(form, checkProfile(values, { isNew: true }))) return;
      const body = { username: values.username.trim(), password: values.password, ...profileBody(values) };
      const saved = await submitTo(form, showErrors, { path: '/users', method: 'POST', body }, { fields: PROFILE_FIELDS });
      if (saved) go(`/admin/users/${saved.id}?saved=created`);
    });
    return form;
  }, { back: '#/admin/users' });
}

function profileCard(user, desa) {
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'user-form' },
    profileFields(user, desa), actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  onSubmit(form, async () => {
    const values = formValues(form);
    if (!showErrors(form, checkProfile(values, { isNew: false }))) return;
    const body = profileBody(values);
    const saved = await submitTo(form, showErrors, { path: `/users/${user.id}`, method: 'PATCH', body }, { fields: PROFILE_FIELDS });
    if (saved) go(`/admin/users/${user.id}?saved=profile`);
  });
  return card(t('admin.users.profile'), h('p', { class: 'meta' }, t('admin.username_is', { username: user.username })), form);
}

function passwordCard(user) {
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'password-form' },
    field({ name: 'password', label: t('admin.new_password'), type: 'password', required: true,
      autocomplete: 'new-password', hint: t('admin.password_hint') }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('admin.reset_password'))));
  onSubmit(form, async () => {
    const { password } = formValues(form);
    if (password.length < MIN_PASSWORD) {
      showErrors(form, { password: t('admin.error.password') });
      return;
    }
    const saved = await submitTo(form, showErrors, { path: `/users/${user.id}`, method: 'PATCH', body: { password } }, { fields: ['password'] });
    if (saved) go(`/admin/users/${user.id}?saved=password`);
  });
  return card(t('admin.reset_password'), h('p', {}, t('admin.reset_password_lead')), form);
}

function statusCard(user) {
  const self = user.username === app.profile.username;
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'status-form' },
    actions(h('button', { type: 'submit', class: user.active ? 'danger' : 'primary', disabled: self && user.active },
      t(user.active ? 'admin.deactivate' : 'admin.reactivate'))));
  onSubmit(form, async () => {
    const ok = await confirmDialog({
      title: t(user.active ? 'admin.deactivate_title' : 'admin.reactivate_title', { name: user.display_name }),
      body: [t(user.active ? 'admin.deactivate_body' : 'admin.reactivate_body')],
      confirm: t(user.active ? 'admin.deactivate' : 'admin.reactivate'), danger: user.active,
    });
    if (!ok) return;
    const body = { active: !user.active };
    const saved = await submitTo(form, showErrors, { path: `/users/${user.id}`, method: 'PATCH', body }, { fields: [] });
    if (saved) go(`/admin/users/${user.id}?saved=${saved.active ? 'reactivated' : 'deactivated'}`);
  });
  return card(t('admin.status'),
    h('p', {}, badge(t(user.active ? 'admin.active' : 'admin.inactive'), user.active ? 'ok' : 'muted'), ' ',
      t(user.active ? 'admin.active_lead' : 'admin.inactive_lead')),
    self && user.active ? h('p', { class: 'meta' }, t('admin.self_deactivate')) : null,
    form);
}

export function userPage({ id }, query) {
  return adminPage('users', t('admin.users.edit'), async () => {
    const [user, desa] = await Promise.all([apiFetch(`/users/${encodeURIComponent(id)}`), desaChoices()]);
    const note = query.saved ? tMaybe(`admin.saved.${query.saved}`) : null;
    const saved = note ? h('p', { class: 'notice', role: 'status' }, note) : null;
    return [
      h('h2', { class: 'subject' }, user.display_name, ' ', badge(roleLabel(user), 'info')),
      saved,
      profileCard(user, desa), passwordCard(user), statusCard(user),
    ];
  }, { back: '#/admin/users' });
}
