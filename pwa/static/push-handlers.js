// Web push in a service worker (docs/push.md): shared by the app's worker (/sw.js) and the
// family page's (/keluarga/sw.js) through importScripts. A push carries the JSON the server's
// backend/push/payload.py builds — {title, body, url, tag} and nothing more personal than a
// first name — and Chrome requires every push to show a notification, so each one does.
// A click opens the notification's `url` (a same-origin path, the app's hash route included:
// /#/task/<id>, /#/tasks, /#/sync): in a window of this worker's scope already open when
// there is one, else in a new one.

const PUSH_ICON = '/icons/icon-192.png';

function pushMessage(event) {
  try {
    const data = event.data ? event.data.json() : {};
    if (data && typeof data.title === 'string') return data;
  } catch {
    // not JSON: fall through to the neutral notification below
  }
  return { title: 'Siklus', body: '', url: self.registration.scope, tag: 'siklus' };
}

function sameOrigin(url) {
  const target = new URL(url || self.registration.scope, self.registration.scope);
  return target.origin === self.location.origin ? target.href : self.registration.scope;
}

self.addEventListener('push', (event) => {
  const message = pushMessage(event);
  event.waitUntil(self.registration.showNotification(message.title, {
    body: message.body || '',
    tag: message.tag || undefined,
    icon: PUSH_ICON,
    badge: PUSH_ICON,
    lang: 'id',
    data: { url: sameOrigin(message.url) },
  }));
});

/** Show `url` in `client` (a window of this scope): navigate first, which needs no user
 * gesture, then focus, which the click allows; a window this worker does not control cannot
 * be navigated, so the url opens in a new one. */
async function showIn(client, url) {
  let shown = client;
  if (client.url !== url) {
    shown = await client.navigate(url).catch(() => null);
    if (!shown) return self.clients.openWindow(url);
  }
  return shown.focus().catch(() => shown);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = sameOrigin(event.notification.data?.url);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows.find((client) => client.url.startsWith(self.registration.scope));
    return open ? showIn(open, url) : self.clients.openWindow(url);
  })());
});
