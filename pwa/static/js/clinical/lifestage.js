// Life stage (bayi ... lansia), the hamil / nifas flags and which services of reproductive age
// apply to a person (Python twin: backend/clinical/lifestage.py; rules in lifestages.json).

import {
  addDuration, age, inAgeRange, parseDate,
} from './dates.js';
import * as hist from './history.js';
import { currentPregnancy, recentDelivery } from './pregnancy.js';
import * as validate from './validate.js';

export function stageFor(config, birth, on) {
  return config.lifestages.stages
    .find((stage) => stage.until === null || on < addDuration(birth, stage.until));
}

export function canBePregnant(config, birth, sex, on) {
  const rule = config.lifestages.reproductive.pregnancy;
  return sex === rule.sex && inAgeRange(birth, on, rule.age);
}

// The current pregnancy and the delivery still in its nifas period, with their flags. For a
// person who cannot be pregnant (a man, a toddler) both are ignored, and the records that
// would have counted are reported as `problems` to be checked.
export function maternalState(config, pregnancies, on, birth, sex) {
  if (!canBePregnant(config, birth, sex, on)) {
    return {
      pregnancy: null, delivery: null, flags: [], problems: notApplicable(config, pregnancies, on),
    };
  }
  const pregnancy = currentPregnancy(config, pregnancies, on);
  const delivery = recentDelivery(config, pregnancies, on);
  const flags = [['hamil', pregnancy], ['nifas', delivery]]
    .filter(([, found]) => found).map(([flag]) => flag);
  return {
    pregnancy, delivery, flags, problems: [],
  };
}

// Ongoing pregnancies and deliveries within the nifas period; older ones are history.
function notApplicable(config, pregnancies, on) {
  const limit = config.lifestages.flags.nifas.days_after_delivery;
  const recent = (delivered) => {
    if (typeof delivered !== 'string') return false;
    try {
      const days = on - parseDate(delivered, 'pregnancy.delivery.date');
      return days >= 0 && days <= limit;
    } catch {
      return true;
    }
  };
  return pregnancies.filter((doc) => doc.status === 'ongoing' || recent(doc.delivery?.date))
    .map((doc) => ({ code: 'pregnancy_not_applicable', record: doc._id ?? null }));
}

// Which services of reproductive age concern this person: recording a pregnancy, and family
// planning (KB) for a couple of reproductive age (PUS).
export function eligible(config, birth, sex, on, relation, flags) {
  const pus = config.lifestages.reproductive.pus;
  const kb = sex === pus.sex && inAgeRange(birth, on, pus.age)
    && pus.relations.includes(relation) && !flags.some((flag) => pus.not_when.includes(flag));
  return { pregnancy: canBePregnant(config, birth, sex, on), kb };
}

export function lifeStage(config, { person, history = [], date }) {
  const on = parseDate(date, 'date');
  const birth = validate.pastDate(person.birth_date, 'person.birth_date', on);
  const { sex } = person; // not checked here: a life stage needs only the birth date
  const stage = stageFor(config, birth, on);
  const maternal = maternalState(config, hist.pregnancies(history ?? []), on, birth, sex);
  return {
    code: stage.code, label: stage.label, age: age(birth, on),
    flags: maternal.flags,
    eligible: eligible(config, birth, sex, on, person.relation ?? null, maternal.flags),
    record_problems: maternal.problems,
  };
}
