// #/flow/meja/:point, the cluster desk (docs/flow.md "Cluster desk"): the queue panel, and for
// the person being served their record summary and due list, the visit form's sections
// (measurements with the findings component, services, diagnoses by name) plus lab orders,
// a prescription and a referral out, saved as one encounter through the flow API; then the
// person is sent to the lab, the pharmacy or another cluster, or their visit ends here. When
// they come back from the lab, its results are shown above the form.

import { app, hasRole } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { confirmDialog } from '../dialog.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import { apiFetch } from '../session.js';
import {
  actionButton, finish, flowScreen, personHeading, transfer,
} from './flow-desk-parts.js';
import { labTestOptions } from './clinical-labels.js';
import { pointsOfKind, prescriptionItems } from './flow-desk-model.js';
import { labResultsCard } from './flow-desk-results.js';
import { prescriptionEditor } from './flow-desk-rx.js';
import { dueCard, dueOf } from './person.js';
import { timelineCard } from './person-timeline.js';
import { card } from './ui.js';
import { ongoingPregnancy, pregnancyCard } from './visit.js';
import {
  checkClinical, clinicalFields, diagnosesCard, followFindings, measurementsCard, servicesCard, visitSetup,
} from './visit-sections.js';

/** The lab's tests to tick, those offered to the person's group first (triple eliminasi for a
 * pregnant woman, config/ilp/lab.json `offer`). */
function labOrderCard(config, facts) {
  const options = labTestOptions(config, facts?.flags ?? []);
  if (!options.length) return null;
  return card(t('flow_desk.lab'), h('div', { class: 'lab-tests' }, field({
    name: 'lab_orders', label: t('flow_desk.lab_tests'), type: 'checkbox-group', options,
  })));
}

function referralCard() {
  return card(t('flow_desk.referral'),
    field({ name: 'refer', label: t('flow_desk.refer_out'), type: 'checkbox', hint: t('flow_desk.refer_out_hint') }),
    h('div', { class: 'row' },
      field({ name: 'refer_to', label: t('flow_desk.refer_to'), maxlength: 120 }),
      field({ name: 'refer_reason', label: t('posyandu.refer_reason'), maxlength: 300 })),
    field({ name: 'notes', label: t('posyandu.notes'), type: 'textarea', maxlength: 2000 }));
}

/** The body of POST /flow/entries/<id>/encounter, or the errors to show. */
function encounterBody(config, setup, form, rx, pregnancy) {
  const values = { ...formValues(form), date: todayIso() };
  const { errors, measured } = checkClinical(config, values, setup.picker);
  const { items, errors: rxErrors } = prescriptionItems(rx.lines());
  Object.assign(errors, rxErrors);
  if (values.refer && !values.refer_to.trim()) errors.refer_to = t('valid.required');
  const anc = Boolean(pregnancy && values.anc);
  const body = {
    ...clinicalFields(setup, values, measured, anc ? ['anc'] : []),
    pregnancy: anc ? pregnancy._id : undefined,
    lab_orders: values.lab_orders?.length ? values.lab_orders : undefined,
    prescriptions: items.length ? items : undefined,
    referral: values.refer ? { to: values.refer_to.trim(), reason: values.refer_reason.trim() || undefined } : undefined,
    notes: values.notes.trim() || undefined,
  };
  if (Object.values(body).every((value) => value === undefined)) errors.form = t('flow_desk.empty');
  return { body, errors };
}

/** "Kirim ke laboratorium": orders the ticked tests, then sends the person to `lab`. */
function labSender(entry, { status, done }, lab, { ticked, unsaved }) {
  return async () => {
    const tests = ticked();
    if (!tests.length) {
      status.say(t('flow_desk.lab_none'), 'bad');
      return;
    }
    if (await unsaved()) return;
    // Already ordered: an earlier tap whose transfer did not go through.
    await apiFetch(`/flow/entries/${entry.id}/lab-orders`, { method: 'POST', body: { tests } }).catch((error) => {
      if (error.problem?.code !== 'already_ordered') throw error;
    });
    await transfer(entry, lab.id, t('flow_desk.lab_reason'));
    done(t('flow_desk.sent', { ticket: entry.ticket, point: lab.label }));
  };
}

/** "Kirim ke laboratorium", "Kirim ke farmasi", another cluster, "Selesai". Leaving without a
 * saved record of this visit asks first. */
function nextSteps(entry, ctx, state, ticked) {
  const { points, point, status, done } = ctx;
  const [lab] = pointsOfKind(points, 'lab');
  const [pharmacy] = pointsOfKind(points, 'pharmacy');
  const clusters = pointsOfKind(points, 'cluster', point.id);
  const unsaved = async () => !state.saved && !(await confirmDialog({
    title: t('flow_desk.unsaved_title'), body: [t('flow_desk.unsaved_body')], confirm: t('flow_desk.unsaved_go'),
  }));
  const send = (to, message) => async () => {
    if (await unsaved()) return;
    await transfer(entry, to.id);
    done(t(message, { ticket: entry.ticket, point: to.label }));
  };
  const toLab = lab ? labSender(entry, ctx, lab, { ticked, unsaved }) : null;
  const other = h('select', { 'aria-label': t('flow_desk.other_cluster'), 'data-testid': 'flow-other-cluster' },
    clusters.map((p) => h('option', { value: p.id }, p.label)));
  return card(t('flow_desk.next'),
    h('div', { class: 'actions desk-next' },
      lab ? actionButton(t('flow_desk.to_lab'), toLab, { status, testid: 'flow-to-lab' }) : null,
      pharmacy ? actionButton(t('flow_desk.to_pharmacy'), send(pharmacy, 'flow_desk.sent'), { status }) : null,
      actionButton(t('flow_desk.done'), async () => {
        if (await unsaved()) return;
        await finish(entry);
        done(t('flow_desk.finished', { ticket: entry.ticket }));
      }, { status, tone: 'primary' })),
    clusters.length ? h('div', { class: 'row flow-transfer' },
      h('label', { class: 'field' }, h('span', {}, t('flow_desk.other_cluster')), other),
      actionButton(t('flow_desk.to_cluster'), () => send(points.find((p) => p.id === other.value), 'flow_desk.sent')(), { status }))
      : null);
}

/** The encounter form; `state.saved` once stored. */
function encounterForm(config, { person, setup, today, entry, ctx, state }) {
  const pregnancy = hasRole('klaster', 'kapus', 'admin') ? ongoingPregnancy(person._id) : null;
  const rx = prescriptionEditor();
  const saveButton = h('button', { type: 'submit', class: 'primary' }, t('flow_desk.save'));
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'flow-encounter' },
    measurementsCard(setup));
  form.append(followFindings(form, config, setup, { date: today, setting: 'puskesmas' }),
    ...[pregnancy ? pregnancyCard(config, pregnancy, setup.options, today) : null, servicesCard(setup), diagnosesCard(setup),
      labOrderCard(config, setup.facts), card(t('flow_desk.prescription'), rx.element), referralCard(),
      actions(saveButton)].filter(Boolean));
  onSubmit(form, async () => {
    const { body, errors } = encounterBody(config, setup, form, rx, pregnancy);
    if (!showErrors(form, errors)) return;
    try {
      await apiFetch(`/flow/entries/${entry.id}/encounter`, { method: 'POST', body });
    } catch (error) {
      ctx.status.fail(error);
      return;
    }
    state.saved = true;
    saveButton.disabled = true;
    ctx.refresh();
    ctx.status.say(t('flow_desk.saved', { name: person.name }));
  });
  return form;
}

async function deskWork(entry, ctx) {
  const config = await clinicalConfig();
  const [detail] = await Promise.all([apiFetch(`/flow/entries/${entry.id}`), app.records.loadPerson(entry.person.id)]);
  const person = app.records.get(entry.person.id);
  const today = todayIso();
  const setup = visitSetup(config, person, today, { worker: true });
  // One encounter per queue entry (backend/flow/desk.py): a desk reopened after saving shows
  // that it is recorded, and orders the lab tests that record asked for.
  const recorded = entry.encounter_id ? app.records.get(entry.encounter_id) ?? { lab_orders: [] } : null;
  const state = { saved: Boolean(recorded) };
  const form = recorded ? null : encounterForm(config, { person, setup, today, entry, ctx, state });
  return h('div', { class: 'stack' },
    personHeading(config, person, entry, detail, ctx.points),
    labResultsCard(config, detail, app.records),
    dueCard(dueOf(config, person, setup.history, today)),
    form ?? card(null, h('p', { 'data-testid': 'flow-recorded' }, t('flow_desk.recorded'))),
    nextSteps(entry, ctx, state, () => (form ? formValues(form).lab_orders ?? [] : recorded.lab_orders ?? [])),
    h('details', { class: 'card flow-record' }, h('summary', {}, t('flow_desk.record')), timelineCard(config, person)));
}

export function flowDeskPage({ point }) {
  return flowScreen({ point, kinds: ['cluster', 'emergency'], title: t('flow_desk.title') }, deskWork);
}
