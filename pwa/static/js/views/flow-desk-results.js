// The lab's answer as the desk sees it when the person comes back: per order, the tests still
// awaited, or the results of the lab's encounter (loaded with the person's record) in words:
// measurements as the timeline writes them ("Hb 10,5 g/dL") with what they mean, other tests
// by their label and result label ("HBsAg: Non-reaktif"). Never a test code.

import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { labResultText, labTestLabel } from './flow-desk-model.js';
import { findingMeaning, safeFindings } from './findings-panel.js';
import { measurementTexts } from './person-timeline.js';
import { badge, card } from './ui.js';

function resultLines(config, encounter, person, history) {
  const measured = measurementTexts(encounter.measurements ?? {}, true).map((text) => h('li', {}, text));
  const coded = (encounter.lab_results ?? []).map((result) => h('li', {}, labResultText(config, result)));
  const findings = safeFindings(config, { person, encounter, history })
    .filter((row) => row.tone !== 'ok')
    .map((row) => badge(findingMeaning(row), row.tone));
  return [h('ul', { class: 'lab-results' }, measured, coded), findings.length ? h('p', { class: 'flags' }, findings) : null];
}

/** null when nothing was ordered in this arrival. */
export function labResultsCard(config, detail, records) {
  const orders = detail.lab_orders ?? [];
  if (!orders.length) return null;
  return card(t('flow_desk.lab_results'), h('div', { 'data-testid': 'flow-lab-results' }, orders.map((order) => {
    const tests = order.tests.map((code) => labTestLabel(config, code)).join(', ');
    const encounter = order.result_encounter_id ? records.get(order.result_encounter_id) : null;
    if (!encounter) return h('p', { class: 'meta' }, t('flow_desk.lab_waiting', { tests }));
    const person = records.get(encounter.person);
    return h('div', { class: 'lab-order' },
      h('p', { class: 'meta' }, t('flow_desk.lab_done', { tests, date: formatDate(encounter.date) })),
      resultLines(config, encounter, person, records.history(encounter.person)));
  })));
}
