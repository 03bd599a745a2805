// Start-up: service worker, then login (first time, online) or unlock (offline), then the
// local database, in-memory records, live sync and the routed screens. Puskesmas desks
// (desk-records.js) read from the API on demand and only push what they write.

import { app } from './app.js';
import { clinicalConfig } from './clinical-config.js';
import * as db from './db.js';
import { language, setLanguage } from './i18n.js';
import { stillUnlocked, watch } from './idle-lock.js';
import * as kv from './kv.js';
import { renderLayout } from './layout.js';
import { confirmLogout } from './logout.js';
import { DeskRecords, DeskSearch, isDeskRole } from './desk-records.js';
import { Outbox } from './outbox.js';
import { Records } from './records.js';
import * as router from './router.js';
import { purgeScopeExits } from './scope-exits.js';
import { PersonIndex } from './search.js';
import * as session from './session.js';
import { registerServiceWorker } from './sw-update.js';
import { SyncController } from './sync.js';
import * as unlock from './unlock.js';
import { loginScreen, pinScreen, unlockScreen } from './views/auth.js';
import { registerRoutes } from './views/routes.js';

const root = document.getElementById('app');
let layout = null;
let stopWatch = null;
// Registered once, not per login: a login after a logout in place (app.loggedOut) reuses it.
db.onWrite((doc) => app.records?.apply(doc));

function show(screen) {
  layout?.dispose();
  layout = null;
  root.replaceChildren(screen);
  root.removeAttribute('aria-busy');
  screen.querySelector('input:not([readonly])')?.focus();
}

async function firstLogin() {
  show(loginScreen({
    onLoggedIn: async (profile, password) => {
      await kv.set('profile', profile);
      // The password verifier exists at once, so even a user who closes the app before
      // choosing a PIN can unlock it offline tomorrow.
      await unlock.setSecret('password', password);
      show(pinScreen({ password, onDone: () => enter(profile) }));
    },
  }));
}

/** A login again for the same account: after a lock-out, or when the session expired. */
function loginAgain(profile) {
  show(loginScreen({
    username: profile.username,
    onLoggedIn: async (fresh, password) => {
      await kv.set('profile', fresh);
      if (await unlock.secretKind() !== 'pin') await unlock.setSecret('password', password);
      if (app.records) {
        app.profile = fresh;
        if (app.sync.halted) app.sync.restart();
      }
      enter(fresh);
    },
  }));
}

async function askUnlock(profile) {
  const kind = await unlock.secretKind();
  if (!kind) {
    loginAgain(profile);
    return;
  }
  performance.mark('siklus:unlock-shown');
  show(unlockScreen({
    profile, kind,
    onUnlocked: () => enter(profile),
    onLockedOut: () => loginAgain(profile),
    onSwitchUser: async () => {
      // Even from a cold start the question must name the unsynced documents it would wipe.
      app.profile ??= profile;
      app.outbox ??= await new Outbox(profile.username).load();
      await confirmLogout();
    },
  }));
}

async function openStores(profile) {
  app.profile = profile;
  app.desk = isDeskRole(profile.role);
  app.outbox = await new Outbox(profile.username).load();
  const local = db.open(profile, app.outbox);
  app.records = await new (app.desk ? DeskRecords : Records)(local).load();
  app.index = app.desk ? new DeskSearch() : new PersonIndex(app.records);
  app.sync = new SyncController({
    local, outbox: app.outbox, username: profile.username, pushOnly: app.desk,
    replicates: profile.replicates !== false, // a profile saved before the field: ask /sync
    // A desk holds only its own writes: nothing of it can leave the user's area.
    onCaughtUp: app.desk ? async () => {} : () => purgeScopeExits(profile.username),
    settle: () => app.records.settled(),
  });
  await app.sync.start();
}

/** When online, the server may have changed the user's scope or ended the session. */
async function refreshSession() {
  try {
    const fresh = await session.currentUser();
    if (fresh === null) {
      app.sync.halt('login');
      return;
    }
    app.profile = { ...app.profile, ...fresh };
    await kv.set('profile', app.profile);
  } catch {
    // Offline: the profile on the device stands until the next connection.
  }
}

async function enter(profile) {
  if (!app.records) {
    await openStores(profile);
    refreshSession();
    // Warm the clinical config while the first screen renders; a screen that needs it and
    // cannot get it (offline before it was cached) says so itself.
    clinicalConfig().catch(() => {});
  }
  layout = renderLayout(root, { onLock: lock });
  stopWatch = watch(lock);
  await router.start(layout.outlet);
  performance.mark('siklus:ready'); // User Timing: DevTools and bench/pwa.py read it
}

function leaveScreens() {
  stopWatch?.();
  router.stop();
}

function lock() {
  leaveScreens();
  // Sync keeps running under the lock screen: captured visits still reach the server.
  askUnlock(app.profile);
}

/** The server session ended (sync says "log in again"): same account, then back to work. */
app.relogin = () => {
  leaveScreens();
  loginAgain(app.profile);
};

/** The device was wiped (logout.js) in a page no service worker serves yet, which cannot be
 * reloaded offline: drop the last user from memory and show the login screen in place. */
app.loggedOut = () => {
  leaveScreens();
  layout?.dispose(); // its sync indicator lets go of app.sync before that goes
  layout = null;
  Object.assign(app, { profile: null, desk: false, records: null, index: null, outbox: null, sync: null });
  window.history.replaceState(null, '', '/');
  firstLogin();
};

async function boot() {
  setLanguage(language());
  registerServiceWorker().catch((error) => console.warn('service worker:', error));
  registerRoutes();
  await session.restoreCsrf();
  const profile = await kv.get('profile');
  if (!profile) await firstLogin();
  else if (stillUnlocked() && await unlock.secretKind()) await enter(profile);
  else await askUnlock(profile);
}

boot();
