// Past doses from the Buku KIA: a date field for every dose of the person's immunization
// series that has no record yet, saved as one encounter whose immunizations carry their own
// dates. The clinical evaluator (pastDoses) decides which doses are open and whether the
// dates can be true; one impossible date and nothing is stored.

import { app } from '../app.js';
import { pastDoses } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import * as db from '../db.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import {
  actions, field, onSubmit, showErrors,
} from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { go } from '../router.js';
import { standaloneSetting } from './screening.js';
import { card, empty, page } from './ui.js';

/** The slots grouped by vaccine, in schedule order. */
function byVaccine(slots) {
  const groups = new Map();
  for (const slot of slots) groups.set(slot.vaccine, [...(groups.get(slot.vaccine) ?? []), slot]);
  return [...groups.values()];
}

function doseFields(slots, birthDate, today) {
  return byVaccine(slots).map((group) => card(null, h('div', { class: 'row' }, group.map((slot) => field({
    name: slot.code, label: slot.label, type: 'date', min: birthDate, max: today,
    hint: t('past.earliest', { date: formatDate(slot.earliest) }),
  })))));
}

/** {field: message} for each problem; a dose's problem names the other dose by its label. */
function problemMessages(problems, slots, config) {
  const labels = new Map(config.immunization.doses.map((dose) => [dose.code, dose.label]));
  return Object.fromEntries(problems.map((problem) => [problem.code, t(`past.problem.${problem.problem}`, {
    other: labels.get(problem.other) ?? '', date: problem.earliest ? formatDate(problem.earliest) : '',
  })]));
}

export async function pastDosesForm({ id }) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = db.todayIso();
  const history = () => app.records.history(id);
  const { slots } = pastDoses(config, { person, history: history(), date: today });
  const head = { back: `#/person/${id}`, lead: person.name };
  if (!slots.length) return page(t('past.title'), head, card(null, empty(t('past.none'))));
  const form = h('form', { class: 'stack past-doses', novalidate: true, 'data-testid': 'past-doses' },
    h('p', {}, t('past.lead')),
    doseFields(slots, person.birth_date, today),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save'))));
  const draft = bindDraft(form, `past-doses:${id}`);
  onSubmit(form, async () => {
    const doses = Object.fromEntries(slots.map((slot) => [slot.code, formValues(form)[slot.code]]));
    const result = pastDoses(config, { person, history: history(), date: today, doses });
    if (!result.problems.length && !result.immunizations.length) {
      showErrors(form, { [slots[0].code]: t('past.nothing') });
      return;
    }
    if (!showErrors(form, problemMessages(result.problems, slots, config), t('past.fix'))) return;
    await db.create('encounter', person.desa, {
      person: id, date: today, setting: standaloneSetting(), provider: app.profile.display_name,
      immunizations: result.immunizations, notes: t('past.saved_note'),
    });
    draft.clear();
    go(`/person/${id}`);
  });
  return page(t('past.title'), head, form);
}
