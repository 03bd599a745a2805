// Names of places (desa, Posyandu) from the replicated reference documents.

import { app } from '../app.js';

export function desaNames(codes) {
  const names = new Map(app.records.places('desa').map((place) => [place.code, place.name]));
  return codes.map((code) => names.get(code) ?? code);
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
