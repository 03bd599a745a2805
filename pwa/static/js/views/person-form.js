// Register a person (with their household, existing or new) or correct their data. Used from
// Warga and from the Posyandu register step (?session=…), where a saved person joins the queue.

import { app } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors, showWarnings } from '../forms.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { checkHousehold, checkPerson } from '../validate.js';
import { duplicateHint } from './duplicate-hint.js';
import { personWarnings } from './entry-warnings.js';
import { householdFields } from './household.js';
import { joinSession } from './posyandu-queue.js';
import { card, page } from './ui.js';

const HH = 'hh_'; // prefix of the new household's fields, which share names with the person's
const RELATIONS = ['kepala', 'istri', 'suami', 'anak', 'menantu', 'cucu', 'orang_tua', 'mertua', 'famili', 'lainnya'];

function householdLabel(household) {
  const bits = [household.no_kk ? `KK ${household.no_kk}` : null,
    household.rt ? t('household.rt_rw', { rt: household.rt, rw: household.rw ?? '-' }) : null,
    household.address].filter(Boolean);
  return `${household.head_name}${bits.length ? ` · ${bits.join(' · ')}` : ''}`;
}

/** Existing household: a filter box and radio buttons; or the fields of a new one. */
function householdChooser() {
  // The choice lives in a hidden field so a restored draft keeps it even before the
  // filter shows that household again.
  const chosen = h('input', { type: 'hidden', name: 'household' });
  const list = h('div', { class: 'choices stacked', role: 'radiogroup', 'aria-label': t('person.household_pick') });
  const filter = h('input', {
    type: 'search', id: 'household-filter', name: 'household_filter', autocomplete: 'off', placeholder: t('household.filter'),
  });
  const seen = new Map(); // households shown so far: a desk finds them on the server
  let asked = 0;
  const showMatches = async () => {
    asked += 1;
    const ticket = asked;
    const matches = await app.records.findHouseholds(filter.value).catch(() => []);
    if (ticket !== asked) return;
    matches.forEach((hh) => seen.set(hh._id, hh));
    const picked = app.records.get(chosen.value) ?? seen.get(chosen.value);
    if (picked && !matches.some((hh) => hh._id === chosen.value)) matches.unshift(picked);
    list.replaceChildren(...matches.filter(Boolean).map((hh) => h('label', { class: 'choice-option' },
      h('input', {
        type: 'radio', name: 'household_pick', value: hh._id, checked: hh._id === chosen.value,
        onchange: () => { chosen.value = hh._id; },
      }),
      h('span', {}, householdLabel(hh)))));
  };
  filter.addEventListener('input', showMatches);
  const existing = h('div', { class: 'household-existing' },
    h('label', { for: 'household-filter' }, t('household.filter_label')), filter, chosen, list,
    h('p', { class: 'error', 'data-error-for': 'household' }));
  const fresh = h('div', { class: 'household-new' }, householdFields({}, HH));
  const mode = field({
    name: 'household_mode', label: t('person.household'), type: 'radio', required: true,
    options: [['existing', t('person.household_existing')], ['new', t('person.household_new')]], value: 'existing',
  });
  const section = card(t('person.household'), mode, existing, fresh);
  section.addEventListener('change', () => {
    const isNew = section.querySelector('input[name=household_mode]:checked')?.value === 'new';
    existing.hidden = isNew;
    fresh.hidden = !isNew;
    fresh.querySelectorAll('input, select, textarea').forEach((el) => { el.disabled = !isNew; });
    showMatches();
  });
  return section;
}

function personFields(person, household) {
  const mothers = household ? app.records.members(household._id).filter((m) => m.sex === 'P' && m._id !== person._id) : [];
  return card(t('person.identity'),
    field({ name: 'name', label: t('person.name'), required: true, autocomplete: 'off', value: person.name }),
    field({ name: 'sex', label: t('person.sex'), type: 'radio', required: true, value: person.sex,
      options: [['L', t('person.sex.L')], ['P', t('person.sex.P')]] }),
    h('div', { class: 'row' },
      field({ name: 'birth_date', label: t('person.birth_date'), type: 'date', value: person.birth_date, max: db.todayIso() }),
      field({ name: 'age_years', label: t('person.age_years'), type: 'integer', hint: t('person.age_years_hint') })),
    field({ name: 'birth_date_estimated', label: t('person.birth_estimated'), type: 'checkbox', value: person.birth_date_estimated }),
    field({ name: 'nik', label: t('person.nik'), type: 'integer', maxlength: 16, hint: t('person.nik_hint'), value: person.nik }),
    field({ name: 'relation', label: t('person.relation'), type: 'select', value: person.relation,
      options: RELATIONS.map((code) => [code, t(`relation.${code}`)]) }),
    mothers.length ? field({ name: 'mother', label: t('person.mother'), type: 'select', value: person.mother,
      options: mothers.map((m) => [m._id, m.name]) }) : null,
    h('div', { class: 'row' },
      field({ name: 'phone', label: t('person.phone'), type: 'tel', value: person.phone }),
      field({ name: 'jkn', label: t('person.jkn'), type: 'integer', maxlength: 13, value: person.jkn })));
}

/** Saves the form; null when it needs another look (errors, or warnings not yet seen). A
 * warning never blocks: the first save shows it, the second saves as typed. */
async function save(form, { person, household, sessionId }, seen) {
  const values = formValues(form);
  const today = db.todayIso();
  const checked = checkPerson(values, today);
  const errors = { ...checked.errors };
  let newHousehold = null;
  if (!person && !household) {
    if (values.household_mode === 'new') {
      newHousehold = checkHousehold(Object.fromEntries(Object.entries(values)
        .filter(([name]) => name.startsWith(HH)).map(([name, value]) => [name.slice(HH.length), value])));
      for (const [name, message] of Object.entries(newHousehold.errors)) errors[HH + name] = message;
    } else if (!values.household) {
      errors.household = t('person.household_required');
    }
  }
  if (!showErrors(form, errors)) return null;
  // The NIK against the birth date and sex: the data-quality rules, as the review will judge it.
  const found = personWarnings(await clinicalConfig(), {
    person, history: person ? app.records.history(person._id) : [], draft: { ...person, ...checked.fields },
  });
  const warnings = JSON.stringify(found);
  if (warnings !== '{}' && warnings !== seen.warnings) {
    seen.warnings = warnings;
    showWarnings(form, found);
    form.querySelector('.warning-summary').focus();
    return null;
  }
  if (!household && values.household) await app.records.loadHousehold(values.household);
  let target = household ?? app.records.get(values.household);
  if (person) {
    // Only the fields this form shows: household, mother or deceased date stay as they are.
    return db.update(person, Object.fromEntries(Object.entries(checked.fields)
      .filter(([name]) => name in values || name === 'birth_date_estimated')));
  }
  if (newHousehold) {
    const { desa, ...fields } = newHousehold.fields;
    target = await db.create('household', desa, fields);
  }
  const created = await db.create('person', target.desa, { ...checked.fields, household: target._id });
  if (sessionId) await joinSession(sessionId, created._id);
  return created;
}

export function personForm({ id }, query) {
  const person = id ? app.records.get(id) : null;
  const household = app.records.get(person?.household ?? query.household) ?? null;
  const sessionId = query.session;
  const form = h('form', { class: 'stack', novalidate: true },
    personFields(person ?? {}, household),
    person ? null : duplicateHint(household), // "Mungkin sudah terdaftar", from local records
    person || household
      ? card(t('person.household'), h('p', {}, household ? householdLabel(household) : '—'))
      : householdChooser(),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draftName = person ? `person-edit:${person._id}` : `person-new:${household?._id ?? ''}`;
  const draft = bindDraft(form, draftName, person ? { ...person } : { household_mode: 'existing' });
  const seen = { warnings: null };
  onSubmit(form, async () => {
    const saved = await save(form, { person, household, sessionId }, seen);
    if (!saved) return;
    draft.clear();
    // From the Puskesmas loket (views/flow-loket.js): back to register the new person's arrival.
    if (query.loket && !person) go(`/flow/loket?person=${encodeURIComponent(saved._id)}`);
    else go(sessionId ? `/posyandu/${sessionId}/daftar` : `/person/${saved._id}`);
  });
  const back = query.loket ? '#/flow/loket' : sessionId ? `#/posyandu/${sessionId}/daftar`
    : person ? `#/person/${person._id}` : '#/persons';
  return page(t(person ? 'person.edit_title' : 'person.new_title'), { back }, form);
}
