// Indeks Keluarga Sehat (PIS-PK) from a household's 12 indicators
// (Python twin: backend/clinical/pispk.py).

import * as bands from './bands.js';
import { ClinicalInputError } from './errors.js';
import { roundHalfUp } from './growth.js';

export function familyHealthIndex(config, { pis_pk }) {
  const spec = config.pispk;
  const codes = spec.indicators.map((indicator) => indicator.code);
  if (pis_pk === null || typeof pis_pk !== 'object' || Array.isArray(pis_pk)) {
    throw new ClinicalInputError('pis_pk', 'harus berupa objek indikator -> Y/T/N');
  }
  for (const code of Object.keys(pis_pk)) {
    if (!codes.includes(code)) throw new ClinicalInputError(`pis_pk.${code}`, 'indikator tidak dikenal');
  }
  for (const code of codes) {
    if (!['Y', 'T', 'N'].includes(pis_pk[code])) {
      throw new ClinicalInputError(`pis_pk.${code}`, 'harus Y, T atau N');
    }
  }
  const counts = Object.fromEntries(['Y', 'T', 'N']
    .map((value) => [value, codes.filter((code) => pis_pk[code] === value).length]));
  const applicable = codes.length - counts.N;
  if (applicable === 0) return { iks: null, category: null, label: null, counts };
  const ratio = counts.Y / applicable;
  const band = bands.pick(spec.bands, ratio);
  return { iks: roundHalfUp(ratio, spec.decimals), category: band.code, label: band.label, counts };
}
