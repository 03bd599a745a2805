// What the user reads when the server refused a document: one sentence per refusal code
// (backend/sync/prepare.py REFUSAL_CODES; the outbox keeps it as `entry.code`). A code is
// never shown as text; an unknown or missing code (an entry saved by an older version, a code
// newer than this app) gets a neutral sentence that still says what to do.

import { t, tMaybe } from './i18n.js';

export const REFUSAL_KEY_PREFIX = 'refused.code.';

/** The catalog key for a refusal code (exported for the test that ties codes to sentences). */
export function refusalKey(code) {
  return `${REFUSAL_KEY_PREFIX}${code}`;
}

/** The sentence for a refused outbox entry. */
export function refusalText(entry) {
  return (typeof entry?.code === 'string' && tMaybe(refusalKey(entry.code))) || t('refused.unknown');
}
