// The family page's service worker (scope /keluarga/): web push through the shared handlers,
// and the page itself from cache when there is no signal. The server prepends
// `const FAMILY = {version, urls}` (backend/pwa/family.py): the page's own files, kept at
// install and refreshed from the network whenever there is one. Nothing under /api is ever
// cached: the family's reminders and key go to the network only.
/* global FAMILY */

importScripts(`/app/${FAMILY.version}/push-handlers.js`);

const PREFIX = 'siklus-keluarga-';
const CACHE = `${PREFIX}${FAMILY.version}`;

self.addEventListener('install', (event) => {
  const requests = FAMILY.urls.map((url) => new Request(url, { cache: 'reload' }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/keluarga/') || url.pathname.startsWith('/app/')
      || url.pathname.startsWith('/icons/')) {
    event.respondWith(networkFirst(request));
  }
});
