// The family page /keluarga/ (docs/push.md, "Family subscription and consent"), phone first:
// what the family will receive, consent (a name and a tick), "Izinkan pengingat"
// (pushManager.subscribe with the server's VAPID key), then the household's upcoming reminders
// by first name and date, and "Berhenti menerima pengingat".

import { h, replace, uid } from '../dom.js';
import { confirmDialog } from '../dialog.js';
import { formatDate, t, tMaybe } from '../i18n.js';
import { pushSupport, subscribe, unsubscribe } from '../push-subscription.js';
import { FamilyError, checkInvite, reminders, stop, subscribeFamily, vapidKey } from './api.js';
import {
  familyKey, forgetKey, forgetToken, handedToken, keepKey, keepToken, takeFragment, tokenFrom,
} from './handoff.js';

const root = document.getElementById('family');
const SCOPE = '/keluarga/';
const KINDS = ['imunisasi', 'hamil', 'nifas', 'vitamin_a', 'posyandu', 'kontrol'];

function show(...children) {
  replace(root, ...children);
  root.querySelector('h1, h2')?.focus?.();
}

function card(...children) {
  return h('section', { class: 'family-card' }, children);
}

function notice(text, tone = 'info') {
  return h('p', { class: `family-notice ${tone}`, role: tone === 'bad' ? 'alert' : 'status' }, text);
}

/** Words for an API refusal or no signal. */
function problemText(error) {
  if (!(error instanceof FamilyError)) return t('family.page.error');
  if (error.status === 0) return t('family.page.offline');
  if (error.status === 410 && /expired/.test(error.detail)) return t('family.page.expired');
  return tMaybe(`family.page.status_${error.status}`) ?? t('family.page.error');
}

function registration() {
  return navigator.serviceWorker.register('/keluarga/sw.js', { scope: SCOPE });
}

function whatYouGet(invite) {
  return card(
    h('h2', {}, t('family.page.what_title')),
    h('ul', { class: 'family-kinds' }, KINDS.map((kind) => h('li', {}, t(`family.kind.${kind}`)))),
    h('p', {}, t('family.page.privacy')),
    h('p', {}, t('family.page.cap', { n: invite.daily_cap, start: invite.window_start, end: invite.window_end })),
    h('p', {}, t('family.page.stop_any_time')),
    h('p', { class: 'family-muted' }, t('family.page.valid', { date: formatDate(invite.expires_at, 'long') })));
}

function iosSteps(token) {
  return card(
    h('h2', {}, t('family.ios.title')),
    h('ol', { class: 'family-steps' },
      h('li', {}, t('family.ios.step_share')),
      h('li', {}, t('family.ios.step_add')),
      h('li', {}, t('family.ios.step_open'))),
    h('p', {}, t('family.ios.version')),
    h('p', { class: 'family-muted' }, t('family.ios.copy_hint')),
    h('button', { type: 'button', class: 'secondary wide', onclick: async (event) => {
      await navigator.clipboard?.writeText(`${window.location.origin}${SCOPE}#${token}`).catch(() => null);
      event.target.textContent = t('family.ios.copied');
    } }, t('family.ios.copy')));
}

function consentForm(token) {
  const nameId = uid('f');
  const tickId = uid('f');
  const status = h('div', { class: 'family-status' });
  const form = h('form', { class: 'family-form', novalidate: true },
    h('label', { for: nameId }, t('family.consent.name')),
    h('input', { id: nameId, name: 'given_by', type: 'text', maxlength: 120, autocomplete: 'name',
      required: true, placeholder: t('family.consent.name_example') }),
    h('div', { class: 'family-tick' },
      h('input', { id: tickId, name: 'consent', type: 'checkbox', required: true }),
      h('label', { for: tickId }, t('family.consent.tick'))),
    h('button', { type: 'submit', class: 'primary wide' }, t('family.consent.allow')),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const givenBy = form.elements.given_by.value.trim();
    if (!givenBy || !form.elements.consent.checked) {
      replace(status, notice(t('family.consent.missing'), 'bad'));
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    replace(status, notice(t('family.consent.working')));
    try {
      await registration();
      const subscription = await subscribe(await navigator.serviceWorker.ready, await vapidKey());
      if (!subscription) {
        replace(status, notice(t('family.page.denied'), 'bad'));
        return;
      }
      const done = await subscribeFamily(token, givenBy, subscription);
      keepKey(done.key);
      await forgetToken();
      await subscribed(done.key, true);
    } catch (error) {
      console.warn('family subscribe', error);
      replace(status, notice(error instanceof FamilyError ? problemText(error) : t('family.page.push_failed'), 'bad'));
    } finally {
      button.disabled = false;
    }
  });
  return card(h('h2', {}, t('family.consent.title')), form);
}

async function withToken(token) {
  show(h('p', { class: 'family-muted' }, t('family.page.checking')));
  let invite;
  try {
    invite = await checkInvite(token);
  } catch (error) {
    await forgetToken();
    show(h('h1', { tabindex: '-1' }, t('family.page.title')), notice(problemText(error), 'bad'));
    return;
  }
  const support = pushSupport();
  const next = {
    ok: () => consentForm(token),
    'ios-home-screen': () => iosSteps(token),
    denied: () => card(notice(t('family.page.denied'), 'bad')),
    unsupported: () => card(notice(t('family.page.unsupported'), 'bad')),
  }[support]();
  if (support === 'ios-home-screen') await keepToken(token);
  show(h('h1', { tabindex: '-1' }, t('family.page.title')),
    h('p', { class: 'family-lead' }, t('family.page.lead')), whatYouGet(invite), next);
}

function reminderList(items) {
  if (!items.length) return h('p', { class: 'family-muted' }, t('family.list.none'));
  return h('ul', { class: 'family-list', 'data-testid': 'family-upcoming' }, items.map((item) => h('li', {},
    h('span', { class: 'family-date' }, formatDate(item.date, 'long')),
    h('span', {}, [item.first_name, item.kind].filter(Boolean).join(' · ')))));
}

async function subscribed(key, fresh = false) {
  let data;
  try {
    data = await reminders(key);
  } catch (error) {
    if (error instanceof FamilyError && [401, 410].includes(error.status)) {
      forgetKey();
      show(h('h1', { tabindex: '-1' }, t('family.page.title')), notice(t(`family.page.key_${error.status}`), 'bad'));
      return;
    }
    show(h('h1', { tabindex: '-1' }, t('family.page.title')), notice(problemText(error), 'bad'));
    return;
  }
  const stopButton = h('button', { type: 'button', class: 'danger wide', onclick: () => stopAll(key, stopButton) },
    t('family.stop.button'));
  show(h('h1', { tabindex: '-1' }, t('family.page.title')),
    fresh ? notice(t('family.page.subscribed'), 'ok') : null,
    h('p', { class: 'family-lead' }, t('family.list.consent', { name: data.given_by, date: formatDate(data.given_at, 'long') })),
    card(h('h2', {}, t('family.list.title')), reminderList(data.reminders)),
    card(h('h2', {}, t('family.stop.title')), h('p', {}, t('family.stop.text')), stopButton));
}

async function stopAll(key, button) {
  if (!await confirmDialog({ title: t('family.stop.confirm_title'), confirm: t('family.stop.confirm'), danger: true })) return;
  button.disabled = true;
  try {
    await stop(key);
  } catch (error) {
    if (!(error instanceof FamilyError) || ![401, 410].includes(error.status)) {
      button.disabled = false;
      button.after(notice(problemText(error), 'bad'));
      return;
    }
  }
  forgetKey();
  const reg = await navigator.serviceWorker?.getRegistration(SCOPE);
  if (reg) await unsubscribe(reg).catch(() => null);
  show(h('h1', { tabindex: '-1' }, t('family.page.title')), notice(t('family.stop.done'), 'ok'),
    h('p', {}, t('family.stop.again')));
}

function pasteForm() {
  const inputId = uid('f');
  const status = h('div');
  const form = h('form', { class: 'family-form', novalidate: true },
    h('label', { for: inputId }, t('family.paste.label')),
    h('input', { id: inputId, name: 'link', type: 'text', autocomplete: 'off', inputmode: 'url' }),
    h('button', { type: 'submit', class: 'primary wide' }, t('family.paste.go')), status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = tokenFrom(form.elements.link.value);
    if (token) withToken(token);
    else replace(status, notice(t('family.paste.bad'), 'bad'));
  });
  return form;
}

async function start() {
  const fromLink = takeFragment();
  const key = familyKey();
  if (fromLink) {
    await withToken(fromLink);
  } else if (key) {
    await subscribed(key);
  } else {
    const handed = await handedToken();
    if (handed) await withToken(handed);
    else show(h('h1', { tabindex: '-1' }, t('family.page.title')), card(h('p', {}, t('family.page.no_token')), pasteForm()));
  }
  if ('serviceWorker' in navigator && pushSupport() !== 'unsupported') registration().catch(() => null);
}

document.documentElement.lang = 'id';
start();
