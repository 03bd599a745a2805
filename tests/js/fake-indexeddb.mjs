// The few IndexedDB calls kv.js makes (open, one object store, get/put/delete/clear), kept in
// a Map, so modules that keep device state can be tested under Node.

function request(result) {
  return { result };
}

export function installFakeIndexedDB() {
  const data = new Map();
  const store = {
    get: (key) => request(structuredClone(data.get(key))),
    put: (value, key) => request(void data.set(key, structuredClone(value))),
    delete: (key) => request(void data.delete(key)),
    clear: () => request(void data.clear()),
  };
  const db = {
    transaction() {
      const tx = { objectStore: () => store };
      setTimeout(() => tx.oncomplete());  // after the caller has attached its handlers
      return tx;
    },
  };
  globalThis.indexedDB = {
    open() {
      const opening = { result: db };
      setTimeout(() => opening.onsuccess());
      return opening;
    },
  };
  return data;
}
