// Documents that left this user's area (a family moved to another desa) must not linger on
// the tablet. The server lists them at /sync/siklus/_scope_exits; each is *purged* here:
// every revision removed from the local PouchDB with no tombstone, so the push replication
// has nothing to send and the server's copy is untouched. A tombstone (db.remove) would
// replicate as a deletion the server must refuse, and would leave the id behind.

import { app } from './app.js';
import * as db from './db.js';
import * as kv from './kv.js';
import { apiFetch } from './session.js';

const LOG_SIZE = 50;

export async function purgeScopeExits(username) {
  const key = `exits:${username}`;
  const state = (await kv.get(key)) ?? { since: 0, log: [] };
  for (;;) {
    const page = await apiFetch(`/sync/siklus/_scope_exits?since=${state.since}`);
    for (const exit of page.results) {
      if (await db.purge(exit.id)) {
        app.records.forget(exit.id);
        // The log keeps the type and the old desa only: no name of someone no longer ours.
        state.log.unshift({ type: exit.id.split(':')[0], from: exit.from, at: new Date().toISOString() });
      }
      await app.outbox.forget(exit.id);
    }
    const advanced = page.last_seq > state.since;
    state.since = page.last_seq;
    if (!page.results.length || !advanced) break;
  }
  state.log = state.log.slice(0, LOG_SIZE);
  await kv.set(key, state);
}

export async function purgeLog(username) {
  return (await kv.get(`exits:${username}`))?.log ?? [];
}
