// Siklus service worker: precaches the versioned app shell and serves it with no network.
// The server prepends `const SHELL = {version, urls}` (backend/pwa/shell.py): a new shell
// version changes this script's bytes, so the browser installs the new worker beside the old.
/* global SHELL */

// Web push: the push and notificationclick handlers the family page's worker shares. Imported
// from the versioned shell URL: the file is part of SHELL.version's digest, so a change to it
// changes this script's bytes and installs a new worker, and the copy it loads is precached.
importScripts(`/app/${SHELL.version}/push-handlers.js`);

const PREFIX = 'siklus-shell-';
const CACHE = `${PREFIX}${SHELL.version}`;

self.addEventListener('install', (event) => {
  // `reload` skips the HTTP cache so the precache holds exactly this version's bytes.
  const requests = SHELL.urls.map((url) => new Request(url, { cache: 'reload' }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
  // No skipWaiting here: the page asks once the user taps "Muat ulang", so a form being
  // filled in is never swapped for a new version underneath the kader.
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

async function cached(request) {
  const hit = await caches.match(request, { cacheName: CACHE });
  return hit ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === '/') {
    // The app routes in the hash, so `/` is the only page: always the cached shell.
    event.respondWith(cached(new Request('/')));
    return;
  }
  if (SHELL.urls.includes(url.pathname)) event.respondWith(cached(request));
  // Everything else (/api, /sync) goes to the network untouched: records live in PouchDB,
  // never in Cache Storage, so a logout wipe need not hunt through caches.
});
