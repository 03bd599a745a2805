// Clinical knowledge evaluator for the PWA (offline) and Node: pure functions of
// (config, input). Python twin: backend/clinical/. Rules: config/ilp; shared vectors in
// tests/vectors keep both evaluators identical. See docs/clinical-rules.md.

export {
  classifyBmi, classifyBp, classifyFever, classifyGlucose, classifyHb, classifyMuac, classifyWaist,
} from './classifiers.js';
export { assembleConfig, assembleWho, fetchConfig } from './config.js';
export { dueList } from './due.js';
export { ClinicalInputError } from './errors.js';
export { growthZscores } from './growth.js';
export { weightTrend } from './growth-trend.js';
export { askedItems, scoreInstrument } from './instruments.js';
export { kpspForm } from './kpsp.js';
export { lifeStage } from './lifestage.js';
export { pastDoses } from './past_doses.js';
export { familyHealthIndex } from './pispk.js';
export { pregnancyDating } from './pregnancy.js';
export { entryWarnings, qualityFlags } from './quality.js';
export { route } from './routing.js';
export { encounterFindings, followUps } from './findings.js';
