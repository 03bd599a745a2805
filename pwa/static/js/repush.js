// Documents the server refused because a document they reference had not reached it yet
// (code `reference_missing`): a visit goes out in one batch and its person, edited after the
// visit, in a later one. Once the push has caught up, they are pushed once more, by id; if
// the server refuses them again they stay listed as refused (outbox.js) and are not retried
// until they are denied again by a later push.

export const RETRY_CODES = new Set(['reference_missing']);

export class ReferenceRetry {
  constructor() {
    this.ids = new Set();
  }

  /** A push replication's `denied` event (the server's per-document result, code included). */
  denied(error) {
    if (RETRY_CODES.has(error?.code) && error.id) this.ids.add(error.id);
  }

  get waiting() {
    return this.ids.size;
  }

  /** Push the collected documents once: a one-off replication by `doc_ids`, without
   * checkpoints (a checkpoint per id set would pile up on the server and skip the documents
   * next time). Returns the replication (an event emitter and a promise), or null when
   * nothing waits; the caller attaches its `denied` and `change` handlers. */
  flush(local, remote) {
    const docIds = [...this.ids];
    this.ids.clear();
    if (!docIds.length) return null;
    return local.replicate.to(remote, { doc_ids: docIds, checkpoint: false });
  }
}
