// The pure part of the desk, lab and pharmacy screens (flow-desk.js, flow-lab.js,
// flow-pharmacy.js): prescription lines as the encounter stores them, the lab's typed results
// as the API takes them, the pharmacy's dispensed quantities, where a person can be sent next
// and the arrival's way through the building in words. No DOM, no fetch: tests/js/flow-desk.test.mjs.

import { labTests as clinicalLabTests } from '../clinical/index.js';
import { parseDecimal } from '../forms.js';
import { formatNumber, t } from '../i18n.js';
import { localLabel } from './clinical-labels.js';

// backend/documents/schemas.py PrescriptionSchema.
const RX_LIMITS = { drug: 120, dose: 60, instructions: 200 };
const RX_QUANTITY = [1, 1000];

const trimmed = (text) => String(text ?? '').trim();

/** Typed prescription lines ([{key?, drug, dose, quantity, instructions}] of strings) -> the
 * encounter's `prescriptions` and errors keyed `rx-<key or position>-<field>`. A blank line is left out;
 * a line with anything typed needs a drug and a whole quantity of 1 to 1000. */
export function prescriptionItems(lines) {
  const items = [];
  const errors = {};
  lines.forEach((line, position) => {
    const index = line.key ?? position;
    const [drug, dose, quantity, instructions] = ['drug', 'dose', 'quantity', 'instructions'].map((name) => trimmed(line[name]));
    if (!drug && !dose && !quantity && !instructions) return;
    const key = (name) => `rx-${index}-${name}`;
    if (!drug) errors[key('drug')] = t('valid.required');
    for (const [name, text] of Object.entries({ drug, dose, instructions })) {
      if (text.length > RX_LIMITS[name]) errors[key(name)] = t('valid.too_long', { max: RX_LIMITS[name] });
    }
    const count = Number(quantity);
    if (!quantity) errors[key('quantity')] = t('valid.required');
    else if (!/^\d+$/.test(quantity) || count < RX_QUANTITY[0] || count > RX_QUANTITY[1]) {
      errors[key('quantity')] = t('valid.integer_range', { min: RX_QUANTITY[0], max: RX_QUANTITY[1] });
    }
    items.push({ drug, dose: dose || undefined, quantity: count, instructions: instructions || undefined });
  });
  return { items, errors };
}

/** The lab's form (`values`: {<test code>: typed text}) for the ordered `tests` (lab.json
 * entries with `code` and `kind` "number" | "choice") -> the results the API takes, in the
 * order of the order, and the errors of values that are no number. An empty field is a result
 * not yet recorded. */
export function labResults(tests, values) {
  const results = [];
  const errors = {};
  for (const test of tests) {
    const text = trimmed(values[test.code]);
    if (!text) continue;
    if (test.kind === 'number') {
      const value = parseDecimal(text);
      if (Number.isNaN(value)) errors[test.code] = t('valid.number');
      else results.push({ test: test.code, value });
    } else {
      results.push({ test: test.code, result: text });
    }
  }
  return { results, errors };
}

/** Errors of `lab_result_errors` ({index: {field: [messages]}}, index into `results`) as
 * {<test code>: message}, to show under each test's field. */
export function errorsByTest(results, indexed) {
  return Object.fromEntries(Object.entries(indexed ?? {}).map(([index, fields]) => [
    results[Number(index)]?.test ?? 'results', Object.values(fields).flat().join(' ')]));
}

/** The pharmacy's quantities (`values`: {<encounter>:<index>: typed text}) for the arrival's
 * prescriptions -> one dispense body per encounter ({encounter, items:[{index, quantity}]}),
 * and errors keyed like the values. Zero is allowed (not in stock: said, not hidden). */
export function dispenseBodies(prescriptions, values) {
  const bodies = [];
  const errors = {};
  for (const rx of prescriptions) {
    const items = [];
    for (const item of rx.items) {
      const key = `${rx.encounter}:${item.index}`;
      const text = trimmed(values[key]);
      if (!text) continue;
      if (!/^\d+$/.test(text) || Number(text) > item.quantity) {
        errors[key] = t('flow_pharmacy.quantity_range', { max: item.quantity });
      } else {
        items.push({ index: item.index, quantity: Number(text) });
      }
    }
    if (items.length) bodies.push({ encounter: rx.encounter, items });
  }
  return { bodies, errors };
}

/** Active points other than `current`, of `kind`, in their order. */
export function pointsOfKind(points, kind, current = null) {
  return points.filter((point) => point.kind === kind && point.active !== false && point.id !== current)
    .sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
}

/** The arrival's way so far ("Loket Pendaftaran A-001 → Ruang Klaster 3 C-002"), oldest
 * first, from the entry's `history` chain; the point's label, never its id. */
export function routeText(history, points) {
  const labels = new Map(points.map((point) => [point.id, point.label]));
  return [...history].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id - b.id)
    .map((entry) => `${labels.get(entry.service_point) ?? t('flow_desk.point_unknown')} ${entry.ticket}`)
    .join(' → ');
}

/** The tests of config/ilp/lab.json (clinical labTests, limits resolved) as the screens use
 * them: a number (a measurement or a numeric test) with its unit and limits, or a choice among
 * the allowed results, each with its label in the user's language. */
export function labTests(config) {
  return clinicalLabTests(config).map((test) => ({
    code: test.code,
    label: localLabel(test.label),
    kind: test.kind === 'categorical' ? 'choice' : 'number',
    unit: test.unit ?? undefined,
    limits: test.limits ?? undefined,
    choices: (test.results ?? []).map((result) => [result.code, localLabel(result.label)]),
  }));
}

/** The tests of `codes`, in that order (an order's tests). */
export function labTestsOf(config, codes) {
  const tests = new Map(labTests(config).map((test) => [test.code, test]));
  return codes.map((code) => tests.get(code)).filter(Boolean);
}

export function labTestLabel(config, code) {
  return labTestsOf(config, [code])[0]?.label ?? t('flow_desk.lab_unknown');
}

/** "Asam urat: 7,2 mg/dL", "HBsAg (hepatitis B): Reaktif": a `lab_results` entry in words. */
export function labResultText(config, result) {
  const [test] = labTestsOf(config, [result.test]);
  if (!test) return t('flow_desk.lab_unknown');
  if (result.value !== undefined) return `${test.label}: ${formatNumber(result.value, 2)}${test.unit ? ` ${test.unit}` : ''}`;
  const choice = test.choices.find(([code]) => code === result.result);
  return `${test.label}: ${choice ? choice[1] : t('flow_desk.lab_unknown')}`;
}

/** What is still to hand over of a prescribed item (`dispensed`: handed over before). */
export function remaining(item) {
  return Math.max(0, item.quantity - (item.dispensed ?? 0));
}
