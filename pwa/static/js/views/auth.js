// The screens before the app: first login (needs the network), choosing a device PIN, the
// offline unlock, and a login again when the server session has ended.

import { h } from '../dom.js';
import { actions, clearErrors, field, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import * as session from '../session.js';
import * as unlock from '../unlock.js';

function screen(title, intro, form) {
  return h('main', { id: 'main', class: 'auth', tabindex: '-1' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'auth-brand' },
        h('img', { src: '/icons/icon.svg', alt: '', width: 56, height: 56 }),
        h('span', {}, 'Siklus')),
      h('h1', {}, title),
      intro ? h('p', { class: 'lead' }, intro) : null,
      form));
}

function busy(form, on) {
  form.querySelectorAll('button, input').forEach((el) => { el.disabled = on; });
  form.setAttribute('aria-busy', String(on));
}

/** Online login. `username` fixes the account (a login again on a device already in use). */
export function loginScreen({ username = null, onLoggedIn }) {
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'username', label: t('login.username'), required: true, autocomplete: 'username',
      autocapitalize: 'none', spellcheck: 'false', value: username ?? '', readonly: Boolean(username) }),
    field({ name: 'password', label: t('login.password'), type: 'password', required: true,
      autocomplete: 'current-password' }),
    actions(h('button', { type: 'submit', class: 'primary wide' }, t('login.submit'))),
    h('p', { class: 'hint' }, t('login.network_once')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = form.elements.username.value.trim().toLowerCase();
    const password = form.elements.password.value;
    const errors = {};
    if (!name) errors.username = t('login.username_required');
    if (!password) errors.password = t('login.password_required');
    if (!showErrors(form, errors)) return;
    busy(form, true);
    try {
      const profile = await session.login(name, password);
      await onLoggedIn(profile, password);
    } catch (error) {
      busy(form, false);
      if (!(error instanceof session.LoginError)) throw error;
      showErrors(form, { password: t(`login.error.${error.kind}`) }, t('login.failed'));
    }
  });
  return screen(t(username ? 'login.again_title' : 'login.title'),
    t(username ? 'login.again_intro' : 'login.intro'), form);
}

/** After the first login: a device PIN, or the password, unlocks the app offline from now on. */
export function pinScreen({ password, onDone }) {
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'pin', label: t('pin.new'), type: 'password', inputmode: 'numeric',
      autocomplete: 'new-password', hint: t('pin.hint'), required: true }),
    field({ name: 'pin2', label: t('pin.repeat'), type: 'password', inputmode: 'numeric',
      autocomplete: 'new-password', required: true }),
    actions(
      h('button', { type: 'submit', class: 'primary' }, t('pin.save')),
      h('button', { type: 'button', class: 'secondary', onclick: usePassword }, t('pin.use_password')),
    ));
  async function usePassword() {
    busy(form, true);
    await unlock.setSecret('password', password);
    onDone();
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const pin = form.elements.pin.value;
    const errors = {};
    if (!unlock.PIN_PATTERN.test(pin)) errors.pin = t('pin.invalid');
    else if (pin !== form.elements.pin2.value) errors.pin2 = t('pin.mismatch');
    if (!showErrors(form, errors)) return;
    busy(form, true);
    await unlock.setSecret('pin', pin);
    onDone();
  });
  return screen(t('pin.title'), t('pin.intro'), form);
}

/** Offline unlock with the device verifier. */
export function unlockScreen({ profile, kind, onUnlocked, onLockedOut, onSwitchUser }) {
  const isPin = kind === 'pin';
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'secret', label: t(isPin ? 'unlock.pin' : 'unlock.password'), type: 'password',
      inputmode: isPin ? 'numeric' : null, autocomplete: isPin ? 'off' : 'current-password',
      required: true }),
    actions(h('button', { type: 'submit', class: 'primary wide' }, t('unlock.submit'))),
    h('p', {}, h('button', { type: 'button', class: 'link', onclick: onSwitchUser }, t('unlock.not_you'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    busy(form, true);
    const outcome = await unlock.check(form.elements.secret.value);
    busy(form, false);
    if (outcome === 'ok') return onUnlocked();
    if (outcome === 'locked_out') return onLockedOut();
    form.elements.secret.value = '';
    return showErrors(form, {
      secret: t('unlock.wrong', { n: await unlock.triesLeft() }),
    }, t('unlock.failed'));
  });
  return screen(t('unlock.title'), t('unlock.intro', { name: profile.display_name }), form);
}
