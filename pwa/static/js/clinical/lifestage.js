// Life stage (bayi ... lansia) and the hamil / nifas flags
// (Python twin: backend/clinical/lifestage.py).

import { addDuration, age, parseDate } from './dates.js';
import * as hist from './history.js';
import { currentPregnancy, recentDelivery } from './pregnancy.js';
import * as validate from './validate.js';

export function stageFor(config, birth, on) {
  return config.lifestages.stages
    .find((stage) => stage.until === null || on < addDuration(birth, stage.until));
}

export function maternalState(config, pregnancies, on) {
  const pregnancy = currentPregnancy(config, pregnancies, on);
  const delivery = recentDelivery(config, pregnancies, on);
  const flags = [['hamil', pregnancy], ['nifas', delivery]]
    .filter(([, found]) => found).map(([flag]) => flag);
  return { pregnancy, delivery, flags };
}

export function lifeStage(config, { person, history = [], date }) {
  const on = parseDate(date, 'date');
  const birth = validate.pastDate(person.birth_date, 'person.birth_date', on);
  const stage = stageFor(config, birth, on);
  return {
    code: stage.code, label: stage.label, age: age(birth, on),
    flags: maternalState(config, hist.pregnancies(history ?? []), on).flags,
  };
}
