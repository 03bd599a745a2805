// Logging out wipes this user's data from the device: the PouchDB database, drafts, outbox,
// verifier and any cache that is not the app shell (the shell itself holds no records). Unsynced or refused documents would be
// lost with it, so the question names how many there are and nothing happens without a yes.

import { app } from './app.js';
import * as db from './db.js';
import { confirmDialog } from './dialog.js';
import { clearAllDrafts } from './drafts.js';
import { t } from './i18n.js';
import { forget } from './idle-lock.js';
import * as kv from './kv.js';
import * as push from './push.js';
import * as session from './session.js';

export async function wipeDevice(username) {
  app.sync?.dispose();
  app.records?.stop();
  await db.destroy(username);
  await kv.clear();
  clearAllDrafts();
  forget();
  const names = await caches.keys();
  await Promise.all(names.filter((name) => !name.startsWith('siklus-shell-'))
    .map((name) => caches.delete(name)));
}

export async function confirmLogout() {
  const { pendingCount, refusedCount } = app.outbox;
  const body = [t('logout.body')];
  if (pendingCount) body.push(t('logout.unsynced', { n: pendingCount }));
  if (refusedCount) body.push(t('logout.refused', { n: refusedCount }));
  const confirmed = await confirmDialog({
    title: t('logout.title'), body, confirm: t('logout.confirm'),
    danger: pendingCount + refusedCount > 0,
  });
  if (!confirmed) return;
  // The next person on this device must not get this user's notifications (offline: the
  // browser still unsubscribes; the server forgets the device at its next 404/410).
  // Bounded: a push service that does not answer must not hold the logout.
  await Promise.race([push.disable().catch(() => {}), new Promise((done) => { setTimeout(done, 3000); })]);
  await session.logout();
  await wipeDevice(app.profile.username);
  // A reload leaves nothing of this user in memory, but without a network only a page the
  // service worker controls can be reloaded: right after a first login the shell may still be
  // installing (or its install was cut off by the lost signal), and a reload offline would
  // then be the browser's error page instead of the app. Then the login screen comes in place.
  if (navigator.serviceWorker?.controller) window.location.replace('/');
  else app.loggedOut();
}
