// A small interpreter: Python sends {base, steps: [...]} and gets one result per step.
// Clients are in-memory PouchDB databases, each replicating with the Siklus server as one
// user, so a test reads like a field story: two tablets, offline edits, a sync, a check.
import { PouchDB, readSpec, output, remoteDb, summary } from './pouch.mjs';
import { ReferenceRetry } from '../../pwa/static/js/repush.js';

// How long wait_for polls before giving up: a deadline for a hung replication only. Live sync
// on a machine whose cores are all busy can take many seconds; the test waits on the document.
const HUNG_MS = 60000;
const clients = {};
let dbCounter = 0;

async function replicate(client, source, target, step) {
  return settle(PouchDB.replicate(source, target, { batch_size: step.batch_size || 100 }), step);
}

// What a replication wrote and refused; `onDenied` sees each refusal as PouchDB emits it.
async function settle(rep, step, onDenied = () => {}) {
  const denied = [];
  rep.on('denied', (err) => {
    denied.push({ id: err.id, name: err.name, reason: err.reason, code: err.code });
    onDenied(err);
  });
  if (step.cancel_after) {
    rep.on('change', (info) => {
      if (info.docs_written >= step.cancel_after) rep.cancel();
    });
  }
  const result = await rep.catch((err) => ({ ok: false, status: 'error', errors: [err] }));
  return { ...summary(result), denied };
}

async function waitFor(client, step) {
  const started = Date.now();
  while (Date.now() - started < (step.timeout_ms || HUNG_MS)) {
    const doc = await client.local.get(step.id, { conflicts: true }).catch(() => null);
    const gone = step.deleted && doc === null;
    if (gone || (doc && (!step.rev || doc._rev === step.rev) && (!step.field
        || doc[step.field] === step.value))) {
      return { ms: Date.now() - started };
    }
    await new Promise((resolve) => { setTimeout(resolve, 25); });
  }
  return { timeout: true };
}

// Steps that act on the server rather than a tablet (a backup, a restore): Python serves them
// at `step.url`; the scenario waits for the answer, so tablets and server stay in step.
async function serverAction(step) {
  const response = await fetch(step.url, { method: 'POST' });
  return { status: response.status, body: await response.text() };
}

const ops = {
  server: (c, step) => serverAction(step),
  async client(step) {
    const remote = await remoteDb(`${step.base}/sync/siklus`, step);
    const local = new PouchDB(`local-${step.name}-${dbCounter++}`, { adapter: 'memory' });
    clients[step.name] = { ...remote, local };
    return { ok: true };
  },
  bulk: (c, step) => c.local.bulkDocs(step.docs),
  put: (c, step) => c.local.put(step.doc),
  get: (c, step) => c.local.get(step.id, step.opts || {}).catch((e) => ({ error: e.name })),
  remote_get: (c, step) => c.remote.get(step.id, step.opts || {})
    .catch((e) => ({ error: e.name, status: e.status })),
  async update(c, step) {
    const doc = await c.local.get(step.id);
    const fieldTs = { ...(doc.field_ts || {}) };
    for (const name of Object.keys(step.set)) fieldTs[name] = step.ts;
    return c.local.put({ ...doc, ...step.set, field_ts: fieldTs, updated_at: step.ts,
                         updated_by: step.by || 'tablet' });
  },
  async remove(c, step) {
    const doc = await c.local.get(step.id);
    return c.local.remove(doc);
  },
  push: (c, step) => replicate(c, c.local, c.remote, step),
  // A push as the PWA's sync controller makes it: what was refused for a reference that had
  // not arrived yet is pushed once more after the push (pwa/static/js/repush.js).
  async push_retrying(c, step) {
    const retry = new ReferenceRetry();
    const rep = PouchDB.replicate(c.local, c.remote, { batch_size: step.batch_size || 100 });
    const first = await settle(rep, step, (err) => retry.denied(err));
    const waiting = retry.waiting;
    const again = retry.flush(c.local, c.remote);
    return { first, waiting, again: again && await settle(again, step) };
  },
  pull: (c, step) => replicate(c, c.remote, c.local, step),
  async ids(c) {
    const all = await c.local.allDocs();
    return all.rows.map((row) => row.id);
  },
  live(c) {
    c.sync = PouchDB.sync(c.local, c.remote, { live: true, retry: true, batch_size: 100 });
    c.live_denied = [];
    c.sync.on('denied', (err) => c.live_denied.push(err.id));
    return { ok: true };
  },
  wait_for: waitFor,
  async cancel_live(c) {
    c.sync.cancel();
    return { denied: c.live_denied };
  },
  stats: (c) => ({ ...c.stats, requests: { ...c.stats.requests } }),
  reset_stats(c) {
    Object.assign(c.stats, { requests: {}, docs_sent: 0, docs_requested: 0 });
    return { ok: true };
  },
  async fetch_json(c, step) {
    const headers = { ...c.headers };
    if (c.options.auth) {
      const { username, password } = c.options.auth;
      headers.Authorization = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
    }
    const response = await fetch(`${step.base}/sync/siklus/${step.path}`, { headers });
    return { status: response.status, body: await response.json() };
  },
};

const spec = await readSpec();
const results = [];
for (const step of spec.steps) {
  step.base = spec.base;
  const op = ops[step.op];
  if (!op) throw new Error(`unknown op ${step.op}`);
  results.push(step.op === 'client' ? await op(step) : await op(clients[step.client], step));
}
output({ results });
