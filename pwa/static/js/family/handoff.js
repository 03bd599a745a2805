// Where the family page keeps its two secrets (docs/push.md, "Family subscription and
// consent"). The invite token arrives in the URL fragment (/keluarga/#<token>); the page takes
// it out of the address bar at once. On an iPhone or iPad, push works only in the app added to
// the home screen, and that app has its own storage, apart from Safari's: so the token is also
// handed over through Cache Storage, which Safari and home-screen apps of one origin share
// (iOS 14+), and the family can paste the QR link as a last resort. The family key, returned
// once by the server, lives in localStorage of the page that subscribed.

// Not under the worker's prefix (siklus-keluarga-): its activation deletes other versions' caches.
const HANDOFF_CACHE = 'siklus-undangan-keluarga';
const HANDOFF_URL = '/keluarga/__undangan__';
const KEY_ITEM = 'siklus.keluarga.key';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token in a pasted link or in the fragment, or null. */
export function tokenFrom(text) {
  const candidate = String(text ?? '').trim().split('#').pop().trim();
  return TOKEN.test(candidate) ? candidate : null;
}

/** Take the token out of the address bar (it must not be bookmarked or shared by accident). */
export function takeFragment(loc = window.location, hist = window.history) {
  const token = tokenFrom(loc.hash.slice(1));
  if (loc.hash) hist.replaceState(null, '', loc.pathname);
  return token;
}

export async function keepToken(token) {
  if (!('caches' in window)) return;
  const cache = await caches.open(HANDOFF_CACHE);
  await cache.put(HANDOFF_URL, new Response(token, { headers: { 'Content-Type': 'text/plain' } }));
}

export async function handedToken() {
  if (!('caches' in window)) return null;
  const hit = await caches.match(HANDOFF_URL, { cacheName: HANDOFF_CACHE });
  return hit ? tokenFrom(await hit.text()) : null;
}

export async function forgetToken() {
  if ('caches' in window) await caches.delete(HANDOFF_CACHE);
}

export const familyKey = () => localStorage.getItem(KEY_ITEM);
export const keepKey = (key) => localStorage.setItem(KEY_ITEM, key);
export const forgetKey = () => localStorage.removeItem(KEY_ITEM);
