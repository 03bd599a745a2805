// Pengaturan → "Notifikasi di perangkat ini": what this role receives, the browser's permission
// in words (and how to lift a block), this device on or off, and a test notification. Every
// action needs the server; offline the section says so and offers none (push.js).

import { app } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { h, replace } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import * as push from '../push.js';
import { actions } from '../forms.js';
import { badge, card } from './ui.js';

const PERMISSION = { default: ['push.permission.default', 'muted'], granted: ['push.permission.granted', 'ok'], denied: ['push.permission.denied', 'bad'] };

function receivesList(config) {
  const rules = push.staffRules(config, app.profile.role);
  if (!rules.length) return h('p', {}, t('push.receives.nothing'));
  return [h('p', {}, t('push.receives')),
    h('ul', { 'data-testid': 'push-receives' }, rules.map((rule) => h('li', { 'data-rule': rule.code }, rule.label))),
    h('p', { class: 'hint' }, t('push.receives.digest'))];
}

function permissionLine(state) {
  const [key, tone] = PERMISSION[state.permission] ?? PERMISSION.default;
  return [h('p', { 'data-testid': 'push-permission' }, t('push.permission'), ' ', badge(t(key), tone)),
    state.permission === 'denied' ? h('p', { class: 'notice warn' }, t('push.permission.unblock')) : null];
}

function deviceLine(state) {
  return h('p', { 'data-testid': 'push-device' }, t('push.device'), ' ',
    state.subscribed ? badge(t('push.device.on'), 'ok') : badge(t('push.device.off'), 'muted'));
}

function otherDevices(devices) {
  const others = devices.filter((device) => !device.here);
  if (!others.length) return null;
  return h('p', { class: 'hint', 'data-testid': 'push-other-devices' }, t('push.other_devices', {
    n: others.length, when: formatDateTime(others[0].created_at),
  }));
}

/** Why this browser cannot receive at all (iPhone outside the home screen, no Push API). */
function unsupported(support) {
  if (support === 'ios-home-screen') return h('p', { class: 'notice warn', 'data-testid': 'push-ios' }, t('push.ios_home_screen'));
  if (support === 'unsupported') return h('p', { class: 'notice warn' }, t('push.unsupported'));
  return null;
}

function errorText(error) {
  if (error.message === 'denied') return t('push.error.denied');
  if (error.status === 400) return t('push.error.refused');
  if (error.status === 401) return t('admin.session_ended');
  if (error.status === 422) return t('push.error.no_device');
  return t('push.error.failed');
}

function testNotice(result) {
  if (result.sent === result.queued) return [t('push.test.sent', { n: result.sent }), 'ok'];
  return [t('push.test.partly', { sent: result.sent, n: result.queued }), 'warn'];
}

function notice(text, tone) {
  return h('p', { role: 'status', 'aria-live': 'polite', class: text ? `notice ${tone}` : null, 'data-testid': 'push-status' }, text);
}

/** The buttons this state allows: Aktifkan (not yet on, or the server forgot this device),
 * Matikan, and the test when the user has a device the server knows. */
function buttons(state, known, devices, run) {
  const enable = async () => {
    if (await push.enable() === 'denied') throw new Error('denied');
  };
  const test = async () => testNotice(await push.sendTest());
  return [
    state.support === 'ok' && !(state.subscribed && known)
      ? h('button', { type: 'button', class: 'primary', 'data-testid': 'push-enable', onclick: run(enable) }, t('push.enable')) : null,
    state.support === 'ok' && state.subscribed
      ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'push-disable', onclick: run(push.disable) }, t('push.disable')) : null,
    devices.length
      ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'push-test', onclick: run(test) }, t('push.test')) : null,
  ].filter(Boolean);
}

// The latest render of each section: an older one still waiting for the server (started
// online) must not overwrite a newer one (the network just went away).
const latest = new WeakMap();

async function render(section, [message, tone] = ['', '']) {
  const turn = (latest.get(section) ?? 0) + 1;
  latest.set(section, turn);
  const [state, config] = await Promise.all([push.deviceState(), clinicalConfig().catch(() => null)]);
  const online = navigator.onLine;
  const devices = online && state.support !== 'unsupported'
    ? await push.serverDevices(state.endpoint).catch(() => []) : [];
  if (latest.get(section) !== turn) return;
  const known = devices.some((device) => device.here);
  // Each action re-reads the device and the server afterwards, and says how it went.
  const run = (work) => async (event) => {
    event.currentTarget.disabled = true;
    let said = ['', ''];
    try {
      said = (await work()) ?? said;
    } catch (error) {
      said = [errorText(error), 'bad'];
    }
    await render(section, said);
  };
  const offered = online ? buttons(state, known, devices, run) : [];
  replace(section,
    h('h2', {}, t('push.title')),
    receivesList(config),
    unsupported(state.support),
    state.support === 'unsupported' ? null : permissionLine(state),
    state.support === 'ok' ? deviceLine({ ...state, subscribed: state.subscribed && (known || !online) }) : null,
    online ? otherDevices(devices) : h('p', { class: 'notice warn', 'data-testid': 'push-offline' }, t('push.offline')),
    offered.length ? actions(...offered) : null,
    notice(message, tone));
}

/** The section: its title at once, the rest once the device (and, online, the server) has
 * answered — a slow connection never holds up the rest of Pengaturan. Read again when the
 * network comes or goes, since every action needs it. */
export function pushCard() {
  const section = card(t('push.title'));
  section.dataset.testid = 'push-settings';
  const show = () => render(section).catch(() => replace(section, h('h2', {}, t('push.title')),
    h('p', { class: 'notice bad', role: 'alert' }, t('push.error.failed'))));
  const again = () => {
    if (section.isConnected) {
      show();
      return;
    }
    window.removeEventListener('online', again);
    window.removeEventListener('offline', again);
  };
  show();
  window.addEventListener('online', again);
  window.addEventListener('offline', again);
  return section;
}
