// Device-local key/value storage in IndexedDB (`siklus-device`): the unlock verifier, the
// user profile, the CSRF token, the outbox and sync bookmarks. Records live in PouchDB;
// drafts in localStorage (drafts.js).

const DB_NAME = 'siklus-device';
const STORE = 'kv';
let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

// Resolves with the request's result once its transaction has committed.
async function run(mode, operation) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = operation(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const get = (key) => run('readonly', (store) => store.get(key));
export const set = (key, value) => run('readwrite', (store) => store.put(value, key));
export const remove = (key) => run('readwrite', (store) => store.delete(key));
export const clear = () => run('readwrite', (store) => store.clear());
