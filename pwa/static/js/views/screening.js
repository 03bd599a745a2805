// Screening questionnaires (SRQ-20, PUMA, AKS, SKILAS, TBC, KPSP, SDQ, merokok) drawn from
// config/ilp/instruments.json and scored by the clinical evaluator as the user answers.

import { app } from '../app.js';
import {
  askedItems, ClinicalInputError, kpspForm, scoreInstrument,
} from '../clinical/index.js';
import { TONE_OK } from '../clinical/findings.js';
import { clinicalConfig } from '../clinical-config.js';
import * as db from '../db.js';
import { h, replace } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, parseDecimal, showErrors } from '../forms.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { go } from '../router.js';
import { followUpLine, panelState } from './findings-panel.js';
import { badge, card, page } from './ui.js';
import { visitCluster } from './visit-parts.js';

const YES_NO = () => [['true', t('common.yes')], ['false', t('common.no')]];

function scaleOptions(text, [low, high], separator) {
  const labelled = (text ?? '').split(separator).map((part) => /^\s*(\d+)\s+(.+?)\s*$/.exec(part)).filter(Boolean);
  if (labelled.length) return labelled.map(([, value, label]) => [value, `${value} · ${label}`]);
  return Array.from({ length: high - low + 1 }, (_, i) => [String(low + i), String(low + i)]);
}

/** A KPSP item's domain, and the printed form's picture when the question points at one. */
function itemHint(spec, item) {
  const domain = spec.item_domains?.[item.domain];
  if (!domain) return null;
  return item.picture ? `${domain} · ${t('screening.kpsp_picture')}` : domain;
}

/** Every question of an instrument as {id, text, kind, options, group, hint}. */
export function questions(spec) {
  const yesNo = (item, group = null) => ({
    id: item.id, text: item.prompt ? `${item.text} ${item.prompt}` : item.text, kind: 'yes_no',
    options: YES_NO(), group, hint: itemHint(spec, item),
  });
  switch (spec.type) {
    case 'count_yes':
      return spec.items.map((item) => yesNo(item));
    case 'domains':
      return spec.domains.flatMap((domain) => domain.items.map((item) => yesNo(item, domain.label)));
    case 'tb_symptoms':
      return ['main', 'additional', 'modifiers']
        .flatMap((group) => spec[group].map((item) => yesNo(item, t(`screening.tb.${group}`))));
    case 'subscale_sum':
      return spec.items.map((item) => ({ id: item.id, text: item.text, kind: 'scale',
        options: scaleOptions(spec.scale_note, spec.scale, ',') }));
    default: // sum
      return spec.items.map((item) => {
        if (item.derive) return { id: item.id, text: item.text, kind: 'derived' };
        if (item.scale === 'yes_no') return yesNo(item);
        if (item.scale === 'number') return { id: item.id, text: item.text, kind: 'number' };
        return { id: item.id, text: item.text, kind: 'scale', options: scaleOptions(item.options, item.scale, ';') };
      });
  }
}

function answersFrom(values, items) {
  const answers = {};
  for (const item of items) {
    const raw = values[`q_${item.id}`];
    if (item.kind === 'derived' || raw === undefined || raw === '') continue;
    if (item.kind === 'yes_no') answers[item.id] = raw === 'true';
    else if (item.kind === 'number') answers[item.id] = parseDecimal(raw);
    else answers[item.id] = Number(raw);
  }
  return answers;
}

function domainLabels(spec, codes) {
  return codes.map((code) => spec.domains.find((domain) => domain.id === code)?.label ?? code).join(', ');
}

/**
 * The KPSP form for the child's age on `date` ({spec with the form's items, form, heading}),
 * or {refusal} when no form fits (under 3 or over 72 months): then nothing can be saved.
 */
function formForAge(config, spec, person, date) {
  try {
    const form = kpspForm(config, { birth_date: person.birth_date ?? null, date });
    return {
      spec: { ...spec, items: form.items }, form: form.form,
      heading: t('screening.kpsp_form', { form: form.form, age: form.age_months }),
    };
  } catch (error) {
    if (!(error instanceof ClinicalInputError)) throw error;
    const ages = spec.forms.map((form) => form.months);
    const key = error.field === 'age' ? 'screening.kpsp_no_form' : 'screening.kpsp_no_birth_date';
    return { refusal: t(key, { from: ages[0], to: ages[ages.length - 1] }) };
  }
}

/** Hides the questions the form skips for these answers (drops their answers); returns those it asks. */
function showAsked(form, spec, asked, answers) {
  const ids = askedItems(spec, answers);
  for (const item of asked) {
    const skipped = !ids.includes(item.id);
    form.querySelector(`[name="q_${item.id}"]`).closest('.field').hidden = skipped;
    if (skipped) delete answers[item.id];
  }
  return asked.filter((item) => ids.includes(item.id));
}

/** A screening result's colour: refer is bad, "meragukan"-like results a warning. */
export function screeningTone({ refer, result }) {
  if (refer) return 'bad';
  return TONE_OK.has(result) ? 'ok' : 'warn';
}

function resultPanel(spec, scored, answered, total) {
  if (!scored) {
    return [h('p', {}, t('screening.progress', { n: answered, total }))];
  }
  return [
    h('p', { class: 'score' }, t('screening.score', { score: formatNumber(scored.score, 1) })),
    h('p', {}, badge(scored.label, screeningTone(scored))),
    scored.refer ? h('p', { class: 'refer-note' }, t('screening.refer')) : null,
    scored.urgent ? h('p', { class: 'refer-note urgent' }, spec.urgent_note) : null,
    scored.positive_domains?.length
      ? h('p', {}, t('screening.domains', { list: domainLabels(spec, scored.positive_domains) })) : null,
    scored.domains_not_met?.length ? h('p', {}, t('screening.kpsp_not_met', {
      list: scored.domains_not_met.map((code) => spec.item_domains[code]).join(', '),
    })) : null,
  ];
}

/**
 * A questionnaire form. onSave receives the encounter's screening entry
 * {instrument, answers, score, result} and may return a message refusing the save (the same
 * screening already recorded); `draftName` keeps half-done answers.
 */
export function screeningForm(config, instrument, { person, date, draftName, onSave, submitLabel }) {
  let spec = config.instruments.instruments[instrument];
  let formHeading = null;
  if (spec.forms) {
    const chosen = formForAge(config, spec, person, date);
    if (chosen.refusal) return h('p', { class: 'refer-note', role: 'alert', 'data-testid': 'screening-refused' }, chosen.refusal);
    ({ spec, heading: formHeading } = chosen);
    draftName = `${draftName}:${chosen.form}`; // another form's answers never fill this one
  }
  const items = questions(spec);
  const asked = items.filter((item) => item.kind !== 'derived');
  const result = h('div', { class: 'screening-result', 'aria-live': 'polite', 'data-testid': 'screening-result' });
  let groupShown = null;
  const body = items.map((item, index) => {
    const heading = item.group && item.group !== groupShown ? h('h3', {}, item.group) : null;
    groupShown = item.group ?? groupShown;
    const label = `${index + 1}. ${item.text}`;
    if (item.kind === 'derived') return [heading, h('p', { class: 'derived' }, label, ' — ', t('screening.derived'))];
    if (item.kind === 'number') return [heading, field({ name: `q_${item.id}`, label, type: 'decimal', required: true })];
    return [heading, field({
      name: `q_${item.id}`, label, type: 'radio', required: true, options: item.options, hint: item.hint ?? undefined,
    })];
  });
  const form = h('form', { class: 'stack screening', novalidate: true },
    formHeading ? h('h2', { 'data-testid': 'screening-form-age' }, formHeading) : null,
    spec.period ? h('p', { class: 'lead' }, t('screening.period', { period: spec.period })) : null,
    body, result,
    actions(h('button', { type: 'submit', class: 'primary' }, submitLabel ?? t('screening.save'))));
  const score = () => {
    const answers = answersFrom(formValues(form), asked);
    const shown = showAsked(form, spec, asked, answers);
    const answered = Object.keys(answers).length;
    let scored = null;
    if (answered === shown.length) {
      try {
        scored = scoreInstrument(config, { instrument, answers, sex: person.sex, birth_date: person.birth_date, date });
      } catch {
        scored = null; // e.g. pack-years out of range: the field check says why on save
      }
    }
    replace(result, resultPanel(spec, scored, answered, shown.length), followUpNotes(config, person, date, instrument, answers, scored));
    return { answers, scored, shown };
  };
  form.addEventListener('change', score);
  form.addEventListener('input', score);
  const draft = bindDraft(form, draftName);
  score();
  onSubmit(form, async () => {
    const { answers, scored, shown } = score();
    const errors = {};
    for (const item of shown) {
      if (!(item.id in answers) || Number.isNaN(answers[item.id])) errors[`q_${item.id}`] = t('screening.unanswered');
    }
    if (!Object.keys(errors).length && !scored) errors[`q_${asked[0].id}`] = t('screening.cannot_score');
    if (!showErrors(form, errors)) return;
    const entry = { instrument, answers, score: scored.score, result: scored.result, label: scored.label, refer: scored.refer };
    const problem = await onSave(entry);
    if (problem) {
      showErrors(form, { screening: problem }, t('form.not_saved'));
      return;
    }
    draft.clear();
  });
  return form;
}

/** The screening entry as the encounter schema stores it. */
export function screeningEntry({ instrument, answers, score, result }) {
  return { instrument, answers, score, result };
}

/** The follow-up a scored result leads to (a task for the Pustu, a referral), as the server
 * will derive it from the saved encounter: shown under the result before the user saves. */
function followUpNotes(config, person, date, instrument, answers, scored) {
  if (!scored) return null;
  const state = panelState(config, {
    person, encounter: { date, screenings: [{ instrument, answers, result: scored.result }] },
    history: app.records?.history(person._id) ?? [],
  });
  if (!state.followUps.length) return null;
  return h('ul', { class: 'followups', 'data-testid': 'screening-followups' },
    state.followUps.map((f) => h('li', {}, f.urgent ? badge(t('followup.urgent'), 'bad') : null, ' ', followUpLine(f))));
}

/** Whether an encounter of `date` already holds this instrument: a second save of the same
 * screening (double tap, back button) must not store it twice. */
export function alreadyScreened(encounters, instrument, date) {
  return encounters.some((enc) => enc.date === date && !enc._deleted
    && (enc.screenings ?? []).some((entry) => entry.instrument === instrument));
}

export function standaloneSetting() {
  return { pustu: 'pustu', kader: 'home', fktp: 'fktp' }[app.profile.role] ?? 'puskesmas';
}

/** A screening on its own, outside a Posyandu session: saved as a new encounter. */
export async function screeningPage({ id, instrument }) {
  const person = app.records.get(id);
  const config = await clinicalConfig();
  const spec = config.instruments.instruments[instrument];
  if (!person || !spec) return page(t('common.not_found'), { back: '#/persons' });
  const date = db.todayIso();
  const form = screeningForm(config, instrument, {
    person, date, draftName: `screening:${id}:${instrument}`,
    onSave: async (entry) => {
      if (alreadyScreened(app.records.encounters(id), instrument, date)) {
        return t('screening.duplicate', { instrument: spec.label, date: formatDate(date) });
      }
      await db.create('encounter', person.desa, {
        person: id, date, setting: standaloneSetting(), provider: app.profile.display_name,
        cluster: visitCluster(config, person, date),
        screenings: [screeningEntry(entry)],
      });
      go(`/person/${id}`);
    },
  });
  // Said at once, not only after all the questions have been answered.
  const recorded = alreadyScreened(app.records.encounters(id), instrument, date)
    ? h('p', { class: 'warning-summary', role: 'status', 'data-testid': 'screening-recorded' },
      t('screening.duplicate', { instrument: spec.label, date: formatDate(date) })) : null;
  return page(spec.label, { back: `#/person/${id}`, lead: person.name }, card(null, recorded, form));
}
