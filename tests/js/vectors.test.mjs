// Runs every golden vector in tests/vectors against the JavaScript evaluator; the same files
// run against Python in tests/clinical/test_vectors.py.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ClinicalInputError } from '../../pwa/static/js/clinical/index.js';
import {
  RULES, loadConfig, mismatches, vectorFiles,
} from './helpers.mjs';


const config = loadConfig();

for (const file of vectorFiles()) {
  describe(file.name, () => {
    for (const vector of file.cases) {
      it(vector.name, () => {
        const evaluate = () => RULES[file.rule](config, vector.input);
        if ('error_field' in vector.expected) {
          assert.throws(evaluate, (error) => error instanceof ClinicalInputError
            && error.field === vector.expected.error_field);
          return;
        }
        assert.deepEqual(mismatches(vector.expected, evaluate()), []);
      });
    }
  });
}
