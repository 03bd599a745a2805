// The sections of a visit form that the Pustu visit (visit.js) and the Puskesmas cluster desk
// (flow-desk.js) share: what the person's group is measured for, the services and
// immunizations due, diagnoses by name, the findings component fed with what the form would
// store, and how those clinical parts of the encounter are read from the form and checked.

import { app } from '../app.js';
import { h } from '../dom.js';
import { formValues } from '../drafts.js';
import { field } from '../forms.js';
import { t } from '../i18n.js';
import { icd10Name } from '../icd10.js';
import { checkMeasurements } from '../validate.js';
import { entryWarningsNote } from './entry-warnings.js';
import { findingsPanel } from './findings-panel.js';
import { icd10Picker } from './icd10-picker.js';
import { card, personFacts } from './ui.js';
import { givenImmunizations, measurementFields, measurementGroup, serviceOptions } from './visit-parts.js';

/** What a health worker's (`worker`) visit of `person` on `today` offers: life-stage facts,
 * measurement group, due services, the ICD-10 picker, the findings panel and the entry
 * warnings, over the person's history. `maternal`: the KN/KF kinds offered as services. */
export function visitSetup(config, person, today, { worker }) {
  const facts = personFacts(config, person, today);
  const group = measurementGroup(facts);
  const options = serviceOptions(config, person, facts, group, today);
  // KN / KF stay due-driven; ANC has its own card whenever a pregnancy is ongoing.
  const maternal = worker ? [...new Set(options.maternal.map((item) => item.kind))].filter((kind) => kind !== 'anc') : [];
  const history = app.records.history(person._id);
  return {
    facts, group, options, history, worker,
    services: [...options.services, ...maternal],
    picker: worker ? icd10Picker() : null,
    panel: findingsPanel(config, { person, history, worker }),
    warnings: entryWarningsNote(config, { person, history }),
  };
}

export function measurementsCard(setup) {
  return card(t('visit.measurements'), measurementFields(setup.group, setup.facts));
}

/** Immunizations and services due, as checkboxes; null when there is nothing to offer. */
export function servicesCard({ options, services }) {
  if (!options.immunizations.length && !services.length) return null;
  return card(t('visit.services'),
    options.immunizations.length ? field({ name: 'immunizations', label: t('posyandu.immunizations'), type: 'checkbox-group',
      options: options.immunizations.map((item) => [item.code, item.label]) }) : null,
    services.length ? field({ name: 'services', label: t('posyandu.services'), type: 'checkbox-group',
      options: services.map((code) => [code, t(`service.${code}`)]) }) : null);
}

export function diagnosesCard({ picker }) {
  return picker ? card(t('visit.diagnoses'), picker.element) : null;
}

/** The encounter the form would store now, for the findings component. */
export function draftEncounter(config, values) {
  const { measured } = checkMeasurements(config, values);
  return {
    date: values.date, setting: values.setting, measurements: measured,
    referral: values.refer && values.refer_to ? { to: values.refer_to, reason: values.refer_reason || undefined } : undefined,
  };
}

/** The measurements' and the diagnosis field's errors, and the measurements as stored. */
export function checkClinical(config, values, picker) {
  const { errors, measured } = checkMeasurements(config, values);
  const problem = picker?.problem();
  if (problem) errors.diagnoses = problem;
  return { errors, measured };
}

/** Measurements, immunizations, services (with `extra` codes such as ANC) and diagnoses of
 * the encounter, each left out when empty. */
export function clinicalFields({ options, picker }, values, measured, extra = []) {
  const services = [...(values.services ?? []), ...extra];
  const immunizations = Object.values(givenImmunizations(options, values.immunizations ?? [], values.date));
  const diagnoses = (picker?.codes() ?? []).map((icd10) => ({ icd10, text: icd10Name(icd10) ?? undefined }));
  return {
    measurements: Object.keys(measured).length ? measured : undefined,
    immunizations: immunizations.length ? immunizations : undefined,
    services: services.length ? services.map((code) => ({ code })) : undefined,
    diagnoses: diagnoses.length ? diagnoses : undefined,
  };
}

/** The findings panel and entry warnings followed live from the form's values; `fixed`:
 * values the form does not ask for (the desk's date and setting). */
export function followFindings(form, config, setup, fixed = {}) {
  const update = () => {
    const encounter = draftEncounter(config, { ...formValues(form), ...fixed });
    setup.panel.update(encounter);
    setup.warnings.update(encounter);
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  return h('div', { class: 'stack' }, setup.panel.element, setup.warnings.element);
}
