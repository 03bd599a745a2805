// One person at one Posyandu table: measure (timbang/ukur), record what it means (catat),
// give services and screenings (layanan), counsel (penyuluhan). "Simpan & berikutnya" opens
// the next person waiting at the same table, so a kader never walks back to a list. Each
// table's work is saved on the person's visit document, which the session's tablets share.

import { app, hasRole } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { h } from '../dom.js';
import { bindDraft, formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { checkMeasurements } from '../validate.js';
import { loadSession, sessionState, waitingAt } from './posyandu-frame.js';
import { sessionPage } from './posyandu.js';
import { finishVisit, saveStep as saveVisitStep, saveVisit } from './posyandu-queue.js';
import { screeningForm, screeningTone } from './screening.js';
import { STATUS_TONE, badge, card, page, personFacts, personLine } from './ui.js';
import { findingsPanel, panelState } from './findings-panel.js';
import {
  counsellingTopics, givenImmunizations, measurementFields, measurementGroup, serviceOptions,
} from './visit-parts.js';

/** Opens the next person waiting at this table once the save has landed (the queue is read
 * from the saved records, so the person just served is never offered again). */
async function nextPerson(ctx) {
  await ctx.saving;
  const { session, step } = ctx;
  const waiting = waitingAt(step, sessionState(app.records.get(session._id)))
    .filter((id) => id !== ctx.person._id);
  go(waiting.length ? `/posyandu/${session._id}/${step}/${waiting[0]}` : `/posyandu/${session._id}/${step}`);
}

/** Marks this table done for the person with the table's changes (the fields of the visit
 * document: posyandu-queue.js `visitChanges`). Returns the visit as it now reads at once; the
 * write itself is `ctx.saving`, which nextPerson and finishing wait for. */
function saveStep(ctx, changes) {
  const visit = { ...ctx.visit, ...changes, done: { ...ctx.visit.done, [ctx.step]: true } };
  ctx.saving = Promise.resolve(ctx.saving).then(() => saveVisitStep(ctx.session, ctx.person._id, ctx.step, changes));
  ctx.visit = visit;
  return visit;
}

function stepForm(ctx, content, { submit = t('posyandu.save_next'), extra = [] } = {}) {
  return h('form', {
    class: 'stack', novalidate: true, 'data-testid': `form-${ctx.step}`, dataset: { person: ctx.person._id },
  }, content,
    actions(h('button', { type: 'submit', class: 'primary' }, submit), extra));
}

/** What this person's record would hold now, for the findings component. */
function visitEncounter(ctx, measured) {
  return {
    date: ctx.session.date, measurements: measured,
    screenings: Object.values(ctx.visit.screenings ?? {}),
    referral: ctx.visit.referral?.to ? ctx.visit.referral : undefined,
  };
}

function visitPanel(ctx, title) {
  return findingsPanel(ctx.config, {
    person: ctx.person, history: app.records.history(ctx.person._id), title,
  });
}

function measureScreen(ctx) {
  // What the values mean is shown as they are typed, so the kader can re-measure at once.
  const panel = visitPanel(ctx, t('findings.title'));
  const form = stepForm(ctx, [measurementFields(ctx.group, ctx.facts, ctx.visit.measurements ?? {}), panel.element], {
    extra: [h('button', { type: 'button', class: 'secondary', onclick: skip }, t('posyandu.skip'))],
  });
  const refresh = () => panel.update(visitEncounter(ctx, checkMeasurements(ctx.config, formValues(form)).measured));
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  const draft = bindDraft(form, `visit-form:${ctx.session._id}:${ctx.person._id}:ukur`);
  refresh();
  async function skip() {
    draft.clear();
    saveStep(ctx, {});
    nextPerson(ctx);
  }
  onSubmit(form, async () => {
    const values = formValues(form);
    const { errors, measured } = checkMeasurements(ctx.config, values);
    if (!Object.keys(measured).length && !Object.keys(errors).length) errors.weight_kg = t('posyandu.measure_something');
    if (!showErrors(form, errors)) return;
    saveStep(ctx, { measurements: values, measured });
    draft.clear();
    nextPerson(ctx);
  });
  return form;
}

function recordScreen(ctx) {
  const panel = visitPanel(ctx, null);
  const state = panel.update(visitEncounter(ctx, ctx.visit.measured ?? {}));
  const form = stepForm(ctx, panel.element, { submit: t('posyandu.recorded_next') });
  onSubmit(form, async () => {
    // Kept with the visit for the later steps: the referral hint and counselling topics.
    saveStep(ctx, { findings: state.rows.map(({ finding, code, tone, refer }) => ({ finding, code, tone, refer })) });
    nextPerson(ctx);
  });
  return form;
}

function checkboxGroup(name, legend, options) {
  if (!options.length) return null;
  return field({ name, label: legend, type: 'checkbox-group', options });
}

function serviceScreen(ctx) {
  const options = serviceOptions(ctx.config, ctx.person, ctx.facts, ctx.group, ctx.session.date);
  const { immunizations, maternal, instruments } = options;
  const done = ctx.visit.screenings ?? {};
  const screenings = card(t('posyandu.screenings'), instruments.length ? h('ul', { class: 'screen-list' },
    instruments.map((instrument) => h('li', {},
      h('a', { class: 'button secondary', href: `#/posyandu/${ctx.session._id}/layanan/${ctx.person._id}?screen=${instrument}` },
        ctx.config.instruments.instruments[instrument].label),
      done[instrument] ? badge(done[instrument].label, screeningTone(done[instrument])) : null)))
    : h('p', { class: 'empty' }, t('posyandu.no_screenings')));
  const refer = Object.values(done).some((entry) => entry.refer) || (ctx.visit.findings ?? []).some((f) => f.refer);
  const form = stepForm(ctx, [
    checkboxGroup('immunizations', t('posyandu.immunizations'), immunizations.map((item) => [item.code,
      `${item.label}${item.status === 'overdue' ? ` (${t('due.status.overdue')})` : ''}`])),
    checkboxGroup('services', t('posyandu.services'), options.services.map((code) => [code, t(`service.${code}`)])),
    // ANC / KN / KF contacts are a health worker's to give; at Posyandu they are reminders.
    maternal.length ? card(t('posyandu.maternal'), h('ul', {}, maternal.map((item) => h('li', {}, item.label, ' ',
      badge(t(`due.status.${item.status}`), STATUS_TONE[item.status]))))) : null,
    field({ name: 'refer', label: t('posyandu.refer'), type: 'checkbox', hint: refer ? t('posyandu.refer_suggested') : null }),
    h('div', { class: 'row' },
      field({ name: 'refer_to', label: t('posyandu.refer_to'), type: 'select',
        options: ['Pustu', 'Puskesmas'].map((place) => [place, place]) }),
      field({ name: 'refer_reason', label: t('posyandu.refer_reason') })),
  ]);
  const given = ctx.visit.services ?? [];
  const draft = bindDraft(form, `visit-form:${ctx.session._id}:${ctx.person._id}:layanan`, {
    immunizations: Object.keys(ctx.visit.immunizations ?? {}), services: given,
    refer: refer || Boolean(ctx.visit.referral), refer_to: ctx.visit.referral?.to ?? 'Pustu',
    refer_reason: ctx.visit.referral?.reason ?? '',
  });
  onSubmit(form, async () => {
    const values = formValues(form);
    saveStep(ctx, {
      immunizations: givenImmunizations(options, values.immunizations ?? [], ctx.session.date),
      services: values.services ?? [],
      referral: values.refer ? { to: values.refer_to || 'Pustu', reason: values.refer_reason || undefined } : null,
    });
    draft.clear();
    nextPerson(ctx);
  });
  return [screenings, form];
}

function screeningScreen(ctx, instrument) {
  const back = `/posyandu/${ctx.session._id}/layanan/${ctx.person._id}`;
  return screeningForm(ctx.config, instrument, {
    person: ctx.person, date: ctx.session.date,
    draftName: `visit-screen:${ctx.session._id}:${ctx.person._id}:${instrument}`,
    submitLabel: t('screening.save_to_visit'),
    onSave: async (entry) => {
      await saveVisit(ctx.session, ctx.person._id, { screenings: { ...ctx.visit.screenings, [instrument]: entry } });
      go(back);
    },
  });
}

function counselScreen(ctx) {
  const topics = counsellingTopics(ctx.group, ctx.visit, ctx.facts);
  const form = stepForm(ctx, [
    field({ name: 'counselling', label: t('posyandu.topics'), type: 'checkbox-group',
      options: topics.map(([topic, suggested]) => [topic, suggested ? `${t(`topic.${topic}`)} · ${t('posyandu.suggested')}` : t(`topic.${topic}`)]) }),
    field({ name: 'notes', label: t('posyandu.notes'), type: 'textarea', maxlength: 2000 }),
  ], { submit: t('posyandu.finish_next') });
  const draft = bindDraft(form, `visit-form:${ctx.session._id}:${ctx.person._id}:penyuluhan`,
    { counselling: ctx.visit.counselling ?? [], notes: ctx.visit.notes ?? '' });
  onSubmit(form, async () => {
    const values = formValues(form);
    saveStep(ctx, { counselling: values.counselling ?? [], notes: values.notes.trim() });
    // The encounter is made from the saved visit, which holds what other tablets did too.
    await finishVisit(ctx.session, ctx.person, await ctx.saving, ctx.config);
    draft.clear();
    nextPerson(ctx);
  });
  return form;
}

const SCREENS = { ukur: measureScreen, catat: recordScreen, layanan: serviceScreen, penyuluhan: counselScreen };

export async function posyanduPerson({ session: sessionId, step, person: personId }, query) {
  const state = await loadSession(sessionId);
  const person = app.records.get(personId);
  if (!state || !person || !SCREENS[step]) return page(t('common.not_found'), { back: '#/posyandu' });
  const config = await clinicalConfig();
  const facts = personFacts(config, person, state.session.date);
  const ctx = {
    config, step, person, facts, session: state.session, group: measurementGroup(facts),
    visit: state.visits.get(personId) ?? { done: {} }, saving: null,
  };
  // What the measurements mean is not stored on the visit: it follows from them.
  ctx.visit.findings ??= panelState(config, {
    person, encounter: visitEncounter(ctx, ctx.visit.measured ?? {}), history: app.records.history(personId),
  }).rows.map(({ finding, code, tone, refer }) => ({ finding, code, tone, refer }));
  const body = step === 'layanan' && query.screen ? screeningScreen(ctx, query.screen) : SCREENS[step](ctx);
  const reviewer = hasRole('pustu', 'klaster', 'kapus', 'admin');
  return sessionPage(state, step, {},
    card(null, h('div', { class: 'visit-person' }, personLine(config, person),
      reviewer ? h('a', { href: `#/person/${personId}` }, t('posyandu.open_person')) : null), body));
}
