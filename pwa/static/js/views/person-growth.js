// The growth card of a child's page: nutritional status (the latest category of each WHO
// index, with its date), naik / tidak naik of every weighing with 2T, and the charts:
// BB/U, PB/U-TB/U, BB/PB or BB/TB and lingkar kepala/U, each with its legend. Every category
// and trend comes from the clinical evaluator (growthZscores, weightTrend): none is decided here.

import { app } from '../app.js';
import { growthZscores, weightTrend } from '../clinical/index.js';
import { TONE_OK } from '../clinical/findings.js';
import { h } from '../dom.js';
import { formatDate, formatNumber, t, tMaybe } from '../i18n.js';
import { growthChart } from './growth-chart.js';
import { badge, card } from './ui.js';

const INDEX_ORDER = ['bb_u', 'tb_u', 'bb_tb', 'imt_u'];
const LYING_INDEX = 'bb_pb';
const STANDING_INDEX = 'bb_tb';

function zscores(config, person, encounter) {
  const m = encounter.measurements;
  try {
    return growthZscores(config, {
      sex: person.sex, weight_kg: m.weight_kg ?? null, height_cm: m.height_cm ?? null,
      measure: m.length_or_height ?? null, oedema: Boolean(m.oedema), birth_date: person.birth_date, date: encounter.date,
    });
  } catch {
    return null; // a value the evaluator refuses (implausible, before birth) is left out
  }
}

/** index -> {entry, date}: the newest measurement that gives each index a category. */
export function latestStatus(config, person, encounters) {
  const latest = {};
  for (const encounter of encounters) { // newest first
    const m = encounter.measurements ?? {};
    if (m.weight_kg == null && m.height_cm == null) continue;
    const result = zscores(config, person, encounter);
    for (const [index, entry] of Object.entries(result?.indices ?? {})) {
      if (!latest[index] && entry.category) latest[index] = { entry, date: encounter.date };
    }
  }
  return latest;
}

function statusTone(entry) {
  if (TONE_OK.has(entry.category) || entry.category === 'normal') return 'ok';
  return Math.abs(entry.z ?? 0) > 3 ? 'bad' : 'warn';
}

function statusList(latest) {
  const rows = INDEX_ORDER.filter((index) => latest[index]).map((index) => {
    const { entry, date } = latest[index];
    return [h('dt', {}, entry.name),
      h('dd', {}, badge(entry.label, statusTone(entry)), ' ',
        h('span', { class: 'meta' }, t('growth.status_when', { z: formatNumber(entry.z, 2), date: formatDate(date) })))];
  });
  return rows.length ? h('dl', { class: 'facts nutrition', 'data-testid': 'nutrition-status' }, rows)
    : h('p', { class: 'empty' }, t('growth.status_none'));
}

/** The evaluator's trend of one weighing, or null where it has none (an age past 60 months,
 * a weighing it cannot read). */
function trendOf(config, input) {
  try {
    return weightTrend(config, input);
  } catch {
    return null;
  }
}

/** Every weighing, oldest first, with the evaluator's trend (KBM) when it gives one. */
export function weighings(config, person, encounters, history) {
  return [...encounters].reverse().filter((enc) => enc.measurements?.weight_kg != null).map((enc) => {
    const trend = trendOf(config, { person, history, date: enc.date, weight_kg: enc.measurements.weight_kg });
    return { date: enc.date, weight_kg: enc.measurements.weight_kg, trend: trend?.code ? trend : null };
  });
}

function trendBadges(trend) {
  const label = trend?.label ?? (trend?.code ? tMaybe(`trend.${trend.code}`) : null);
  return label ? [badge(label, TONE_OK.has(trend.code) ? 'ok' : 'warn')] : [];
}

function weighingTable(rows) {
  if (!rows.length || !rows.some((row) => row.trend)) return null;
  const last = rows[rows.length - 1];
  return h('div', { class: 'weighings' },
    h('p', {}, h('strong', {}, t('growth.last_weighing', { date: formatDate(last.date), kg: formatNumber(last.weight_kg) })), ' ',
      trendBadges(last.trend)),
    h('details', {}, h('summary', {}, t('growth.weighings')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'weighings' },
        h('thead', {}, h('tr', {}, [t('growth.date'), t('growth.weight'), t('growth.trend')].map((text) => h('th', { scope: 'col' }, text)))),
        h('tbody', {}, [...rows].reverse().map((row) => h('tr', {}, h('td', {}, formatDate(row.date)),
          h('td', {}, formatNumber(row.weight_kg)), h('td', {}, trendBadges(row.trend)))))))));
}

function charts(config, person, encounters, facts) {
  const ordered = [...encounters].reverse();
  const points = (name) => ordered.filter((enc) => enc.measurements?.[name] != null)
    .map((enc) => ({ date: enc.date, value: enc.measurements[name] }));
  // Weight for length under 24 months, for height after (the evaluator's own switch).
  const lying = facts.age.months < 24;
  const shift = config.growth.length_height.correction_cm;
  const byLength = ordered.filter((enc) => enc.measurements?.weight_kg != null && enc.measurements?.height_cm != null)
    .map((enc) => {
      const m = enc.measurements;
      const position = m.length_or_height ?? (lying ? 'lying' : 'standing');
      const x = position === 'lying' && !lying ? m.height_cm - shift : position === 'standing' && lying ? m.height_cm + shift : m.height_cm;
      return { date: enc.date, value: m.weight_kg, x };
    });
  const head = points('head_circ_cm');
  return h('div', { class: 'charts' },
    growthChart(config, person, 'bb_u', points('weight_kg')),
    growthChart(config, person, 'tb_u', points('height_cm')),
    byLength.length ? growthChart(config, person, lying ? LYING_INDEX : STANDING_INDEX, byLength) : null,
    head.length ? growthChart(config, person, 'lk_u', head) : null);
}

/** The card for children under five; null for everyone else. */
export function growthCard(config, person, facts) {
  if (!facts || facts.age.months >= 60) return null;
  const encounters = app.records.encounters(person._id);
  const history = app.records.history(person._id);
  return card(t('person.growth'),
    h('h3', {}, t('growth.status')),
    statusList(latestStatus(config, person, encounters)),
    weighingTable(weighings(config, person, encounters, history)),
    charts(config, person, encounters, facts));
}
