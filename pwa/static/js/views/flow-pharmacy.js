// #/flow/farmasi/:point, the pharmacy (docs/flow.md "Lab and pharmacy"): the queue panel, and
// for the person being served the prescriptions written in this visit, each item with what
// was prescribed, what was already handed over and a field for the quantity handed over now.
// "Serahkan obat" records it (flow state, not a document; no stock management), then
// "Selesai" ends the visit.

import { app } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { h } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { actionButton, finish, flowScreen, personHeading } from './flow-desk-parts.js';
import { clusterLabel } from './flow-parts.js';
import { dispenseBodies, remaining } from './flow-desk-model.js';
import { card, dataTable, empty } from './ui.js';

/** The quantity field: its label is for screen readers, the column header says it on screen. */
function quantityField(rx, item, left) {
  const control = field({ name: `${rx.encounter}:${item.index}`, label: t('flow_pharmacy.now', { drug: item.drug }),
    type: 'integer', value: String(left) });
  control.querySelector('label').classList.add('visually-hidden');
  return control;
}

function itemRow(rx, item) {
  const left = remaining(item);
  return h('tr', {},
    h('td', {}, h('strong', {}, item.drug), item.dose ? h('div', { class: 'meta' }, item.dose) : null,
      item.instructions ? h('div', { class: 'meta' }, item.instructions) : null),
    h('td', { class: 'num' }, String(item.quantity)),
    h('td', { class: 'num' }, String(item.quantity - left)),
    h('td', {}, left > 0 ? quantityField(rx, item, left) : h('span', { class: 'meta' }, t('flow_pharmacy.all_given'))));
}

function prescriptionCard(rx) {
  const headers = [t('flow_pharmacy.drug'), t('flow_pharmacy.prescribed'), t('flow_pharmacy.given'), t('flow_pharmacy.give_now')];
  return card(t('flow_pharmacy.by', { name: rx.provider ?? '', cluster: clusterLabel(rx.cluster) ?? '' }),
    dataTable(headers, rx.items.map((item) => itemRow(rx, item)), { cards: true, 'data-testid': 'rx-table' }));
}

async function pharmacyWork(entry, ctx) {
  const config = await clinicalConfig();
  const [detail, answer] = await Promise.all([apiFetch(`/flow/entries/${entry.id}`),
    apiFetch(`/flow/arrivals/${entry.arrival_id}/prescriptions`), app.records.loadPerson(entry.person.id)]);
  const person = app.records.get(entry.person.id);
  const prescriptions = answer.prescriptions ?? answer;
  const open = prescriptions.filter((rx) => rx.items.some((item) => remaining(item) > 0));
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'pharmacy-form' },
    prescriptions.length ? prescriptions.map(prescriptionCard) : empty(t('flow_pharmacy.none')),
    open.length ? actions(h('button', { type: 'submit', class: 'primary' }, t('flow_pharmacy.dispense'))) : null);
  onSubmit(form, async () => {
    const { bodies, errors } = dispenseBodies(open, formValues(form));
    if (!showErrors(form, errors)) return;
    try {
      for (const body of bodies) {
        await apiFetch(`/flow/entries/${entry.id}/dispense`, { method: 'POST', body });
      }
    } catch (error) {
      ctx.status.fail(error);
      return;
    }
    form.querySelector('button[type=submit]').disabled = true;
    ctx.refresh();
    ctx.status.say(t('flow_pharmacy.dispensed', { name: person?.name ?? entry.person.name }));
  });
  return h('div', { class: 'stack' },
    personHeading(config, person, entry, detail, ctx.points),
    form,
    card(t('flow_desk.next'), h('div', { class: 'actions' }, actionButton(t('flow_desk.done'), async () => {
      await finish(entry);
      ctx.done(t('flow_desk.finished', { ticket: entry.ticket }));
    }, { status: ctx.status, tone: 'primary', testid: 'pharmacy-done' }))));
}

export function flowPharmacyPage({ point }) {
  return flowScreen({ point, kinds: ['pharmacy'], title: t('flow_pharmacy.title') }, pharmacyWork);
}
