// Keluarga: a household's page (members, PIS-PK is elsewhere) and its registration form.

import { app, canWrite } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { checkHousehold } from '../validate.js';
import { householdReminders } from './household-reminders.js';
import { desaOptions, placeName, posyanduOptions } from './places.js';
import { card, empty, linkButton, page, personLine } from './ui.js';

/** The fields of a household; `prefix` keeps them apart inside the person form. */
export function householdFields(household, prefix = '') {
  const desa = desaOptions();
  return [
    field({ name: `${prefix}head_name`, label: t('household.head_name'), required: true, value: household.head_name }),
    field({ name: `${prefix}no_kk`, label: t('household.no_kk'), type: 'integer', maxlength: 16, value: household.no_kk,
      hint: t('household.no_kk_hint') }),
    field({ name: `${prefix}address`, label: t('household.address'), value: household.address }),
    h('div', { class: 'row' },
      field({ name: `${prefix}rt`, label: t('household.rt'), type: 'integer', maxlength: 3, value: household.rt }),
      field({ name: `${prefix}rw`, label: t('household.rw'), type: 'integer', maxlength: 3, value: household.rw }),
      field({ name: `${prefix}dusun`, label: t('household.dusun'), value: household.dusun })),
    desa.length > 1 || !household._id
      ? field({ name: `${prefix}desa`, label: t('household.desa'), type: 'select', required: true,
        options: desa, value: household.desa ?? (desa.length === 1 ? desa[0][0] : undefined) })
      : null,
    field({ name: `${prefix}posyandu`, label: t('household.posyandu'), type: 'select', options: posyanduOptions(),
      value: household.posyandu }),
    field({ name: `${prefix}phone`, label: t('household.phone'), type: 'tel', value: household.phone }),
  ];
}

export async function householdPage({ id }) {
  const household = app.records.get(id);
  if (!household) return page(t('common.not_found'), { back: '#/persons' });
  const config = await clinicalConfig();
  const members = app.records.members(id).sort((a, b) => a.birth_date.localeCompare(b.birth_date));
  const details = [
    household.no_kk ? `KK ${household.no_kk}` : t('household.no_kk_missing'),
    household.address,
    household.rt ? t('household.rt_rw', { rt: household.rt, rw: household.rw ?? '-' }) : null,
    household.dusun, placeName(household.posyandu),
  ].filter(Boolean);
  return page(t('household.title', { name: household.head_name }), {
    back: '#/persons',
    lead: details.join(' · '),
    actions: canWrite('household') ? [
      linkButton(`#/household/${id}/edit`, t('common.edit')),
      linkButton(`#/person/new?household=${id}`, t('household.add_member'), 'primary'),
    ] : [],
  }, card(t('household.members', { n: members.length }),
    members.length ? h('ul', { class: 'results' }, members.map((person) => h('li', { class: 'result' },
      h('a', { class: 'result-main', href: `#/person/${person._id}` }, personLine(config, person)))))
      : empty(t('household.no_members'))),
  householdReminders(household));
}

export function householdForm({ id }) {
  const household = app.records.get(id) ?? {};
  const form = h('form', { class: 'stack', novalidate: true },
    card(null, householdFields(household)),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = bindDraft(form, `household-edit:${id}`, household);
  onSubmit(form, async () => {
    const { errors, fields } = checkHousehold({ desa: household.desa, ...formValues(form) });
    if (!showErrors(form, errors)) return;
    const saved = await db.update(household, fields);
    draft.clear();
    go(`/household/${saved._id}`);
  });
  return page(t('household.edit_title'), { back: `#/household/${id}` }, form);
}
