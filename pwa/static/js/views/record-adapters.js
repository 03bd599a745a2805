// Two functions other parts of the follow-up work add beside this page: ICD-10 names
// (`icd10.js`, `icd10Name(code)`) and the clinical weight trend by KBM (`weightTrend` in
// clinical/). The person page asks for them here, so it works whichever lands first: a
// missing one gives null and the page shows the code's own text or leaves the trend out,
// never a guess of ours (the trend is a clinical rule and lives in the evaluator only).

import * as clinical from '../clinical/index.js';

let icd10 = null;

/** Resolves once the ICD-10 list has loaded, or was found missing. */
export const icd10Ready = import('../icd10.js').then((module) => { icd10 = module; }, () => {});

/** The Indonesian name of an ICD-10 code, or null when the list has no such code. */
export function icd10Name(code) {
  return typeof icd10?.icd10Name === 'function' ? icd10.icd10Name(code) ?? null : null;
}

/** `{code: naik|tidak_naik|baru|tidak_ditimbang_bulan_lalu, two_t, …}` or null without the
 * evaluator's trend, or when it cannot classify this weighing. */
export function weightTrend(config, input) {
  const evaluate = clinical.weightTrend;
  if (typeof evaluate !== 'function') return null;
  try {
    return evaluate(config, input);
  } catch {
    return null; // e.g. a weighing dated before the birth date: shown without a trend
  }
}
