// Evaluate a batch of [rule, input] pairs read as JSON from stdin and print the results, so
// tests/clinical/test_parity.py can compare JavaScript with Python on random inputs.

import { readFileSync } from 'node:fs';

import { RULES, loadConfig } from './helpers.mjs';

const config = loadConfig();
const batch = JSON.parse(readFileSync(0, 'utf8'));
const results = batch.map(([rule, input]) => {
  try {
    return RULES[rule](config, input);
  } catch (error) {
    if (error.field === undefined) throw error;
    return { error_field: error.field };
  }
});
process.stdout.write(JSON.stringify(results));
