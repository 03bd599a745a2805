// What this device wrote that the server has not yet accepted ("N menunggu") and what it
// refused ("M ditolak", with the reason), kept in IndexedDB so both survive a reload. PouchDB
// cannot tell which local changes are ours and unsent, so every write goes through db.js
// and is noted here; the push replication's `change` and `denied` events settle them.

import * as kv from './kv.js';

export class Outbox extends EventTarget {
  constructor(username) {
    super();
    this.key = `outbox:${username}`;
    this.pending = {};   // id -> {rev, type, at}
    this.refused = {};   // id -> {rev, type, reason, code, at}
  }

  async load() {
    Object.assign(this, (await kv.get(this.key)) ?? {});
    return this;
  }

  get pendingCount() {
    return Object.keys(this.pending).length;
  }

  get refusedCount() {
    return Object.keys(this.refused).length;
  }

  async save() {
    await kv.set(this.key, { pending: this.pending, refused: this.refused });
    this.dispatchEvent(new Event('change'));
  }

  written(id, rev, type) {
    this.pending[id] = { rev, type, at: new Date().toISOString() };
    return this.save();
  }

  /** Docs the push replication wrote to the server. */
  pushed(docs) {
    let changed = false;
    for (const doc of docs) {
      // An older revision going out while a newer one waits leaves the newer one pending.
      if (this.pending[doc._id]?.rev === doc._rev) {
        delete this.pending[doc._id];
        changed = true;
      }
      if (this.refused[doc._id]) {
        delete this.refused[doc._id];
        changed = true;
      }
    }
    return changed ? this.save() : Promise.resolve();
  }

  /** A `denied` event: the server's per-document result {id, error: "forbidden", reason,
   * code}, which PouchDB passes on whole. `code` (backend/sync/prepare.py REFUSAL_CODES) says
   * why in a way the UI can translate; null from a server that sends none. For codes role,
   * area and reference_scope on a document the server already had, the server sends its own
   * revision back: after the next pull the local document is the server's again (its _rev is
   * no longer `rev`), and the entry tells the user what was undone. */
  denied(error) {
    const waiting = this.pending[error.id];
    this.refused[error.id] = {
      rev: waiting?.rev ?? null, type: waiting?.type ?? error.id.split(':')[0],
      reason: error.reason ?? error.message ?? '', code: error.code ?? null,
      at: new Date().toISOString(),
    };
    delete this.pending[error.id];
    return this.save();
  }

  /** The document left this device (purged): nothing of it is waiting any more. */
  forget(id) {
    if (!(id in this.pending) && !(id in this.refused)) return Promise.resolve();
    delete this.pending[id];
    delete this.refused[id];
    return this.save();
  }
}
