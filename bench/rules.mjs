// Due lists for a population in JavaScript, timed (driven by bench/rules.py).
// Usage: node bench/rules.mjs POPULATION.json DATE REPEATS [OUTPUT.json]
// Prints one JSON line: {"persons", "seconds", "persons_per_s"}; OUTPUT gets the due lists.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { dueList } from '../pwa/static/js/clinical/index.js';
import { loadConfig, readJson } from '../tests/js/helpers.mjs';

const [populationFile, date, repeats = '3', outputFile] = process.argv.slice(2);
const population = readJson(populationFile);
const config = loadConfig();
const due = ({ person, history }) => {
  try {
    return dueList(config, { person, history, date });
  } catch (error) {
    if (error.field === undefined) throw error;
    return { error_field: error.field };
  }
};
const evaluate = () => population.map(due);

evaluate(); // warm-up: let the JIT compile the evaluator before timing
let best = Infinity;
let lists = null;
for (let i = 0; i < Number(repeats); i += 1) {
  const start = performance.now();
  lists = evaluate();
  best = Math.min(best, (performance.now() - start) / 1000);
}
if (outputFile) writeFileSync(outputFile, JSON.stringify(lists));
console.log(JSON.stringify({
  persons: population.length, seconds: best, persons_per_s: population.length / best,
}));
