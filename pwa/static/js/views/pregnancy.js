// Register a pregnancy (HPHT, gravida/para/abortus): from then on the due list carries the
// ANC contacts and the person page the pregnancy card.

import { app } from '../app.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { card, page } from './ui.js';

function count(values, name, errors, low) {
  if (!values[name]) return undefined;
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < low || value > 20) errors[name] = t('valid.integer_range', { min: low, max: 20 });
  return value;
}

/** The pregnancy `?edit=<id>` names (a correction asked by the Puskesmas), or null. */
function editedPregnancy(personId, query) {
  const held = query?.edit ? app.records.get(query.edit) : null;
  return held?.type === 'pregnancy' && held.person === personId ? held : null;
}

export function pregnancyForm({ id }, query = {}) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  const edited = editedPregnancy(id, query);
  if (query.edit && !edited) return page(t('common.not_found'), { back: `#/person/${id}` });
  const today = db.todayIso();
  const form = h('form', { class: 'stack', novalidate: true },
    card(null,
      field({ name: 'hpht', label: t('pregnancy.hpht'), type: 'date', required: true, max: today, hint: t('pregnancy.hpht_hint') }),
      h('div', { class: 'row' },
        field({ name: 'gravida', label: t('pregnancy.gravida'), type: 'integer' }),
        field({ name: 'para', label: t('pregnancy.para'), type: 'integer' }),
        field({ name: 'abortus', label: t('pregnancy.abortus'), type: 'integer' }))),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = edited
    ? bindDraft(form, `pregnancy:${id}:${edited._id}`, {
      hpht: edited.hpht ?? '', gravida: edited.gravida ?? '', para: edited.para ?? '', abortus: edited.abortus ?? '',
    })
    : bindDraft(form, `pregnancy:${id}`);
  onSubmit(form, async () => {
    const values = formValues(form);
    const errors = {};
    if (!values.hpht) errors.hpht = t('valid.required');
    else if (values.hpht > today) errors.hpht = t('valid.future');
    const fields = {
      person: id, hpht: values.hpht, status: edited?.status ?? 'ongoing',
      gravida: count(values, 'gravida', errors, 1), para: count(values, 'para', errors, 0),
      abortus: count(values, 'abortus', errors, 0),
    };
    if (!showErrors(form, errors)) return;
    if (edited) await db.update(edited, fields);
    else await db.create('pregnancy', person.desa, fields);
    draft.clear();
    go(`/person/${id}`);
  });
  return page(t(edited ? 'correction.pregnancy_title' : 'pregnancy.new'), { back: `#/person/${id}`, lead: person.name }, form);
}
