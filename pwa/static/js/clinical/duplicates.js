// Are two person records one person? A Fellegi–Sunter style score from
// config/ilp/duplicates.json (Python twin: backend/clinical/duplicates.py, which explains the
// evidence; docs/review.md "Duplicates"). The tablet uses it offline at registration.

import { nameKey } from '../search.js';

/** Half up to 3 decimals, as the Python twin's floor(value * 1000 + 0.5) / 1000. */
function round3(value) {
  return Math.floor(value * 1000 + 0.5) / 1000;
}

/** Winkler's (1990) string comparator: Jaro similarity boosted by a common prefix. */
export function jaroWinkler(spec, s, t) {
  if (s === t) return 1.0;
  if (!s || !t) return 0.0;
  const window = Math.max(Math.floor(Math.max(s.length, t.length) / 2) - 1, 0);
  const taken = new Array(t.length).fill(false);
  const matchedS = [];
  for (let i = 0; i < s.length; i += 1) {
    for (let j = Math.max(0, i - window); j < Math.min(t.length, i + window + 1); j += 1) {
      if (!taken[j] && t[j] === s[i]) {
        taken[j] = true;
        matchedS.push(s[i]);
        break;
      }
    }
  }
  const m = matchedS.length;
  if (m === 0) return 0.0;
  const matchedT = [...t].filter((_, j) => taken[j]);
  const transpositions = matchedS.filter((char, k) => char !== matchedT[k]).length / 2;
  const jaro = (m / s.length + m / t.length + (m - transpositions) / m) / 3;
  let prefix = 0;
  const max = spec.winkler_prefix_max;
  for (let k = 0; k < Math.min(max, s.length, t.length); k += 1) {
    if (s[k] !== t[k]) break;
    prefix += 1;
  }
  return jaro + prefix * spec.winkler_prefix_scale * (1 - jaro);
}

function mongeElkan(spec, words, others) {
  let total = 0.0;
  for (const word of words) {
    total += Math.max(...others.map((other) => jaroWinkler(spec, word, other)));
  }
  return total / words.length;
}

/** 1.0 for keys equal but for spaces; else word by word in any order, from the weaker side. */
export function nameSimilarity(spec, keyA, keyB) {
  if (keyA.replaceAll(' ', '') === keyB.replaceAll(' ', '')) return 1.0;
  const wordsA = keyA.split(' ');
  const wordsB = keyB.split(' ');
  return Math.min(mongeElkan(spec, wordsA, wordsB), mongeElkan(spec, wordsB, wordsA));
}

function nameEvidence(spec, nameA, nameB) {
  if (!nameA || !nameB) return [];
  const keyA = nameKey(nameA);
  const keyB = nameKey(nameB);
  if (!keyA || !keyB) return [];
  if (keyA === keyB) return ['nama_sama'];
  return nameSimilarity(spec, keyA, keyB) >= spec.similar ? ['nama_mirip'] : [];
}

function days(iso) {
  return Date.parse(`${iso}T00:00:00Z`) / 86400000;
}

function birthEvidence(spec, a, b) {
  const bornA = a.birth_date;
  const bornB = b.birth_date;
  if (!bornA || !bornB) return [];
  if (bornA === bornB) return ['lahir_sama'];
  const apart = Math.abs(days(bornA) - days(bornB));
  const slippedYear = bornA.slice(4) === bornB.slice(4)
    && Math.abs(Number(bornA.slice(0, 4)) - Number(bornB.slice(0, 4))) <= spec.year_slip;
  if (apart <= spec.tolerance_days || slippedYear) return ['lahir_dekat'];
  const estimated = a.birth_date_estimated || b.birth_date_estimated;
  if (estimated && apart <= spec.estimated_tolerance_days) return []; // an estimate says little
  return ['lahir_jauh'];
}

function evidence(spec, a, b) {
  const found = new Set();
  if (a.nik && b.nik) found.add(a.nik === b.nik ? 'nik_sama' : 'nik_beda');
  const sameKk = a.no_kk && a.no_kk === b.no_kk;
  if (sameKk || (a.household && a.household === b.household)) found.add('kk_sama');
  nameEvidence(spec.name, a.name, b.name).forEach((code) => found.add(code));
  birthEvidence(spec.birth_date, a, b).forEach((code) => found.add(code));
  if (a.mother && b.mother) {
    const alike = nameSimilarity(spec.name, nameKey(a.mother), nameKey(b.mother));
    found.add(alike >= spec.name.similar ? 'ibu_sama' : 'ibu_beda');
  }
  if (a.sex && b.sex && a.sex !== b.sex) found.add('jenis_kelamin_beda');
  if (a.desa && a.desa === b.desa) found.add('desa_sama');
  return found;
}

/** `{score, reasons: [codes in config order]}` for two person summaries
 * `{name, sex, birth_date, birth_date_estimated, nik, no_kk, desa, mother (her name), household}`. */
export function compareDuplicates(config, a, b) {
  const spec = config.duplicates;
  const found = evidence(spec, a, b);
  const chosen = spec.evidence.filter((item) => found.has(item.code));
  let total = 0;
  for (const item of chosen) total += item.weight;
  return { score: round3(Math.min(1.0, Math.max(0.0, total))), reasons: chosen.map((item) => item.code) };
}

/** The persons (summaries with an `id`) a draft registration may duplicate, best first:
 * `[{id, score, reasons}]`, at most `threshold.hint_max`, score >= `threshold.hint`. */
export function duplicateCandidates(config, draft, persons) {
  const limits = config.duplicates.threshold;
  const ranked = [];
  for (const person of persons) {
    const result = compareDuplicates(config, draft, person);
    if (result.score >= limits.hint) ranked.push({ id: person.id, ...result });
  }
  ranked.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return ranked.slice(0, limits.hint_max);
}
