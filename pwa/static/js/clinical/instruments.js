// Screening instruments: score the answers, read the result from instruments.json
// (Python twin: backend/clinical/instruments.py). Missing, unknown or out-of-scale answers
// throw ClinicalInputError naming `answers.<item>`.

import * as bands from './bands.js';
import { age, parseDate } from './dates.js';
import { ClinicalInputError } from './errors.js';
import { ageForm } from './kpsp.js';
import * as validate from './validate.js';

export function scoreInstrument(config, {
  instrument, answers = null, ya_count = null, sex = null, birth_date = null, date = null,
}) {
  const configured = config.instruments.instruments[instrument];
  if (!configured) throw new ClinicalInputError('instrument', `instrumen tidak dikenal: ${instrument}`);
  const on = date === null ? null : parseDate(date, 'date');
  const birth = birth_date === null ? null : validate.pastDate(birth_date, 'birth_date', on);
  const person = bands.subject({ sex, birth, on });
  if ('age' in configured && birth !== null && !bands.matches({ age: configured.age }, person)) {
    throw new ClinicalInputError('age', 'instrumen tidak untuk umur ini');
  }
  const [spec, form] = forAge(configured, birth, on);
  let score;
  let extra;
  if (ya_count !== null && spec.count_entry === 'ya_count') {
    score = validate.integer(ya_count, 'ya_count', 0, spec.items.length);
    extra = {};
  } else {
    [score, extra] = SCORERS[spec.type](spec, checkedAnswers(spec, answers), person);
  }
  let { result, ...details } = extra;
  let label;
  if (result === undefined) {
    const band = bands.pick(bandsFor(spec, person), score);
    result = band.code;
    label = band.label;
  } else {
    label = spec.results[result];
  }
  return { instrument, score, result, label, refer: spec.refer.includes(result), ...form, ...details };
}

/** An instrument with one form per age (KPSP) is asked and scored on the child's form. */
function forAge(spec, birth, on) {
  if (!('forms' in spec)) return [spec, {}];
  const form = ageForm(spec, birth, on);
  return [{ ...spec, items: form.items }, { form: form.form }];
}

function itemIds(spec) {
  if (spec.type === 'domains') return spec.domains.flatMap((d) => d.items.map((i) => i.id));
  if (spec.type === 'tb_symptoms') {
    return ['main', 'additional', 'modifiers'].flatMap((group) => spec[group].map((i) => i.id));
  }
  return spec.items.filter((item) => !('derive' in item)).map((item) => item.id);
}

function checkedAnswers(spec, answers) {
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    throw new ClinicalInputError('answers', 'jawaban harus berupa objek butir -> jawaban');
  }
  const expected = itemIds(spec);
  for (const key of Object.keys(answers)) {
    if (!expected.includes(key)) throw new ClinicalInputError(`answers.${key}`, 'butir tidak dikenal');
  }
  const asked = askedItems(spec, answers);
  for (const key of expected) {
    if (!(key in answers) && asked.includes(key)) throw new ClinicalInputError(`answers.${key}`, 'wajib diisi');
  }
  return answers;
}

/**
 * The items the form asks, given the answers so far: an item with `asked_if` only when each
 * answer it names was given that way (SKILAS: the finger count only without an eye problem).
 * An item not asked needs no answer and is not scored.
 */
export function askedItems(spec, answers) {
  const conditions = Object.fromEntries((spec.domains ?? []).flatMap((domain) => domain.items)
    .filter((item) => item.asked_if).map((item) => [item.id, item.asked_if]));
  const holds = (condition) => Object.entries(condition).every(
    ([key, value]) => key in answers && validate.yesNo(answers[key], `answers.${key}`) === value,
  );
  return itemIds(spec).filter((key) => !(key in conditions) || holds(conditions[key]));
}

function bandsFor(spec, person) {
  if (!('groups' in spec)) return spec.bands;
  const group = bands.firstGroup(spec.groups, person);
  if (group === null) throw new ClinicalInputError('age', 'instrumen tidak untuk umur ini');
  return group.bands;
}

function countYes(spec, answers) {
  const yes = itemIds(spec).filter((key) => validate.yesNo(answers[key], `answers.${key}`));
  const urgent = spec.urgent_items;
  const extra = urgent ? { urgent: urgent.some((key) => yes.includes(key)) } : {};
  if (spec.item_domains) {
    // KPSP: stimulation targets the domains of the items answered "tidak" (SDIDTK)
    const missed = spec.items.filter((item) => !yes.includes(item.id)).map((item) => item.domain);
    extra.domains_not_met = Object.keys(spec.item_domains).filter((code) => missed.includes(code));
  }
  return [yes.length, extra];
}

function itemPoints(item, answers, person) {
  const field = `answers.${item.id}`;
  if (item.derive === 'sex') return item.points[validate.sex(person.sex)];
  if (item.derive === 'age_years') {
    if (person.birth === null) {
      throw new ClinicalInputError('birth_date', 'umur diperlukan untuk instrumen ini');
    }
    return bands.pick(item.bands, age(person.birth, person.on).years).points;
  }
  if (item.scale === 'number') {
    const [low, high] = item.range;
    return bands.pick(item.bands, validate.number(answers[item.id], field, low, high)).points;
  }
  if (item.scale === 'yes_no') return Number(validate.yesNo(answers[item.id], field));
  const [low, high] = item.scale;
  return validate.integer(answers[item.id], field, low, high);
}

function sum(spec, answers, person) {
  return [spec.items.reduce((total, item) => total + itemPoints(item, answers, person), 0), {}];
}

function subscaleSum(spec, answers) {
  const [low, high] = spec.scale;
  const points = {};
  for (const key of itemIds(spec)) {
    const value = validate.integer(answers[key], `answers.${key}`, low, high);
    points[key] = spec.reverse.includes(key) ? low + high - value : value;
  }
  const subscores = Object.fromEntries(Object.entries(spec.subscales)
    .map(([name, keys]) => [name, keys.reduce((total, key) => total + points[key], 0)]));
  return [spec.total_of.reduce((total, name) => total + subscores[name], 0), { subscores }];
}

function domains(spec, answers) {
  const asked = askedItems(spec, answers);
  const positive = spec.domains.filter((domain) => domain.items.some(
    (item) => asked.includes(item.id) && validate.yesNo(answers[item.id], `answers.${item.id}`) === item.positive,
  )).map((domain) => domain.id);
  const result = positive.length ? 'perlu_tindak_lanjut' : 'normal';
  return [positive.length, { positive_domains: positive, result }];
}

function tbSymptoms(spec, answers) {
  const yes = (group) => spec[group]
    .filter((item) => validate.yesNo(answers[item.id], `answers.${item.id}`))
    .map((item) => item.id);
  const [main, additional, modifiers] = [yes('main'), yes('additional'), yes('modifiers')];
  const suspect = main.length > 0
    || (modifiers.length > 0 && additional.length >= spec.additional_needed);
  return [main.length + additional.length, { result: suspect ? 'terduga_tb' : 'bukan_terduga' }];
}

const SCORERS = {
  count_yes: countYes, sum, subscale_sum: subscaleSum, domains, tb_symptoms: tbSymptoms,
};
