// What the routing rule and the lab test list look like on screen: their labels live in
// config/ilp (routing.json, lab.json) as {id, en}, so a new symptom or test needs no catalog
// change; these helpers pick the interface language (Indonesian when a language is missing)
// and never show a code. Used by the loket (symptoms, reasons, priority groups) and the desk
// and lab screens (test and result lists).

import { language } from '../i18n.js';

/** {id, en} -> the label in the interface language, Indonesian as fallback. */
export function localLabel(label) {
  if (!label) return null;
  if (typeof label === 'string') return label;
  return label[language()] ?? label.id;
}

const byCode = (list, code) => list.find((item) => item.code === code) ?? null;

/** [[code, label]] of every symptom the loket can tick, in config order. */
export function symptomOptions(config) {
  return config.routing.symptoms.map((symptom) => [symptom.code, localLabel(symptom.label)]);
}

/** Labels of a route's reasons ("Ibu hamil", "Terduga TBC (skrining gejala)"). */
export function routeReasonLabels(config, codes) {
  return codes.map((code) => localLabel(byCode(config.routing.rules, code)?.label) ?? code);
}

/** Labels of a route's priority groups ("Lansia", "Penyandang disabilitas"). */
export function priorityGroupLabels(config, codes) {
  return codes.map((code) => localLabel(byCode(config.routing.priority.groups, code)?.label) ?? code);
}

/** [[code, label]] of the lab's tests; with `flags` (a life stage's), the tests offered to
 * that group (triple eliminasi for hamil) come first. */
export function labTestOptions(config, flags = []) {
  const offered = (test) => (test.offer?.flags ?? []).some((flag) => flags.includes(flag));
  const tests = [...config.lab.tests.filter(offered), ...config.lab.tests.filter((test) => !offered(test))];
  return tests.map((test) => [test.code, localLabel(test.label)]);
}

/** The label of one lab test, or null for a code lab.json no longer lists. */
export function labTestLabel(config, code) {
  return localLabel(byCode(config.lab.tests, code)?.label);
}

/** [[code, label]] of the results a coded test allows ([] for a numeric test). */
export function labResultOptions(config, code) {
  return (byCode(config.lab.tests, code)?.results ?? []).map((result) => [result.code, localLabel(result.label)]);
}
