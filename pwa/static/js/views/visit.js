// A visit outside a Posyandu session (Pustu, home visit, Puskesmas): measurements with what
// they mean as they are typed (the shared findings component), an ANC contact at any time of
// an ongoing pregnancy, services and immunizations due, diagnoses by name, referral, notes.
// Saved as one encounter; the server derives the follow-up tasks from it.

import { app, hasRole } from '../app.js';
import { pregnancyDating } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { correctionFields, correctionValues } from '../corrections.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { go } from '../router.js';
import { panelState } from './findings-panel.js';
import { standaloneSetting } from './screening.js';
import { card, page } from './ui.js';
import { duplicateVisit, outsideArea, visitCluster } from './visit-parts.js';
import {
  checkClinical, clinicalFields, diagnosesCard, draftEncounter, measurementsCard, servicesCard, visitSetup,
} from './visit-sections.js';

const SETTINGS = ['pustu', 'home', 'posyandu', 'puskesmas', 'fktp'];
const REFER_TO = ['Pustu', 'Puskesmas'];

/** The ongoing pregnancy an ANC contact of this visit would count for, or null. */
export function ongoingPregnancy(personId) {
  return app.records.childrenOf('pregnancy', personId).find((p) => p.status === 'ongoing') ?? null;
}

/** "Usia kehamilan 21 minggu 0 hari", or null when the HPHT cannot be dated on `date`. */
function gestation(config, pregnancy, date) {
  try {
    const { weeks, days } = pregnancyDating(config, { hpht: pregnancy.hpht, date }).gestational_age;
    return t('visit.gestation', { weeks, days });
  } catch {
    return null;
  }
}

/** ANC at any time of the pregnancy (maternal.json: an encounter that links the pregnancy
 * counts as a contact), not only when a K contact is due. */
export function pregnancyCard(config, pregnancy, options, today) {
  const due = options.maternal.filter((item) => item.kind === 'anc').map((item) => item.label);
  return card(t('visit.pregnancy'),
    h('p', {}, [gestation(config, pregnancy, today), due.length ? t('visit.anc_due', { list: due.join(', ') }) : null]
      .filter(Boolean).join(' · ')),
    field({ name: 'anc', label: t('visit.anc'), type: 'checkbox', hint: t('visit.anc_hint') }));
}

function referralCard() {
  return card(t('visit.referral'),
    field({ name: 'refer', label: t('posyandu.refer'), type: 'checkbox' }),
    h('p', { class: 'hint refer-suggestion', 'data-testid': 'refer-suggestion', hidden: true }),
    h('div', { class: 'row' },
      field({ name: 'refer_to', label: t('posyandu.refer_to'), type: 'select', options: REFER_TO.map((to) => [to, to]) }),
      field({ name: 'refer_reason', label: t('posyandu.refer_reason'), maxlength: 300 })),
    field({ name: 'notes', label: t('posyandu.notes'), type: 'textarea', maxlength: 2000 }));
}

/** Live: re-evaluate the findings and suggest the referral: ticked for the user while a
 * finding calls for it (untick again when a corrected value no longer does), until the user
 * ticks or unticks it themselves. The suggestion is judged without the referral itself, which
 * would otherwise take over the follow-ups it is suggested by. */
function watchFindings(form, ctx, panel, restored) {
  const { config, person, history, worker, warnings } = ctx;
  const suggestion = form.querySelector('.refer-suggestion');
  const refer = form.elements.refer;
  let decided = restored; // a restored draft holds the user's own choice
  // 'input' comes before the form's own listeners see the new state, like 'change' after it.
  for (const type of ['input', 'change']) refer.addEventListener(type, (event) => { if (event.isTrusted) decided = true; });
  const evaluate = () => {
    const encounter = draftEncounter(config, formValues(form));
    panel.update(encounter);
    warnings.update(encounter);
    return panelState(config, { person, history, worker, encounter: { ...encounter, referral: undefined } }).referral;
  };
  const update = () => {
    const suggested = evaluate();
    suggestion.hidden = !suggested;
    if (suggested) suggestion.textContent = t('visit.refer_suggested', { to: suggested.to });
    if (decided || refer.checked === Boolean(suggested)) return;
    refer.checked = Boolean(suggested);
    if (suggested && !form.elements.refer_to.value) form.elements.refer_to.value = suggested.to;
    evaluate();
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  return update;
}

function checkVisit(ctx, values) {
  const { config, person, today, setup } = ctx;
  const { errors, measured } = checkClinical(config, values, setup.picker);
  if (!values.date || values.date > today) errors.date = t('valid.future');
  if (values.refer && !values.refer_to) errors.refer_to = t('valid.required');
  if (values.refer && outsideArea(person, app.profile.scopes)) errors.refer = t('visit.refer_outside');
  return { errors, measured };
}

function encounterFields(ctx, values, measured) {
  const {
    config, person, pregnancy, setup,
  } = ctx;
  const anc = Boolean(pregnancy && values.anc);
  const { measurements, immunizations, services, diagnoses } = clinicalFields(setup, values, measured, anc ? ['anc'] : []);
  return {
    person: person._id, date: values.date, setting: values.setting, provider: app.profile.display_name,
    cluster: visitCluster(config, person, values.date), pregnancy: anc ? pregnancy._id : undefined,
    measurements, immunizations, services, diagnoses,
    referral: values.refer ? { to: values.refer_to, reason: values.refer_reason.trim() || undefined } : undefined,
    notes: values.notes.trim() || undefined,
  };
}

/** Correction mode (`?corrects=<encounter>`, from a correction task): the form starts from
 * the visit it corrects and saves a NEW visit with `corrects` (visits are written once). */
function correctionOf(person, query) {
  if (!query?.corrects) return { original: null };
  const original = app.records.get(query.corrects);
  const ok = original?.type === 'encounter' && original.person === person._id;
  return { original: ok ? original : null, missing: !ok };
}

function correctionNotice(original) {
  return original ? h('p', { class: 'notice warn', 'data-testid': 'visit-correcting' },
    t('correction.visit_notice', { date: formatDate(original.date) })) : null;
}

export async function visitForm({ id }, query = {}) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  const { original, missing } = correctionOf(person, query);
  if (missing) return page(t('correction.visit_missing'), { back: `#/person/${id}` });
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = db.todayIso();
  const worker = hasRole('pustu', 'klaster', 'kapus', 'admin', 'fktp');
  const setup = visitSetup(config, person, today, { worker });
  const pregnancy = worker ? ongoingPregnancy(id) : null;
  const { history, panel, warnings } = setup;
  const ctx = { config, person, pregnancy, today, history, worker, warnings, setup };
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'visit-form' },
    card(t('visit.when'), h('div', { class: 'row' },
      field({ name: 'setting', label: t('visit.setting'), type: 'select', required: true,
        options: SETTINGS.map((code) => [code, t(`setting.${code}`)]) }),
      field({ name: 'date', label: t('visit.date'), type: 'date', required: true, max: today }))),
    measurementsCard(setup),
    panel.element,
    warnings.element,
    pregnancy ? pregnancyCard(config, pregnancy, setup.options, today) : null,
    servicesCard(setup),
    diagnosesCard(setup),
    referralCard(),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = original ? bindDraft(form, `visit:${id}:${original._id}`, correctionValues(original))
    : bindDraft(form, `visit:${id}`, { setting: standaloneSetting(), date: today });
  watchFindings(form, ctx, panel, draft.restored)();
  onSubmit(form, async () => {
    const values = formValues(form);
    const { errors, measured } = checkVisit(ctx, values);
    if (!showErrors(form, errors)) return;
    const typed = encounterFields(ctx, values, measured);
    const fields = original ? correctionFields(original, typed) : typed;
    const same = original ? null : duplicateVisit(app.records.encounters(id), fields);
    if (same) {
      showErrors(form, { visit: t('visit.duplicate', { date: formatDate(same.date) }) }, t('form.not_saved'));
      return;
    }
    await db.create('encounter', person.desa, fields);
    draft.clear();
    go(`/person/${id}`);
  });
  return page(t(original ? 'correction.visit_title' : 'visit.title'), { back: `#/person/${id}`, lead: person.name },
    correctionNotice(original), form);
}
