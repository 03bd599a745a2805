// Ids derived from what a document is about; the Python twin, backend/documents/derived_ids.py,
// says why (two tablets registering one person make one visit; a visit makes one encounter).
// Both run the shared vectors in tests/posyandu/derived_ids.json. Name-based UUIDs version 5
// (RFC 9562 §5.5): SHA-1 of the namespace and the name, with the version and variant bits set.

export const VISIT_NAMESPACE = '1a0b654f-5646-5aee-b12a-1043018cd2e2';
export const ENCOUNTER_NAMESPACE = '5eb9f2f2-c915-5293-a6d2-f7e925a3a03a';

function uuidBytes(text) {
  const hex = text.replaceAll('-', '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** The version-5 UUID of `name` in `namespace` (both strings), as Python's uuid.uuid5. */
export async function uuidv5(namespace, name) {
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(uuidBytes(namespace));
  input.set(nameBytes, 16);
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-1', input)).slice(0, 16);
  bytes[6] = 0x50 | (bytes[6] & 0x0f); // version 5
  bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The one `posyandu_visit` of this person at this session. */
export async function posyanduVisitId(sessionId, personId) {
  return `posyandu_visit:${await uuidv5(VISIT_NAMESPACE, `${sessionId}|${personId}`)}`;
}

/** The one encounter a finished Posyandu visit becomes. */
export async function posyanduEncounterId(visitId) {
  return `encounter:${await uuidv5(ENCOUNTER_NAMESPACE, visitId)}`;
}
