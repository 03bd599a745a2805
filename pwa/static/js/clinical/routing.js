// The route proposed at registration: which cluster serves the person today and the queue
// priority (Python twin: backend/clinical/routing.py). Rules: config/ilp/routing.json; the
// life stage and the hamil / nifas flags come from the life stage evaluator, never derived here.

import { ClinicalInputError } from './errors.js';
import { scoreInstrument } from './instruments.js';
import { lifeStage } from './lifestage.js';

const ARRIVAL_FLAGS = ['emergency', 'disability'];

// {emergency, disability, symptoms} with defaults false / [] for what is left out; anything
// else, or a symptom code routing.json does not list, is an input error.
export function checkedArrival(config, arrival) {
  const given = arrival ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new ClinicalInputError('arrival', 'harus berupa objek');
  }
  for (const key of Object.keys(given)) {
    if (![...ARRIVAL_FLAGS, 'symptoms'].includes(key)) {
      throw new ClinicalInputError(`arrival.${key}`, 'isian tidak dikenal');
    }
  }
  const checked = {};
  for (const key of ARRIVAL_FLAGS) {
    const value = given[key] ?? false;
    if (typeof value !== 'boolean') throw new ClinicalInputError(`arrival.${key}`, 'harus true atau false');
    checked[key] = value;
  }
  const symptoms = given.symptoms ?? [];
  if (!Array.isArray(symptoms)) {
    throw new ClinicalInputError('arrival.symptoms', 'harus berupa daftar kode gejala');
  }
  const known = new Set(config.routing.symptoms.map((symptom) => symptom.code));
  symptoms.forEach((code, i) => {
    if (!known.has(code)) throw new ClinicalInputError(`arrival.symptoms[${i}]`, 'kode gejala tidak dikenal');
  });
  checked.symptoms = [...new Set(symptoms)];
  return checked;
}

// The reported symptoms as yes answers to the instrument's items, every other item no.
function instrumentAnswers(config, instrument, symptoms) {
  const spec = config.instruments.instruments[instrument];
  const yes = new Set(config.routing.symptoms
    .filter((symptom) => symptoms.includes(symptom.code) && instrument in symptom.items)
    .map((symptom) => symptom.items[instrument]));
  const items = ['main', 'additional', 'modifiers', 'items']
    .flatMap((group) => spec[group] ?? []).filter((item) => !('derive' in item))
    .map((item) => item.id);
  return Object.fromEntries(items.map((item) => [item, yes.has(item)]));
}

// Every condition of `when` holds (a rule names one or more).
function matches(config, when, stage, arrival) {
  const tests = {
    arrival: (name) => arrival[name],
    flag: (flag) => stage.flags.includes(flag),
    stages: (codes) => codes.includes(stage.code),
    symptoms_all: (codes) => codes.every((code) => arrival.symptoms.includes(code)),
    instrument: (name) => scoreInstrument(config, {
      instrument: name, answers: instrumentAnswers(config, name, arrival.symptoms),
    }).refer,
  };
  return Object.entries(when).every(([key, value]) => tests[key](value));
}

// Proposed cluster ("2" | "3" | "4" | "lintas") with the codes of the rules behind it, queue
// priority ("emergency" | "priority" | "normal") with the priority groups, and the life stage
// code, for a person arriving on `date`.
export function route(config, {
  person, history = [], date, arrival = null,
}) {
  const stage = lifeStage(config, { person, history: history ?? [], date });
  const checked = checkedArrival(config, arrival);
  const matched = config.routing.rules.filter((rule) => matches(config, rule.when, stage, checked));
  const decisive = matched.filter((rule) => !rule.fallback);
  const reasons = decisive.length ? decisive : matched.slice(0, 1);
  const { priority } = config.routing;
  const groups = priority.groups.filter((group) => matches(config, group.when, stage, checked))
    .map((group) => group.code);
  let level = groups.length ? 'priority' : 'normal';
  if (matches(config, priority.emergency.when, stage, checked)) level = 'emergency';
  return {
    cluster: reasons[0].cluster, reasons: reasons.map((rule) => rule.code),
    priority: level, priority_groups: groups, stage: stage.code,
  };
}
