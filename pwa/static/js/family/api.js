// The family page's calls to /api/v1/family (backend/api/family/routes.py). No login: the QR
// token travels in a POST body (never in a URL the server logs), then the family key in the
// X-Family-Key header.

const BASE = '/api/v1/family';

/** An answer the page explains to the family: `status` 0 means no signal. */
export class FamilyError extends Error {
  constructor(status, detail = '') {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

async function call(path, { method = 'GET', body, key } = {}) {
  let response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      credentials: 'omit',
      headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(key ? { 'X-Family-Key': key } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new FamilyError(0);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new FamilyError(response.status, data.detail);
  return data;
}

/** The server's VAPID public key (public: the family page has no login). */
export const vapidKey = () => fetch('/api/v1/push/vapid-key', { credentials: 'omit' })
  .then((r) => (r.ok ? r.json() : Promise.reject(new FamilyError(r.status))), () => Promise.reject(new FamilyError(0)))
  .then((data) => data.public_key);
export const checkInvite = (token) => call('/invite', { method: 'POST', body: { token } });
export const subscribeFamily = (token, givenBy, subscription) => call('/subscribe', {
  method: 'POST', body: { token, given_by: givenBy, consent: true, subscription },
});
export const reminders = (key) => call('/reminders', { key });
export const stop = (key) => call('/stop', { method: 'POST', key });
