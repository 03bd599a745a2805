// Offline unlock: a PBKDF2-SHA-256 verifier (WebCrypto) of the device PIN or of the
// password, kept in IndexedDB. Neither the PIN nor the password is ever stored. A verifier
// only guards against a casual reader of an unlocked tablet; a 6-digit PIN cannot resist an
// attacker holding the device's storage, so after MAX_FAILURES wrong tries the verifier is
// dropped and only an online login with the password opens the app again (docs/pwa.md).

import * as kv from './kv.js';

const ITERATIONS = 310000; // OWASP 2023 figure for PBKDF2-HMAC-SHA256
export const MAX_FAILURES = 5;
export const PIN_PATTERN = /^\d{6,12}$/;
const KEY = 'verifier';

const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(secret, salt, iterations) {
  const material = await crypto.subtle.importKey(
    'raw', new TextEncoder().encode(secret), 'PBKDF2', false, ['deriveBits'],
  );
  return new Uint8Array(await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 256,
  ));
}

/** kind: 'pin' | 'password'. Replaces any previous verifier on this device. */
export async function setSecret(kind, secret) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(secret, salt, ITERATIONS);
  await kv.set(KEY, {
    kind, iterations: ITERATIONS, salt: toBase64(salt), hash: toBase64(hash), failures: 0,
  });
}

/** 'pin' | 'password' | null (no verifier: an online login is needed). */
export async function secretKind() {
  return (await kv.get(KEY))?.kind ?? null;
}

/** 'ok' | 'wrong' | 'locked_out' (too many tries: the verifier is gone). */
export async function check(secret) {
  const verifier = await kv.get(KEY);
  if (!verifier) return 'locked_out';
  const hash = await derive(secret, fromBase64(verifier.salt), verifier.iterations);
  const expected = fromBase64(verifier.hash);
  let diff = hash.length ^ expected.length;
  for (let i = 0; i < hash.length; i += 1) diff |= hash[i] ^ expected[i];
  if (diff === 0) {
    if (verifier.failures) await kv.set(KEY, { ...verifier, failures: 0 });
    return 'ok';
  }
  const failures = verifier.failures + 1;
  if (failures >= MAX_FAILURES) {
    await kv.remove(KEY);
    return 'locked_out';
  }
  await kv.set(KEY, { ...verifier, failures });
  return 'wrong';
}

export async function triesLeft() {
  const verifier = await kv.get(KEY);
  return verifier ? MAX_FAILURES - verifier.failures : 0;
}
