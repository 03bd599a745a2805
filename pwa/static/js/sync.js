// Live replication with the server (stock PouchDB against /sync/siklus) and the state the
// indicator shows: offline / menyinkronkan / terbaru / N menunggu / M ditolak.
// Pull and push run as two live replications rather than one db.sync(), because only the
// single replications report *why* they paused (db.sync() drops the error), and the reason
// decides between "offline, retrying" and "log in again".

/* global PouchDB */

import * as kv from './kv.js';
import { ReferenceRetry } from './repush.js';
import { syncFetch } from './session.js';
import { syncPhase } from './sync-phase.js';

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 120000;
const EXITS_EVERY_MS = 60000;
const DIRECTIONS = ['pull', 'push'];

/** PouchDB's back_off_function: doubling from 2 s to 2 min, with jitter so a room full of
 * tablets regaining signal together does not hit the server in lockstep. */
export function backOff(previousMs) {
  const next = previousMs ? Math.min(previousMs * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
  return Math.min(MAX_RETRY_MS, Math.round(next * (0.8 + Math.random() * 0.4)));
}

export class SyncController extends EventTarget {
  /** onCaughtUp: runs after each full catch-up (purging scope exits lives there).
   * pushOnly: desk mode (desk-records.js) sends what the device wrote and pulls nothing.
   * replicates: false for a role the server never lets replicate (dinkes, fktp: /auth/me
   * `replicates`): no request is made, the state says so from the start.
   * settle: resolves once the screens' in-memory records hold what the pull wrote: the
   * replication pausing is not yet "up to date" while Records still applies thousands of
   * pulled documents (the chip said "Terbaru" while Tugas still counted 0). */
  constructor({ local, outbox, username, onCaughtUp, settle = async () => {}, pushOnly = false, replicates = true }) {
    super();
    this.local = local;
    this.replicates = replicates;
    this.directions = pushOnly ? ['push'] : DIRECTIONS;
    this.outbox = outbox;
    this.key = `sync:${username}`;
    this.onCaughtUp = onCaughtUp;
    this.settle = settle;
    this.replications = {};
    this.busy = { pull: false, push: false };
    this.errors = { pull: null, push: null };
    this.settled = {};       // direction -> paused without error since run(): one full pass
    this.halted = null;      // 'login' | 'forbidden': retrying cannot help
    this.lastSync = null;
    this.caughtUpOnce = false;
    this.lastExitsPoll = 0;
    this.retry = new ReferenceRetry();
    this.restart = this.restart.bind(this);
    this.changed = this.changed.bind(this);
    outbox.addEventListener('change', this.changed);
  }

  async start() {
    this.lastSync = (await kv.get(this.key))?.lastSync ?? null;
    window.addEventListener('online', this.restart);
    window.addEventListener('offline', this.changed);
    this.run();
  }

  run() {
    // Checked here, not only at start: restart() (a re-login, a screen's retry, coming back
    // online) runs this too, and a role the server never lets replicate must make no request.
    if (!this.replicates) {
      this.halt('forbidden');
      return;
    }
    this.halted = null;
    const remote = new PouchDB(`${window.location.origin}/sync/siklus`,
      { skip_setup: true, fetch: syncFetch });
    this.remote = remote;
    const options = { live: true, retry: true, batch_size: 200, back_off_function: backOff };
    const start = {
      pull: () => PouchDB.replicate(remote, this.local, options),
      push: () => PouchDB.replicate(this.local, remote, options),
    };
    this.replications = Object.fromEntries(this.directions.map((direction) => [direction, start[direction]()]));
    for (const direction of this.directions) {
      const replication = this.replications[direction];
      // A cancelled replication may still report; only the current one sets the state.
      const current = (handler) => (arg) => this.replications[direction] === replication && handler(arg);
      replication.on('active', current(() => this.active(direction)));
      replication.on('paused', current((error) => this.paused(direction, error)));
      replication.on('error', current((error) => this.paused(direction, error)));
      replication.on('denied', (error) => this.outbox.denied(error));
      if (direction === 'push') {
        replication.on('denied', (error) => this.retry.denied(error));
        replication.on('change', (info) => this.outbox.pushed(info.docs));
      }
    }
    this.changed();
  }

  stop() {
    DIRECTIONS.forEach((direction) => this.replications[direction]?.cancel());
    this.replications = {};
    this.busy = { pull: false, push: false };
    this.errors = { pull: null, push: null };
    this.settled = {};
  }

  /** Retrying cannot help: the session ended ('login') or the role never replicates. */
  halt(reason) {
    this.stop();
    this.halted = reason;
    this.changed();
  }

  /** Reconnect now instead of waiting out the back-off (signal came back, user asked);
   * what left the user's area while away is checked at the next catch-up too. */
  restart() {
    this.stop();
    this.lastExitsPoll = 0;
    this.run();
  }

  dispose() {
    this.stop();
    window.removeEventListener('online', this.restart);
    window.removeEventListener('offline', this.changed);
    this.outbox.removeEventListener('change', this.changed);
  }

  active(direction) {
    this.busy[direction] = true;
    this.errors[direction] = null;
    this.changed();
  }

  paused(direction, error) {
    this.busy[direction] = false;
    this.errors[direction] = error ?? null;
    if (error?.status === 401 || error?.status === 403) {
      this.halt(error.status === 401 ? 'login' : 'forbidden');
      return;
    }
    if (!error) this.settled[direction] = true;
    if (!error && direction === 'push' && this.retry.waiting) this.repush();
    // Caught up only when every replication has finished a pass: an empty push pauses at
    // once, long before the first pull of a large area has even become active.
    if (!error && this.passed()) this.caughtUp();
    this.changed();
  }

  /** Every replication has finished a pass since run() and is neither busy nor failing. */
  passed() {
    return this.directions.every((d) => this.settled[d] && !this.busy[d] && !this.errors[d]);
  }

  /** The push caught up: push once more what was refused for a reference that had not
   * arrived yet (repush.js); refused again, it stays in the outbox's refused list. */
  repush() {
    const replication = this.retry.flush(this.local, this.remote);
    replication.on('denied', (error) => this.outbox.denied(error));
    replication.on('change', (info) => this.outbox.pushed(info.docs));
    replication.catch((error) => console.warn('repush:', error));
  }

  async caughtUp() {
    await this.settle();
    // A replication that became active meanwhile has more to bring: its pause comes back here.
    if (!this.passed()) return;
    this.caughtUpOnce = true;
    this.lastSync = new Date().toISOString();
    this.changed();
    await kv.set(this.key, { lastSync: this.lastSync });
    if (Date.now() - this.lastExitsPoll > EXITS_EVERY_MS) {
      this.lastExitsPoll = Date.now();
      await this.onCaughtUp().catch((error) => console.warn('scope exits:', error));
    }
    this.changed();
  }

  /** 'offline' | 'syncing' | 'idle' | 'error' | 'login' | 'forbidden' */
  get phase() {
    return syncPhase({
      halted: this.halted, online: navigator.onLine, error: this.errors.pull ?? this.errors.push,
      busy: this.busy.pull || this.busy.push, caughtUp: this.caughtUpOnce,
    });
  }

  get state() {
    return {
      phase: this.phase, pending: this.outbox.pendingCount, refused: this.outbox.refusedCount,
      lastSync: this.lastSync,
    };
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }
}
