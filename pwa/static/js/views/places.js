// Names of places (desa, Posyandu) from the replicated reference documents.

import { app } from '../app.js';
import { t } from '../i18n.js';

/** Names of desa by code, null for one whose place document has not arrived yet. */
export function knownDesaNames(codes) {
  const names = new Map(app.records.places('desa').map((place) => [place.code, place.name]));
  return codes.map((code) => names.get(code) ?? null);
}

/** Names of desa by code; a desa not on the device yet reads as a neutral word, never as
 * its code. */
export function desaNames(codes) {
  return knownDesaNames(codes).map((name) => name ?? t('places.desa_unknown'));
}

/** [code, name] of the desa a new household may belong to: the user's area. */
export function desaOptions() {
  const names = desaNames(app.profile.scopes);
  return app.profile.scopes.map((code, i) => [code, names[i]]);
}

export function posyanduOptions() {
  return app.records.places('posyandu')
    .filter((place) => app.profile.scopes.includes(place.desa))
    .map((place) => [place._id, place.name]);
}

export function placeName(id) {
  return app.records.get(id)?.name ?? '';
}
