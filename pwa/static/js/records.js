// The scoped documents held in memory for instant screens: loaded once from PouchDB
// (allDocs by type prefix) and kept current from its changes feed. Persons, households,
// places and sessions load first so search works at once; encounters, pregnancies, tasks and
// Posyandu visits follow (`whenComplete`). Views read from here and never wait on IndexedDB per tap.
// Desk mode fills the same interface from the API instead (desk-records.js); the `load*`
// and `ensureLocal` calls screens make before rendering or editing cost nothing here.

const CORE_TYPES = ['place', 'household', 'person', 'posyandu_session'];
const HISTORY_TYPES = [
  'encounter', 'pregnancy', 'task', 'posyandu_visit', 'subscription_invite', 'subscription_consent',
];
// Child lists kept per parent: [doc type, field holding the parent id].
const LINKS = {
  person: ['household', 'household'],
  encounter: ['person', 'person'],
  pregnancy: ['person', 'person'],
  task: ['person', 'person'],
  posyandu_visit: ['posyandu_session', 'posyandu_session'],
  subscription_invite: ['household', 'household'],
  subscription_consent: ['household', 'household'],
};

export class Records extends EventTarget {
  constructor(local) {
    super();
    this.local = local;
    this.docs = new Map();
    this.byType = new Map();
    this.children = new Map(); // `${type}:${parentId}` -> Set of ids
    this.feed = null;
    this.complete = null;
    this.seq = 0;               // the local sequence the in-memory documents reflect
    this.progress = new EventTarget();
  }

  async load() {
    const { update_seq: since } = await this.local.info();
    await Promise.all(CORE_TYPES.map((type) => this.loadType(type)));
    this.complete = Promise.all(HISTORY_TYPES.map((type) => this.loadType(type)))
      .then(() => this.follow(since));
    return this;
  }

  whenComplete() {
    return this.complete;
  }

  async loadType(type) {
    const result = await this.local.allDocs({
      include_docs: true, startkey: `${type}:`, endkey: `${type}:\uffff`,
    });
    for (const row of result.rows) this.put(row.doc);
  }

  follow(since) {
    // Starting at the sequence read before loading, a change made meanwhile is applied twice
    // at worst (idempotent), never missed.
    this.seq = since;
    this.feed = this.local.changes({ since, live: true, include_docs: true })
      .on('change', (change) => {
        this.apply(change.doc);
        this.seq = change.seq;
        this.progress.dispatchEvent(new Event('applied'));
      });
  }

  /** Resolves once the in-memory documents hold everything in the local database: a first
   * sync writes thousands of documents faster than the changes feed applies them, and the
   * device is not "up to date" while the screens still miss them (sync.js `settle`). */
  async settled() {
    await this.complete;
    for (;;) {
      const ahead = await this.local.changes({ since: this.seq, limit: 1 });
      if (!ahead.results.length) return;
      // Woken by the next applied change, or re-checked soon in case none comes.
      await new Promise((resolve) => {
        const done = () => { clearTimeout(timer); this.progress.removeEventListener('applied', done); resolve(); };
        const timer = setTimeout(done, 250);
        this.progress.addEventListener('applied', done);
      });
    }
  }

  stop() {
    this.feed?.cancel();
  }

  apply(doc) {
    if (doc._id.startsWith('_')) return;
    if (doc._deleted) {
      this.forget(doc._id);
      return;
    }
    this.put(doc);
    this.dispatchEvent(new CustomEvent('change', { detail: doc }));
  }

  put(doc) {
    this.unlink(doc._id);
    this.docs.set(doc._id, doc);
    if (!this.byType.has(doc.type)) this.byType.set(doc.type, new Map());
    this.byType.get(doc.type).set(doc._id, doc);
    const link = LINKS[doc.type];
    if (link && doc[link[1]]) {
      const key = `${doc.type}:${doc[link[1]]}`;
      if (!this.children.has(key)) this.children.set(key, new Set());
      this.children.get(key).add(doc._id);
    }
  }

  unlink(id) {
    const old = this.docs.get(id);
    if (!old) return;
    this.byType.get(old.type)?.delete(id);
    const link = LINKS[old.type];
    if (link && old[link[1]]) this.children.get(`${old.type}:${old[link[1]]}`)?.delete(id);
  }

  /** The document left this device (purged scope exit): drop it and tell the views. */
  forget(id) {
    const old = this.docs.get(id);
    this.unlink(id);
    this.docs.delete(id);
    if (old) this.dispatchEvent(new CustomEvent('change', { detail: { _id: id, _deleted: true } }));
  }

  get(id) {
    return this.docs.get(id) ?? null;
  }

  /** The documents of `type`; of persons, the living only: a duplicate the Puskesmas merged
   * into another person (docs/review.md) stays held so its page can follow the link, but no
   * list, count, due list or search shows it. */
  all(type) {
    const docs = [...(this.byType.get(type)?.values() ?? [])];
    return type === 'person' ? docs.filter((doc) => !doc.merged_into) : docs;
  }

  /** The person `id` ends at when it was merged (itself when it was not); null when that
   * person is not here (yet). */
  survivorOf(id) {
    let doc = this.get(id);
    for (let hops = 0; doc?.merged_into && hops < 8; hops += 1) doc = this.get(doc.merged_into);
    return doc && !doc.merged_into ? doc : null;
  }

  childrenOf(type, parentId) {
    return [...(this.children.get(`${type}:${parentId}`) ?? [])].map((id) => this.docs.get(id));
  }

  members(householdId) {
    return this.childrenOf('person', householdId).filter((person) => !person.merged_into);
  }

  /** Encounters and pregnancies of a person: the `history` the clinical evaluator takes. */
  history(personId) {
    return [...this.childrenOf('encounter', personId), ...this.childrenOf('pregnancy', personId)];
  }

  encounters(personId) {
    return this.childrenOf('encounter', personId)
      .sort((a, b) => b.date.localeCompare(a.date) || b.created_at.localeCompare(a.created_at));
  }

  /** Everything is on the device once the history types are loaded. */
  loadPerson() {
    return this.whenComplete();
  }

  loadHousehold() {
    return this.whenComplete();
  }

  loadTask() {
    return this.whenComplete();
  }

  /** Every document held here is in the local PouchDB already. */
  ensureLocal() {
    return Promise.resolve();
  }

  /** Households by head's name or the leading digits of the no. KK. */
  async findHouseholds(query) {
    const text = query.trim().toLowerCase();
    if (!text) return [];
    return this.all('household').filter((hh) => hh.head_name.toLowerCase().includes(text)
      || (hh.no_kk ?? '').startsWith(text)).slice(0, 20);
  }

  places(kind) {
    return this.all('place').filter((place) => place.kind === kind)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
