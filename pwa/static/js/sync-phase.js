// The sync phase from what the controller knows (sync.js), without words: sync.js needs it
// and must load without the catalogs; sync-state.js puts it into words.

/** 'offline' | 'syncing' | 'idle' | 'error' | 'login' | 'forbidden'.
 * `caughtUp`: every replication finished a full pass in this session AND the screens'
 * in-memory records hold what it wrote; until then the device is not up to date. */
export function syncPhase({ halted = null, online = true, error = null, busy = false, caughtUp = false }) {
  if (halted) return halted;
  if (!online) return 'offline';
  // A fetch that never reached the server has no HTTP status: that is no signal.
  if (error) return error.status ? 'error' : 'offline';
  if (busy || !caughtUp) return 'syncing';
  return 'idle';
}
