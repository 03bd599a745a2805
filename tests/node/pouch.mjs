// PouchDB as the PWA uses it (core + memory adapter + http adapter + replication), plus
// a remote handle that logs in like the PWA (session cookie + X-CSRF-Token) or like a
// service account (HTTP Basic), and counts what it sends and asks for.
import PouchDB from 'pouchdb-core';
import memory from 'pouchdb-adapter-memory';
import http from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';

PouchDB.plugin(memory).plugin(http).plugin(replication);

export { PouchDB };

export async function readSpec() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export function output(value) {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export async function login(base, username, password) {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
  const cookie = response.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: (await response.json()).csrf_token };
}

// Counters per remote: requests by endpoint, documents sent in _bulk_docs and asked for in
// _bulk_get. They show what a replication really transferred.
function countingFetch(stats) {
  return async (url, opts) => {
    const path = new URL(url).pathname.split('/').slice(stats.depth);
    const endpoint = !path.length ? 'server' : (path[0] === '' ? 'db' : (path[0].startsWith('_') ? path[0] : 'doc'));
    stats.requests[endpoint] = (stats.requests[endpoint] || 0) + 1;
    if (opts.body && (endpoint === '_bulk_docs' || endpoint === '_bulk_get')) {
      const size = JSON.parse(opts.body).docs.length;
      const key = endpoint === '_bulk_docs' ? 'docs_sent' : 'docs_requested';
      stats[key] += size;
    }
    return PouchDB.fetch(url, opts);
  };
}

// `dbUrl` is the remote database (Siklus: <origin>/sync/siklus). A user with a username
// logs in like the PWA (cookie + CSRF) unless `auth` is 'basic'; without one: anonymous.
export async function remoteDb(dbUrl, user = {}) {
  // Path segments up to the database name, so request counts name the endpoint after it.
  const depth = new URL(dbUrl).pathname.split('/').length;
  const stats = { requests: {}, docs_sent: 0, docs_requested: 0, depth };
  const options = { fetch: countingFetch(stats) };
  if (user.auth === 'basic') {
    options.auth = { username: user.username, password: user.password };
  } else if (user.username) {
    const session = await login(new URL(dbUrl).origin, user.username, user.password);
    options.headers = { Cookie: session.cookie, 'X-CSRF-Token': session.csrf };
  }
  const remote = new PouchDB(dbUrl, options);
  return { remote, stats, headers: options.headers || {}, options };
}

export function summary(result) {
  return {
    ok: result.ok, status: result.status, docs_read: result.docs_read,
    docs_written: result.docs_written, doc_write_failures: result.doc_write_failures,
    errors: (result.errors || []).map((e) => ({ id: e.id, name: e.name, reason: e.reason })),
  };
}
