// The server session: login (needs the network once), the current user, logout, and fetch
// for the REST API with the session's CSRF token. The cookie itself is HttpOnly: scripts
// never see it; only the CSRF token, which is useless without the cookie, is kept on device.

import * as kv from './kv.js';

const API = '/api/v1';
let csrfToken = null;

export class LoginError extends Error {
  constructor(kind, status = 0) {
    super(kind);
    this.kind = kind; // 'credentials' | 'rate_limited' | 'network' | 'server'
    this.status = status;
  }
}

export function csrf() {
  return csrfToken;
}

async function keepCsrf(token) {
  csrfToken = token;
  await kv.set('csrf', token);
}

export async function restoreCsrf() {
  csrfToken = await kv.get('csrf') ?? null;
}

/** The profile the device keeps: who is logged in, their role, scope and writable types. */
function profileOf(me) {
  const { csrf_token: token, ...profile } = me;
  return profile;
}

export async function login(username, password) {
  let response;
  try {
    response = await fetch(`${API}/auth/login`, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new LoginError('network');
  }
  if (response.status === 401) throw new LoginError('credentials', 401);
  if (response.status === 429) throw new LoginError('rate_limited', 429);
  if (!response.ok) throw new LoginError('server', response.status);
  const me = await response.json();
  await keepCsrf(me.csrf_token);
  return profileOf(me);
}

/** The user behind the cookie, or null when the session ended; throws when offline. */
export async function currentUser() {
  const response = await fetch(`${API}/auth/me`, { credentials: 'same-origin' });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`auth/me: HTTP ${response.status}`);
  const me = await response.json();
  await keepCsrf(me.csrf_token);
  return profileOf(me);
}

export async function logout() {
  try {
    await apiFetch('/auth/logout', { method: 'POST' });
  } catch {
    // Offline: the cookie outlives us until it expires; the local wipe does not wait for it.
  }
  csrfToken = null;
}

/** The RFC 7807 body of a refused API call ({title, detail, errors: {json: {field: [..]}}}),
 * or null when the answer was not one (a proxy's HTML error page). */
async function problemOf(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** fetch() for same-origin API calls: cookie and CSRF header; JSON body in and out (a
 * FormData body, a file upload, goes as multipart: the browser sets its Content-Type). */
export async function apiFetch(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  const response = await fetch(path.startsWith('/sync') ? path : `${API}${path}`, {
    method, credentials: 'same-origin', headers,
    body: body === undefined || multipart ? body : JSON.stringify(body),
  });
  if (!response.ok) {
    const error = new Error(`${method} ${path}: HTTP ${response.status}`);
    error.status = response.status;
    error.problem = await problemOf(response);
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

/** fetch() for PouchDB's remote database: same cookie, CSRF header on every request. */
export function syncFetch(url, options) {
  if (csrfToken) options.headers.set('X-CSRF-Token', csrfToken);
  return fetch(url, { ...options, credentials: 'same-origin' });
}
