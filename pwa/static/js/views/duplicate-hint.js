// "Mungkin sudah terdaftar": while a new person is being registered, the persons of this
// tablet's own records who may be the same person, so the kader opens the existing record
// instead of registering a duplicate. Offline, from the local records only; it never blocks
// saving (Community Health Toolkit's duplicate prevention works the same way). The score is
// config/ilp/duplicates.json through the evaluator (clinical/duplicates.js); docs/review.md.

import { app } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { duplicateCandidates } from '../clinical/duplicates.js';
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';

const WAIT_MS = 250; // after the last keystroke: a scan of a desa's persons costs a few ms

/** A stored person as the evaluator compares it: the mother by name, the family's no. KK. */
export function personSummary(records, person) {
  return {
    id: person._id,
    name: person.name,
    sex: person.sex,
    birth_date: person.birth_date,
    birth_date_estimated: Boolean(person.birth_date_estimated),
    nik: person.nik || null,
    no_kk: records.get(person.household)?.no_kk || null,
    desa: person.desa,
    mother: records.get(person.mother)?.name || null,
    household: person.household || null,
  };
}

/** The registration form's values as a person summary: the family chosen (or given), or the
 * new family's no. KK and desa. Empty fields stay empty: they count neither way. */
export function draftSummary(records, values, { household = null, desa = null } = {}) {
  const family = household ?? (values.household_mode === 'new' ? null : records.get(values.household));
  return {
    name: values.name?.trim() || null,
    sex: values.sex || null,
    birth_date: values.birth_date || null,
    birth_date_estimated: Boolean(values.birth_date_estimated),
    nik: values.nik?.trim() || null,
    no_kk: family ? family.no_kk || null : values.hh_no_kk?.trim() || null,
    desa: family?.desa ?? (values.hh_desa || desa),
    mother: records.get(values.mother)?.name || null,
    household: family?._id ?? null,
  };
}

/** Up to `threshold.hint_max` local persons the draft may be, best first, each with its
 * family and the reasons in words: [{person, household, score, reasons: [label]}]. */
export function hintFor(config, records, draft) {
  if (!draft.name && !draft.nik) return [];
  const persons = records.all('person').filter((person) => !person.merged_into && !person._deleted)
    .map((person) => personSummary(records, person));
  const labels = new Map(config.duplicates.evidence.map((item) => [item.code, item.label]));
  return duplicateCandidates(config, draft, persons).map((found) => {
    const person = records.get(found.id);
    return {
      person,
      household: records.get(person.household),
      score: found.score,
      // Only what speaks for the same person: "Nama mirip", not "NIK berbeda".
      reasons: found.reasons.filter((code) => config.duplicates.evidence
        .find((item) => item.code === code).weight > 0).map((code) => labels.get(code)),
    };
  });
}

function candidateItem(found) {
  const { person, household } = found;
  const bits = [formatDate(person.birth_date), household ? t('dups.family', { name: household.head_name }) : null];
  return h('li', {},
    h('a', { href: `#/person/${person._id}` }, person.name),
    ` · ${bits.filter(Boolean).join(' · ')}`,
    h('br'),
    h('span', { class: 'hint' }, t('dups.why', { reasons: found.reasons.join(', ') })));
}

/** The hint box of the registration form (new persons only): it watches its form's fields
 * once it is inside one, and stays hidden while nobody matches. */
export function duplicateHint(household = null) {
  const list = h('ul', {});
  const box = h('aside', { class: 'notice warn duplicate-hint', hidden: true, 'aria-live': 'polite' },
    h('strong', {}, t('dups.title')), list, h('p', { class: 'hint' }, t('dups.note')));
  let timer = null;
  const refresh = async (form) => {
    const config = await clinicalConfig().catch(() => null);
    if (!config) return;
    const values = Object.fromEntries(new FormData(form).entries());
    values.birth_date_estimated = form.elements.birth_date_estimated?.checked;
    const draft = draftSummary(app.records, values, { household, desa: app.profile?.scopes?.[0] });
    const found = hintFor(config, app.records, draft);
    list.replaceChildren(...found.map(candidateItem));
    box.hidden = found.length === 0;
  };
  queueMicrotask(() => {
    const form = box.closest('form');
    if (!form) return;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => refresh(form), WAIT_MS);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    later(); // a restored draft shows its hint at once
  });
  return box;
}
