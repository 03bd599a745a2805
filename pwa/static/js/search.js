// Offline search of persons by name, NIK or no. KK: an in-memory index over the records,
// rebuilt at start and patched from the changes feed. A scan of 5,000 short keys takes a
// few milliseconds, well inside the 100 ms budget, so no trie or n-gram index is needed.

// Ejaan lama -> EYD on the key only, as backend/search.py does (Djoko finds Joko).
const SPELLING = [['oe', 'u'], ['dj', 'j'], ['tj', 'c'], ['nj', 'ny'], ['sj', 'sy'], ['ch', 'kh']];

export function nameKey(name) {
  // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
  let text = name.normalize('NFKD').replace(/[^\x00-\x7f]/g, '').toLowerCase();
  text = text.replace(/[^a-z0-9 ]+/g, '').replace(/\s+/g, ' ').trim();
  for (const [old, modern] of SPELLING) text = text.replaceAll(old, modern);
  return text.slice(0, 120);
}

export class PersonIndex {
  constructor(records) {
    this.records = records;
    this.entries = new Map();
    for (const person of records.all('person')) this.add(person);
    records.addEventListener('change', (event) => this.changed(event.detail));
  }

  add(person) {
    if (person.merged_into) {   // merged into another person: found as that one only
      this.entries.delete(person._id);
      return;
    }
    const household = this.records.get(person.household);
    this.entries.set(person._id, {
      id: person._id,
      key: ` ${nameKey(person.name)}`,
      nik: person.nik ?? '',
      kk: household?.no_kk ?? '',
    });
  }

  changed(doc) {
    if (doc._deleted) {
      this.entries.delete(doc._id);
    } else if (doc.type === 'person') {
      this.add(doc);
    } else if (doc.type === 'household') {
      // A corrected no. KK must find every member.
      this.records.members(doc._id).forEach((member) => this.add(member));
    }
  }

  /** Persons matching every word of `query` (at a word start ranks first), or NIK / KK by
   * their leading digits. Returns person documents, best first. */
  search(query, limit = 50) {
    const text = query.trim();
    if (!text) return [];
    const digits = /^\d+$/.test(text.replace(/\s/g, '')) ? text.replace(/\s/g, '') : null;
    const words = digits ? [] : nameKey(text).split(' ').filter(Boolean);
    if (!digits && !words.length) return [];
    const found = [];
    for (const entry of this.entries.values()) {
      let rank;
      if (digits) {
        if (digits.length < 4) continue; // a few digits match half the village
        rank = entry.nik.startsWith(digits) || entry.kk.startsWith(digits) ? 0 : -1;
      } else {
        rank = 0;
        for (const word of words) {
          const at = entry.key.indexOf(word);
          if (at < 0) {
            rank = -1;
            break;
          }
          if (entry.key[at - 1] !== ' ') rank += 1;
        }
      }
      if (rank >= 0) found.push([rank, entry.key, entry.id]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    return found.slice(0, limit).map(([, , id]) => this.records.get(id));
  }
}
