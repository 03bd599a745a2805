// Test helpers: load config/ilp and the exported WHO tables from disk (exporting them with
// the Python script when the build output is missing), and the vector matcher shared in
// spirit with tests/clinical/vectors.py.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as clinical from '../../pwa/static/js/clinical/index.js';
import { compareDuplicates, duplicateCandidates } from '../../pwa/static/js/clinical/duplicates.js';

// One encounter's findings and the follow-ups they lead to, as the server derives them.
function findings(config, input) {
  const found = clinical.encounterFindings(config, input);
  return { findings: found, follow_ups: clinical.followUps(config, { findings: found }) };
}

// Vector rule names -> evaluator (Python: tests/clinical/vectors.py RULES).
export const RULES = {
  classify_bmi: clinical.classifyBmi,
  classify_bp: clinical.classifyBp,
  classify_fever: clinical.classifyFever,
  classify_glucose: clinical.classifyGlucose,
  classify_hb: clinical.classifyHb,
  classify_muac: clinical.classifyMuac,
  classify_waist: clinical.classifyWaist,
  due_list: clinical.dueList,
  duplicates_candidates: (config, { draft, persons }) => duplicateCandidates(config, draft, persons),
  duplicates_compare: (config, { a, b }) => compareDuplicates(config, a, b),
  family_health_index: clinical.familyHealthIndex,
  findings,
  growth: clinical.growthZscores,
  instrument: clinical.scoreInstrument,
  kpsp_form: clinical.kpspForm,
  life_stage: clinical.lifeStage,
  past_doses: clinical.pastDoses,
  pregnancy_dating: clinical.pregnancyDating,
  quality_flags: clinical.qualityFlags,
  quality_entry: clinical.entryWarnings,
  route: clinical.route,
  weight_trend: clinical.weightTrend,
};

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG_DIR = path.join(ROOT, 'config', 'ilp');
const WHO_DIR = path.join(ROOT, 'pwa', 'static', 'data', 'who');

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function ensureWhoTables() {
  if (existsSync(path.join(WHO_DIR, 'index.json'))) return;
  const venv = path.join(ROOT, '.venv', 'bin', 'python');
  const python = existsSync(venv) ? venv : 'python3';
  execFileSync(python, ['-m', 'backend.clinical.export_tables', WHO_DIR], { cwd: ROOT });
}

let cached = null;

export function loadConfig() {
  if (cached) return cached;
  ensureWhoTables();
  const manifest = readJson(path.join(CONFIG_DIR, 'manifest.json'));
  const files = Object.fromEntries(Object.entries(manifest.files)
    .map(([name, entry]) => [name, readJson(path.join(CONFIG_DIR, entry.file))]));
  const index = readJson(path.join(WHO_DIR, 'index.json'));
  const names = Object.values(index.tables).flatMap((tables) => Object.values(tables));
  const tables = Object.fromEntries(names.map((file) => [file, readJson(path.join(WHO_DIR, file))]));
  cached = clinical.assembleConfig(manifest, files, clinical.assembleWho(index, tables));
  return cached;
}

// Vectors of document rules share the folder; tests/js/field-ts.test.mjs runs them.
// PWS status vectors are server-only: tests/pws/test_status.py runs them.
const NOT_CLINICAL = new Set(['field_ts', 'pws_status']);

export function vectorFiles() {
  const dir = path.join(ROOT, 'tests', 'vectors');
  return readdirSync(dir).filter((name) => name.endsWith('.json')).sort()
    .map((name) => ({ name, ...readJson(path.join(dir, name)) }))
    .filter((file) => !NOT_CLINICAL.has(file.rule));
}

// Expected is a subset of actual: objects compare key by key, an object expected where a list
// of items is found matches items by `code`, `absent_items` lists codes that must not
// appear, and `item_order` lists codes that must appear in that order. Returns a list of mismatch descriptions (empty when it matches).
export function mismatches(expected, actual, where = '$') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (Array.isArray(actual)) return matchItems(expected, actual, where);
    if (actual === null || typeof actual !== 'object') return [`${where}: expected object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => {
      if (key === 'absent_items') {
        const codes = new Set((actual.items ?? []).map((item) => item.code));
        return value.filter((code) => codes.has(code)).map((code) => `${where}.items: ${code} should be absent`);
      }
      if (key === 'item_order') return orderMismatch(value, actual.items ?? [], where);
      return mismatches(value, actual[key], `${where}.${key}`);
    });
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((value, i) => mismatches(value, actual[i], `${where}[${i}]`));
  }
  const same = expected === actual || (expected === null && actual === undefined);
  return same ? [] : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function orderMismatch(codes, items, where) {
  const listed = items.map((item) => item.code).filter((code) => codes.includes(code));
  const same = listed.length === codes.length && listed.every((code, i) => code === codes[i]);
  return same ? [] : [`${where}.items: order ${JSON.stringify(listed)}, expected ${JSON.stringify(codes)}`];
}

function matchItems(expected, items, where) {
  return Object.entries(expected).flatMap(([code, value]) => {
    const item = items.find((candidate) => candidate.code === code);
    if (!item) return [`${where}: no item ${code}`];
    return mismatches(value, item, `${where}[${code}]`);
  });
}
