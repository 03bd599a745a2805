// The due list: everything a person should receive around a date, with its status
// (Python twin: backend/clinical/due.py). Shape documented in docs/clinical-rules.md.

import { age, parseDate, toIso } from './dates.js';
import * as hist from './history.js';
import { sortItems } from './items.js';
import { eligible, maternalState, stageFor } from './lifestage.js';
import {
  ancItems, dating, nifasVitaminAItem, visitItems,
} from './pregnancy.js';
import { immunizationItems, tdItem, vitaminAItem } from './schedules.js';
import { screeningItems } from './screening.js';
import * as validate from './validate.js';

export function dueList(config, { person, history, date }) {
  const on = parseDate(date, 'date');
  const birth = validate.pastDate(person.birth_date, 'person.birth_date', on);
  const sex = validate.sex(person.sex, 'person.sex');
  const stage = stageFor(config, birth, on);
  const result = {
    date: toIso(on), config_version: config.version, person: person._id ?? null,
    age: age(birth, on), life_stage: stage.code, life_stage_label: stage.label,
    flags: [], pregnancy: null, nifas: null, eligible: eligible(config, birth, sex, on, null, []),
    record_problems: [], items: [],
  };
  if (person.deceased_date && parseDate(person.deceased_date, 'person.deceased_date') <= on) {
    return { ...result, deceased: true, eligible: { pregnancy: false, kb: false } };
  }
  const encs = hist.encounters(history, on);
  const maternal = maternalState(config, hist.pregnancies(history), on, birth, sex);
  const lookahead = config.screenings.lookahead_days;
  const { pregnancy } = maternal;
  const hpht = pregnancy ? pregnancy[1] : null;
  const items = vaccinesAndVisits(config, birth, sex, encs, on, pregnancy !== null, lookahead);
  items.push(...maternalItems(config, maternal, encs, on, lookahead, result));
  const personFacts = { birth, sex, hpht, smoker: hist.isSmoker(encs) };
  items.push(...screeningItems(config, personFacts, encs, on, lookahead));
  return {
    ...result,
    flags: maternal.flags,
    record_problems: maternal.problems,
    eligible: eligible(config, birth, sex, on, person.relation ?? null, maternal.flags),
    items: sortItems(items),
  };
}

// Immunizations, Td for women, vitamin A and, for newborns, the KN visits.
function vaccinesAndVisits(config, birth, sex, encs, on, pregnant, lookahead) {
  const records = hist.immunizations(encs);
  const items = immunizationItems(config, birth, sex, records, on, lookahead);
  items.push(...[
    tdItem(config, birth, sex, records, on, pregnant, lookahead),
    vitaminAItem(config, birth, encs, on, lookahead),
  ].filter(Boolean));
  const { visits } = config.maternal.kn;
  if (on - birth <= visits[visits.length - 1].until_day) {
    items.push(...visitItems(config, 'kn', birth, encs, on, lookahead));
  }
  return items;
}

// ANC of the current pregnancy and KF of a recent delivery; fills their summaries.
function maternalItems(config, maternal, encs, on, lookahead, result) {
  const items = [];
  if (maternal.pregnancy) {
    const [doc, hpht] = maternal.pregnancy;
    result.pregnancy = {
      id: doc._id ?? null, ...(hpht !== null ? dating(config, hpht, on) : { hpht: null }),
    };
    if (hpht !== null) items.push(...ancItems(config, doc, hpht, encs, on, lookahead));
  }
  if (maternal.delivery) {
    const [doc, delivered] = maternal.delivery;
    result.nifas = { pregnancy: doc._id ?? null, delivery_date: toIso(delivered), day: on - delivered };
    items.push(...visitItems(config, 'kf', delivered, encs, on, lookahead));
    const vitaminA = nifasVitaminAItem(config, delivered, encs, on, lookahead);
    if (vitaminA) items.push(vitaminA);
  }
  return items;
}
