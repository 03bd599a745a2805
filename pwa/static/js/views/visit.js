// A visit outside a Posyandu session (Pustu, home visit, Puskesmas): measurements, services
// and immunizations due, ANC/KN/KF contacts for health workers, diagnoses, referral, notes.
// Saved as one encounter; screenings have their own page and encounter.

import { app, hasRole } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { checkMeasurements } from '../validate.js';
import { standaloneSetting } from './screening.js';
import { card, page, personFacts } from './ui.js';
import {
  clusterFor, givenImmunizations, measurementFields, measurementGroup, serviceOptions,
} from './visit-parts.js';

const SETTINGS = ['pustu', 'home', 'posyandu', 'puskesmas', 'fktp'];
const ICD10 = /^[A-Z]\d{2}(\.\d{1,2})?$/;
// Maternal contacts a health worker records as service codes (config/ilp/maternal.json).
const MATERNAL_SERVICE = { anc: 'anc', kn: 'kn', kf: 'kf' };

function diagnosesFrom(text, errors) {
  const codes = (text ?? '').toUpperCase().split(/[\s,;]+/).filter(Boolean);
  const bad = codes.filter((code) => !ICD10.test(code));
  if (bad.length) errors.diagnoses = t('valid.icd10', { codes: bad.join(', ') });
  return codes.map((icd10) => ({ icd10 }));
}

export async function visitForm({ id }) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = db.todayIso();
  const facts = personFacts(config, person, today);
  const group = measurementGroup(facts);
  const options = serviceOptions(config, person, facts, group, today);
  const worker = hasRole('pustu', 'klaster', 'kapus', 'admin', 'fktp');
  const maternalCodes = worker ? [...new Set(options.maternal.map((item) => MATERNAL_SERVICE[item.kind]))] : [];
  const services = [...options.services, ...maternalCodes];
  const form = h('form', { class: 'stack', novalidate: true },
    card(t('visit.when'), h('div', { class: 'row' },
      field({ name: 'setting', label: t('visit.setting'), type: 'select', required: true,
        options: SETTINGS.map((code) => [code, t(`setting.${code}`)]) }),
      field({ name: 'date', label: t('visit.date'), type: 'date', required: true, max: today }))),
    card(t('visit.measurements'), measurementFields(group, facts)),
    card(t('visit.services'),
      options.immunizations.length ? field({ name: 'immunizations', label: t('posyandu.immunizations'), type: 'checkbox-group',
        options: options.immunizations.map((item) => [item.code, item.label]) }) : null,
      services.length ? field({ name: 'services', label: t('posyandu.services'), type: 'checkbox-group',
        options: services.map((code) => [code, t(`service.${code}`)]) }) : null),
    worker ? card(t('visit.diagnoses'), field({ name: 'diagnoses', label: t('visit.icd10'), hint: t('visit.icd10_hint') })) : null,
    card(t('visit.referral'),
      field({ name: 'refer', label: t('posyandu.refer'), type: 'checkbox' }),
      field({ name: 'refer_to', label: t('posyandu.refer_to') }),
      field({ name: 'refer_reason', label: t('posyandu.refer_reason') }),
      field({ name: 'notes', label: t('posyandu.notes'), type: 'textarea', maxlength: 2000 })),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = bindDraft(form, `visit:${id}`, { setting: standaloneSetting(), date: today });
  onSubmit(form, async () => {
    const values = formValues(form);
    const { errors, measured } = checkMeasurements(config, values);
    const diagnoses = worker ? diagnosesFrom(values.diagnoses, errors) : [];
    if (!values.date || values.date > today) errors.date = t('valid.future');
    if (values.refer && !values.refer_to.trim()) errors.refer_to = t('valid.required');
    if (!showErrors(form, errors)) return;
    // Linking the pregnancy makes the visit an ANC contact (maternal.json contact_rule).
    const pregnancy = values.services?.includes('anc')
      ? app.records.childrenOf('pregnancy', id).find((p) => p.status === 'ongoing') : null;
    const immunizations = Object.values(givenImmunizations(options, values.immunizations ?? [], values.date));
    await db.create('encounter', person.desa, {
      person: id, date: values.date, setting: values.setting, provider: app.profile.display_name,
      cluster: clusterFor(facts), pregnancy: pregnancy?._id,
      measurements: Object.keys(measured).length ? measured : undefined,
      immunizations: immunizations.length ? immunizations : undefined,
      services: values.services?.length ? values.services.map((code) => ({ code })) : undefined,
      diagnoses: diagnoses.length ? diagnoses : undefined,
      referral: values.refer ? { to: values.refer_to.trim(), reason: values.refer_reason.trim() || undefined } : undefined,
      notes: values.notes.trim() || undefined,
    });
    draft.clear();
    go(`/person/${id}`);
  });
  return page(t('visit.title'), { back: `#/person/${id}`, lead: person.name }, form);
}
