// Desk mode: Puskesmas roles work online against the REST API and never replicate the
// kecamatan (docs/pwa.md "Desk mode"). DeskRecords keeps the synchronous interface the views
// read (get/all/childrenOf/history/places, from Records) but is filled on demand: a screen
// awaits loadPerson/loadHousehold/loadTask before it renders. Writes still go through the
// device's PouchDB and a push-only replication, the one write path tablets use; a server
// document is copied into PouchDB with its revision history only when the user edits it.

import * as kv from './kv.js';
import { Records } from './records.js';
import { apiFetch } from './session.js';

// Roles whose scope is the whole Puskesmas (backend/auth/roles.py `puskesmas_wide`), plus
// `fktp`: a network clinic works at a desk with a connection and reports into PWS; it
// has no Posyandu or home visits to capture offline.
const DESK_ROLES = ['klaster', 'kapus', 'admin', 'dinkes', 'fktp'];
const PLACES_KEY = 'desk:places';
const SEARCH_LIMIT = 50;

export function isDeskRole(role) {
  return DESK_ROLES.includes(role);
}

/** "2-abc" -> 2: revisions of one document compare by generation. */
function generation(rev) {
  return Number.parseInt(rev ?? '0', 10);
}

/** A place row of /api/v1/places as the reference document views expect. */
function placeDoc(row) {
  const { id, parent_id: parent, schedule_day: scheduleDay, ...rest } = row;
  return { _id: id, type: 'place', ...rest, parent, schedule_day: scheduleDay };
}

export class DeskRecords extends Records {
  constructor(local) {
    super(local);
    this.revisions = new Map(); // id -> the server's _revisions of the copy held here
  }

  /** The device's own writes (few: a desk keeps nothing else) and the places. */
  async load() {
    const places = this.loadPlaces();
    await super.load();
    await Promise.all([this.complete, places]);
    return this;
  }

  /** Places from the server, cached for a start without network (reference data only:
   * names of desa and Posyandu, never a person). */
  async loadPlaces() {
    let rows;
    try {
      rows = await apiFetch('/places');
      await kv.set(PLACES_KEY, rows);
    } catch {
      rows = (await kv.get(PLACES_KEY)) ?? [];
    }
    rows.forEach((row) => this.put(placeDoc(row)));
  }

  /** Takes a server document unless the device holds a newer revision (its own edit,
   * not yet pushed). */
  absorb(doc) {
    if (!doc) return;
    const { _revisions: revisions, ...body } = doc;
    const held = this.docs.get(body._id);
    if (held && generation(held._rev) > generation(body._rev)) return;
    if (revisions) this.revisions.set(body._id, revisions);
    this.put(body);
  }

  /** Drops what the server no longer lists as a child (deleted, moved away), keeping the
   * device's own unsent documents. */
  async prune(type, parentId, keep) {
    for (const old of this.childrenOf(type, parentId)) {
      if (keep.has(old._id)) continue;
      if (await this.local.get(old._id).then(() => true, () => false)) continue;
      this.unlink(old._id);
      this.docs.delete(old._id);
    }
  }

  async loadPerson(id) {
    const record = await apiFetch(`/records/${encodeURIComponent(id)}`);
    const { person, household, members } = record;
    [person, household, ...members].forEach((doc) => this.absorb(doc));
    for (const [type, key] of [['encounter', 'encounters'], ['pregnancy', 'pregnancies'], ['task', 'tasks']]) {
      record[key].forEach((doc) => this.absorb(doc));
      await this.prune(type, id, new Set(record[key].map((doc) => doc._id)));
    }
  }

  async loadHousehold(id) {
    const record = await apiFetch(`/records/${encodeURIComponent(id)}`);
    [record.household, ...record.members].forEach((doc) => this.absorb(doc));
    await this.prune('person', id, new Set(record.members.map((doc) => doc._id)));
  }

  async loadTask(id) {
    const task = await apiFetch(`/tasks/${encodeURIComponent(id)}`);
    this.absorb(task);
    if (task.person) await this.loadPerson(task.person);
  }

  /** Before an edit: the device needs the document with its history, so the new revision
   * is a child of the server's and replicates as an ordinary edit, not a conflict. A copy
   * held from an earlier edit is brought up to the server's revision first. */
  async ensureLocal(id) {
    const held = await this.local.get(id).catch(() => null);
    const shown = this.docs.get(id);
    if (held && (!shown || generation(held._rev) >= generation(shown._rev))) return;
    let revisions = this.revisions.get(id);
    let doc = shown;
    if (!revisions || !doc) {
      const fetched = await apiFetch(`/sync/siklus/${encodeURIComponent(id)}?revs=true`);
      ({ _revisions: revisions, ...doc } = fetched);
      this.absorb(fetched);
    }
    await this.local.bulkDocs([{ ...doc, _revisions: revisions }], { new_edits: false });
  }

  /** Households by head's name or no. KK, for choosing one when registering a person. */
  async findHouseholds(query) {
    const text = query.trim();
    if (!text) return [];
    const param = /^\d{16}$/.test(text) ? { no_kk: text } : { q: text };
    const page = await apiFetch(`/households?${new URLSearchParams({ ...param, page_size: 20 })}`);
    return page.items.map(({ id, posyandu_id: posyandu, ...row }) => ({ _id: id, type: 'household', ...row, posyandu }));
  }
}

/** A search row of /api/v1/persons as the person lines of the views expect (never stored:
 * it is not the whole document). */
function personRow({ id, household_id: household, posyandu_id: posyandu, ...row }) {
  return { _id: id, type: 'person', household, posyandu, ...row };
}

// A whole identifier by its length: NIK and no. KK have 16 digits, a JKN card number 13.
const IDENTIFIERS = { 16: ['nik', 'no_kk'], 13: ['jkn'] };

/** Person search across the caller's whole area, on the server: name, or a full NIK /
 * no. KK (16 digits) or JKN number (13, the loket's card). */
export class DeskSearch {
  async search(query, limit = SEARCH_LIMIT) {
    const text = query.trim();
    if (!text) return [];
    const digits = text.replace(/\s/g, '');
    const asks = /^\d+$/.test(digits)
      ? (IDENTIFIERS[digits.length] ?? []).map((name) => ({ [name]: digits }))
      : [{ q: text }];
    const pages = await Promise.all(asks.map((ask) => apiFetch(
      `/persons?${new URLSearchParams({ ...ask, page_size: limit })}`)));
    const found = new Map(pages.flatMap((page) => page.items).map((row) => [row.id, personRow(row)]));
    return [...found.values()].slice(0, limit);
  }
}
