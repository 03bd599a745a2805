// Pengaturan: language, lock delay, the device PIN, notifications on this device, lock now,
// and log out.

import { app } from '../app.js';
import { h } from '../dom.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';
import { LOCK_CHOICES, lockMinutes, setLockMinutes } from '../idle-lock.js';
import { confirmLogout } from '../logout.js';
import * as unlock from '../unlock.js';
import { pushCard } from './push-settings.js';
import { card, page } from './ui.js';

function preferences() {
  const form = h('form', { class: 'stack' },
    field({ name: 'lang', label: t('settings.language'), type: 'select', options: LANGUAGES, value: language() }),
    field({ name: 'lock', label: t('settings.lock_after'), type: 'select', value: String(lockMinutes()),
      options: LOCK_CHOICES.map((minutes) => [String(minutes), t('settings.minutes', { n: minutes })]) }));
  form.addEventListener('change', () => {
    setLockMinutes(Number(form.elements.lock.value));
    if (form.elements.lang.value !== language()) {
      setLanguage(form.elements.lang.value);
      window.location.reload(); // the frame and menu are in the old language too
    }
  });
  return card(t('settings.preferences'), form);
}

async function pinCard() {
  const kind = await unlock.secretKind();
  const status = h('p', { role: 'status' });
  const form = h('form', { class: 'stack', novalidate: true },
    field({ name: 'current', label: t(kind === 'pin' ? 'settings.current_pin' : 'settings.current_password'),
      type: 'password', required: true, autocomplete: 'off' }),
    field({ name: 'pin', label: t('pin.new'), type: 'password', inputmode: 'numeric', hint: t('pin.hint'), required: true, autocomplete: 'new-password' }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('settings.change_pin'))), status);
  onSubmit(form, async () => {
    const { current, pin } = form.elements;
    if (!unlock.PIN_PATTERN.test(pin.value)) {
      showErrors(form, { pin: t('pin.invalid') });
      return;
    }
    const outcome = await unlock.check(current.value);
    if (outcome !== 'ok') {
      showErrors(form, { current: t(outcome === 'wrong' ? 'unlock.wrong' : 'unlock.locked_out', { n: await unlock.triesLeft() }) });
      return;
    }
    await unlock.setSecret('pin', pin.value);
    form.reset();
    status.textContent = t('settings.pin_saved');
  });
  return card(t('settings.pin'), h('p', {}, t(kind === 'pin' ? 'settings.pin_is_set' : 'settings.password_unlocks')), form);
}

export async function settingsPage() {
  return page(t('settings.title'), {},
    preferences(),
    await pinCard(),
    pushCard(),
    card(t('settings.account'),
      h('p', {}, `${app.profile.display_name} (${app.profile.username}) · ${app.profile.role_label}`),
      actions(h('button', { type: 'button', class: 'danger', onclick: confirmLogout }, t('settings.logout')))));
}
