// Benchmark client: stock PouchDB (memory adapter) pushing to / pulling from a CouchDB-
// protocol server, timed around the replication only. Prints one JSON line.
//
//   node bench/sync_client.mjs push <dbUrl> <docs.json> [user] [password]
//   node bench/sync_client.mjs pull <dbUrl> [user] [password]
//   node bench/sync_client.mjs concurrent <dbUrl> <sessions.json> [user] [password]
// (sessions.json: a list of document lists, one per client, pushed all at once.)
import { readFileSync } from 'node:fs';
import { PouchDB, remoteDb } from '../tests/node/pouch.mjs';

const BATCH_SIZE = 200; // the PWA's batch size (pwa/static/js/sync.js)
let counter = 0;

function localDb() {
  return new PouchDB(`bench-${process.pid}-${counter++}`, { adapter: 'memory' });
}

async function replicate(source, target) {
  const started = performance.now();
  const result = await PouchDB.replicate(source, target, { batch_size: BATCH_SIZE })
    .catch((err) => ({ ok: false, docs_written: 0, doc_write_failures: 0, errors: [err] }));
  return {
    seconds: (performance.now() - started) / 1000,
    docs: result.docs_written,
    errors: result.doc_write_failures + (result.ok ? 0 : 1),
  };
}

async function prepared(dbUrl, docs, user) {
  const local = localDb();
  await local.bulkDocs(docs);
  const { remote } = await remoteDb(dbUrl, user);
  return { local, remote };
}

async function push(dbUrl, docs, user) {
  const { local, remote } = await prepared(dbUrl, docs, user);
  return replicate(local, remote);
}

async function pull(dbUrl, user) {
  const { remote } = await remoteDb(dbUrl, user);
  return replicate(remote, localDb());
}

// Every client logs in and loads its session first; only the pushes run at the same time.
async function concurrent(dbUrl, sessions, user) {
  const clients = [];
  for (const docs of sessions) clients.push(await prepared(dbUrl, docs, user));
  const started = performance.now();
  const runs = await Promise.all(clients.map(({ local, remote }) => replicate(local, remote)));
  return {
    seconds: (performance.now() - started) / 1000,
    clients: runs.length,
    docs: runs.reduce((sum, run) => sum + run.docs, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    slowest_client_seconds: Math.max(...runs.map((run) => run.seconds)),
  };
}

const [mode, dbUrl, ...rest] = process.argv.slice(2);
const credentials = (args) => (args[0] ? { username: args[0], password: args[1] } : {});
let result;
if (mode === 'push') {
  result = await push(dbUrl, JSON.parse(readFileSync(rest[0], 'utf8')), credentials(rest.slice(1)));
} else if (mode === 'pull') {
  result = await pull(dbUrl, credentials(rest));
} else if (mode === 'concurrent') {
  const sessions = JSON.parse(readFileSync(rest[0], 'utf8'));
  result = await concurrent(dbUrl, sessions, credentials(rest.slice(1)));
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(JSON.stringify(result) + '\n');
