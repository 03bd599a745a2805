// A place named with its kind: "Posyandu Melati", never "Posyandu Posyandu Melati". Places
// are often registered with the kind in their name ("Posyandu Melati", "Pustu Sukamanah"),
// and labels that prefix the kind again read as a stutter.

function words(text) {
  return text.trim().toLocaleLowerCase('id').split(/\s+/);
}

/** The kind word before the name, unless the name already starts with it. */
export function placeLabel(kind, name) {
  const place = (name ?? '').trim();
  if (!place) return kind ?? '';
  if (!kind) return place;
  const prefix = words(kind);
  const start = words(place).slice(0, prefix.length);
  return prefix.every((word, i) => word === start[i]) ? place : `${kind} ${place}`;
}

/** True when a label says the same word twice in a row ("Posyandu Posyandu"). */
export function doublesWord(label) {
  const list = words(label).map((word) => word.replace(/[^\p{L}\p{N}]/gu, ''));
  return list.some((word, i) => word && word === list[i + 1]);
}
