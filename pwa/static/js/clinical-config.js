// Loads the clinical knowledge for the evaluator in js/clinical/: config/ilp served as
// /ilp/<version>/ and the WHO growth tables shipped with the shell. Both are precached by the
// service worker, so this works with no network; it is fetched once per app start.

import { fetchConfig } from './clinical/index.js';

let loading = null;

export function clinicalConfig() {
  loading ??= fetchConfig(document.documentElement.dataset.ilp,
    new URL('../data/who/', import.meta.url).href).catch((error) => {
    // Offline before the service worker cached it (right after a first login): forget the
    // failure, so the next screen that needs the config asks again instead of failing forever.
    loading = null;
    throw error;
  });
  return loading;
}
