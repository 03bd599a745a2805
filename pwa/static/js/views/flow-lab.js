// #/flow/lab/:point, the Puskesmas laboratory (docs/flow.md "Lab and pharmacy"): the queue
// panel, and for the person being served the tests ordered for them, a result field per test
// by its kind (a number with its unit and limits, or one of the allowed results by label),
// checked as typed with the clinical `labResultErrors` (config/ilp/lab.json), the same rule
// the server applies before it writes. "Simpan hasil" stores them as the lab's encounter;
// then the person goes back to the desk that sent them.

import { app } from '../app.js';
import { labResultErrors } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { h, replace } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, clearErrors, field, onSubmit, showErrors } from '../forms.js';
import { formatNumber, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { actionButton, flowScreen, personHeading, transfer } from './flow-desk-parts.js';
import { errorsByTest, labResults, labTestsOf } from './flow-desk-model.js';
import { card, empty } from './ui.js';

function resultField(test) {
  if (test.kind === 'number') {
    const [min, max] = test.limits ?? [];
    const hint = min !== undefined ? t('flow_lab.limits', { min: formatNumber(min, 2), max: formatNumber(max, 2), unit: test.unit ?? '' }) : undefined;
    return field({ name: test.code, label: test.label, type: 'decimal', unit: test.unit, hint });
  }
  return field({ name: test.code, label: test.label, type: 'select', options: test.choices });
}

/** Errors as typed: the numbers' form and the clinical limits and allowed results. */
function check(config, tests, values) {
  const { results, errors } = labResults(tests, values);
  if (!Object.keys(errors).length && results.length) Object.assign(errors, errorsByTest(results, labResultErrors(config, results)));
  return { results, errors };
}

function showInline(form, errors) {
  form.querySelectorAll('[data-error-for]').forEach((slot) => {
    slot.textContent = errors[slot.dataset.errorFor] ?? '';
  });
  form.querySelectorAll('input, select').forEach((control) => {
    if (errors[control.name]) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  });
}

function orderForm(config, order, { ctx, onSaved }) {
  const { points } = ctx;
  const tests = labTestsOf(config, order.tests);
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'lab-form' },
    tests.map(resultField),
    order.note ? h('p', { class: 'meta' }, t('flow_lab.note', { note: order.note })) : null,
    actions(h('button', { type: 'submit', class: 'primary' }, t('flow_lab.save'))));
  const live = () => showInline(form, check(config, tests, formValues(form)).errors);
  form.addEventListener('input', live);
  form.addEventListener('change', live);
  onSubmit(form, async () => {
    const { results, errors } = check(config, tests, formValues(form));
    if (!results.length && !Object.keys(errors).length) errors[tests[0].code] = t('flow_lab.none_typed');
    if (!showErrors(form, errors)) return;
    try {
      await apiFetch(`/flow/lab-orders/${order.id}/results`, { method: 'POST', body: { results } });
    } catch (error) {
      ctx.status.fail(error);
      return;
    }
    clearErrors(form);
    ctx.refresh();
    onSaved();
  });
  const from = points.find((point) => point.id === order.service_point);
  return card(from ? t('flow_lab.order', { point: from.label }) : t('flow_lab.order_any'), form);
}

async function labWork(entry, ctx) {
  const config = await clinicalConfig();
  const [detail] = await Promise.all([apiFetch(`/flow/entries/${entry.id}`), app.records.loadPerson(entry.person.id)]);
  const person = app.records.get(entry.person.id);
  const open = (detail.lab_orders ?? []).filter((order) => !order.result_encounter_id);
  const back = entry.previous ? ctx.points.find((p) => p.id === entry.previous.service_point) : null;
  const orders = h('div', { class: 'stack' });
  const saved = (order) => () => {
    open.splice(open.indexOf(order), 1);
    ctx.status.say(t('flow_lab.saved', { name: person?.name ?? entry.person.name }));
    draw();
  };
  function draw() {
    replace(orders, open.length ? open.map((order) => orderForm(config, order, { ctx, onSaved: saved(order) }))
      : empty(t('flow_lab.nothing_open')));
  }
  draw();
  const returnButton = back ? actionButton(t('flow_lab.return', { point: back.label }), async () => {
    await transfer(entry, back.id, t('flow_lab.return_reason'));
    ctx.done(t('flow_desk.sent', { ticket: entry.ticket, point: back.label }));
  }, { status: ctx.status, tone: 'primary', testid: 'lab-return' }) : null;
  return h('div', { class: 'stack' },
    personHeading(config, person, entry, detail, ctx.points),
    orders,
    card(t('flow_desk.next'), returnButton ? h('div', { class: 'actions' }, returnButton) : empty(t('flow_lab.no_return'))));
}

export function flowLabPage({ point }) {
  return flowScreen({ point, kinds: ['lab'], title: t('flow_lab.title') }, labWork);
}
