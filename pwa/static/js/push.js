// Notifications on this staff device (docs/push.md "Staff notifications"): what the user's
// role receives, whether this browser can, may and does receive them, and the calls that turn
// them on, off and test them. Everything here needs the server (the VAPID key, the
// subscription it stores), so the caller says "needs a connection" offline instead of trying.

import { pushSupport, subscribe, unsubscribe } from './push-subscription.js';
import { apiFetch } from './session.js';

/** The staff rules of config/ilp/reminders.json that reach `role`: a rule names the roles it
 * follows, or none for everyone (refused records reach whoever recorded them). */
export function staffRules(config, role) {
  return (config?.reminders?.rules ?? []).filter((rule) => rule.audience === 'staff'
    && (!rule.follows?.roles || rule.follows.roles.includes(role)));
}

async function registration() {
  if (!('serviceWorker' in navigator)) return null;
  return navigator.serviceWorker.getRegistration('/');
}

async function sha256(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** This device as it stands: `support` (pushSupport: ok, denied, ios-home-screen,
 * unsupported), `permission` (default, granted, denied) and `subscribed` (this browser holds
 * a push subscription). Reads nothing from the server. */
export async function deviceState() {
  const support = pushSupport();
  const permission = 'Notification' in window ? Notification.permission : 'default';
  const reg = support === 'ok' ? await registration() : null;
  const subscription = reg ? await reg.pushManager.getSubscription() : null;
  return { support, permission, subscribed: Boolean(subscription), endpoint: subscription?.endpoint ?? null };
}

/** The user's devices the server knows, `here` marking this browser's (online only). */
export async function serverDevices(endpoint) {
  const { items } = await apiFetch('/push/devices');
  const mine = endpoint ? await sha256(endpoint) : null;
  return items.map((device) => ({ ...device, here: device.endpoint_sha256 === mine }));
}

/** Ask for permission, subscribe and register with the server: 'on', or 'denied' when the
 * user refused (or dismissed) the browser's question. Throws when the server refuses. */
export async function enable() {
  const reg = await registration();
  if (!reg) throw new Error('no service worker');
  const { public_key: key } = await apiFetch('/push/vapid-key');
  const subscription = await subscribe(reg, key);
  if (!subscription) return 'denied';
  await apiFetch('/push/subscriptions', { method: 'POST', body: subscription });
  return 'on';
}

/** Unsubscribe this browser and tell the server to forget it (already forgotten is fine). */
export async function disable() {
  const reg = await registration();
  const endpoint = reg ? await unsubscribe(reg) : null;
  if (!endpoint) return;
  try {
    await apiFetch('/push/subscriptions', { method: 'DELETE', body: { endpoint } });
  } catch (error) {
    if (error.status !== 404) throw error;
  }
}

/** A test notification to every device of the user, sent now: {queued, sent, errors}. */
export function sendTest() {
  return apiFetch('/push/test', { method: 'POST' });
}
