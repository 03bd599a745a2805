// The one field_ts rule: the shared vectors against the JS twin (Python runs the same file
// in tests/foundation/test_field_ts.py).

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { applyChanges, changedFields } from '../../pwa/static/js/field-ts.js';
import { ROOT, readJson } from './helpers.mjs';

const { cases } = readJson(path.join(ROOT, 'tests', 'vectors', 'field_ts.json'));

describe('field_ts.json', () => {
  for (const vector of cases) {
    it(vector.name, () => {
      const { current, changes, now } = vector.input;
      if ('error' in vector.expected) {
        assert.throws(() => applyChanges(current, changes, now), { message: vector.expected.error });
        return;
      }
      const before = structuredClone(current);
      assert.deepEqual(changedFields(current, changes), vector.expected.changed);
      assert.deepEqual(applyChanges(current, changes, now), vector.expected.doc);
      assert.deepEqual(current, before);
    });
  }
});

it('undefined in a change empties like null (a form field left blank)', () => {
  assert.deepEqual(applyChanges({ phone: '0812' }, { phone: undefined }, 'T2'), { field_ts: { phone: 'T2' } });
});
