// The loket's arrival form (views/flow-loket.js): its defaults from what the record says, the
// routing rule's proposal in words (clinical route(), config/ilp/routing.json), the rooms that
// serve the chosen cluster, and the body of POST /flow/arrivals. Pure parts first, for node.

import { route } from '../clinical/index.js';
import { h } from '../dom.js';
import { field } from '../forms.js';
import { t } from '../i18n.js';
import { routeReasonLabels, symptomOptions } from './clinical-labels.js';
import { clusterLabel, priorityBadge } from './flow-parts.js';
import { badge } from './ui.js';

// Where an arrival may be sent (backend/flow/arrivals.py DESTINATIONS).
export const DESTINATIONS = ['2', '3', '4', 'lintas'];
const COMPLAINT_MAX = 300;

/** Proposed answers from the record: JKN when the person has a JKN number; a returning
 * patient once they have a Puskesmas visit on record (a Posyandu or Pustu visit does not make
 * them known at the Puskesmas). The clerk may change both. */
export function arrivalDefaults(person, history = []) {
  const visited = history.some((doc) => doc.type === 'encounter' && doc.setting === 'puskesmas');
  return { payer: person.jkn ? 'jkn' : 'umum', new_patient: visited ? 'lama' : 'baru' };
}

/** The routing rule's input from the form's values. */
export function arrivalFacts(values) {
  return {
    emergency: values.emergency === true || values.emergency === 'on',
    disability: values.disability === true || values.disability === 'on',
    symptoms: [values.symptoms ?? []].flat().filter(Boolean),
  };
}

/** The proposal of the routing rule, or null when the record cannot be evaluated. */
export function proposeRoute(config, { person, history, date, values }) {
  try {
    return route(config, { person, history, date, arrival: arrivalFacts(values) });
  } catch {
    return null; // e.g. a birth date after today: the clerk chooses, the server checks
  }
}

/** Rooms a person of `cluster` can queue at: the rooms serving it (the emergency room for
 * Lintas Klaster) in the Puskesmas's order, the first being the server's default. */
export function roomsFor(points, cluster) {
  const kind = cluster === 'lintas' ? 'emergency' : 'cluster';
  return points.filter((point) => point.active !== false && point.kind === kind && (point.clusters ?? []).includes(cluster))
    .sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
}

/** POST /flow/arrivals from the form's values: {body, errors}. */
export function arrivalBody(values, personId) {
  const errors = {};
  const complaint = (values.complaint ?? '').trim();
  if (complaint.length > COMPLAINT_MAX) errors.complaint = t('flow.loket.complaint_long', { n: COMPLAINT_MAX });
  if (!['jkn', 'umum'].includes(values.payer)) errors.payer = t('valid.required');
  if (!['baru', 'lama'].includes(values.new_patient)) errors.new_patient = t('valid.required');
  if (!DESTINATIONS.includes(values.cluster)) errors.cluster = t('valid.required');
  const facts = arrivalFacts(values);
  const body = {
    person: personId, complaint: complaint || undefined, payer: values.payer,
    new_patient: values.new_patient === 'baru', ...facts, cluster: values.cluster,
    service_point: values.service_point || undefined,
  };
  return { body, errors };
}

/** The form's fields; `defaults` from arrivalDefaults. */
export function arrivalFields(config, defaults) {
  return [
    field({ name: 'complaint', label: t('flow.loket.complaint'), type: 'textarea', maxlength: COMPLAINT_MAX }),
    h('div', { class: 'row' },
      field({ name: 'payer', label: t('flow.loket.payer'), type: 'radio', required: true, value: defaults.payer,
        options: [['jkn', t('flow.payer.jkn')], ['umum', t('flow.payer.umum')]] }),
      field({ name: 'new_patient', label: t('flow.loket.visit_kind'), type: 'radio', required: true, value: defaults.new_patient,
        hint: t(defaults.new_patient === 'lama' ? 'flow.loket.returning_hint' : 'flow.loket.new_hint'),
        options: [['baru', t('flow.loket.new')], ['lama', t('flow.loket.returning')]] })),
    h('div', { class: 'row' },
      field({ name: 'emergency', label: t('flow.loket.emergency'), type: 'checkbox' }),
      field({ name: 'disability', label: t('flow.loket.disability'), type: 'checkbox' })),
    field({ name: 'symptoms', label: t('flow.loket.symptoms'), type: 'checkbox-group', hint: t('flow.loket.symptoms_hint'),
      options: symptomOptions(config) }),
  ];
}

/** The proposal in words: cluster, why, and the queue priority. */
export function proposalView(config, proposal) {
  if (!proposal) return h('p', { class: 'meta' }, t('flow.loket.no_proposal'));
  return h('div', { class: 'flow-proposal', 'data-testid': 'route-proposal' },
    h('p', {}, t('flow.loket.proposed'), ' ', h('strong', {}, clusterLabel(proposal.cluster))),
    h('p', { class: 'meta' }, t('flow.loket.because', { reasons: routeReasonLabels(config, proposal.reasons).join('; ') })),
    h('p', {}, priorityBadge(proposal, config) ?? badge(t('flow.loket.priority_normal'), 'muted')));
}
