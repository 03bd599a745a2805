// A person's page: who they are, what is due today (the clinical evaluator's due list), the
// growth chart, immunization and pregnancy cards, open tasks and the visit timeline.

import { app, canWrite } from '../app.js';
import { dueList } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatAge, formatDate, formatNumber, t, tMaybe } from '../i18n.js';
import { placeLabel } from '../place-label.js';
import { growthChart } from './growth-chart.js';
import { applicableInstruments } from './visit-parts.js';
import { placeName } from './places.js';
import {
  STATUS_TONE, badge, card, empty, linkButton, page, personFacts, sexLabel,
} from './ui.js';

function dueItem(item) {
  const when = item.status === 'done' ? item.done_on : item.due_from;
  return h('li', { class: 'due-item' },
    h('span', {}, item.label), badge(t(`due.status.${item.status}`), STATUS_TONE[item.status]),
    when ? h('span', { class: 'meta' }, t(`due.when.${item.status}`, { date: formatDate(when) })) : null);
}

function dueCard(due) {
  const open = due.items.filter((item) => ['overdue', 'due', 'upcoming'].includes(item.status));
  return card(t('person.due'), open.length
    ? h('ul', { class: 'due-list', 'data-testid': 'due-list' }, open.map(dueItem))
    : empty(t('person.nothing_due')));
}

function immunizationCard(due, history) {
  const given = history.filter((doc) => doc.type === 'encounter')
    .flatMap((enc) => (enc.immunizations ?? []).map((imm) => ({ ...imm, date: imm.date ?? enc.date })))
    .sort((a, b) => a.date.localeCompare(b.date));
  const pending = due.items.filter((item) => item.kind === 'immunization' && item.status !== 'done');
  if (!given.length && !pending.length) return null;
  return card(t('person.immunization'),
    h('table', { class: 'imm-card' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('imm.vaccine')), h('th', { scope: 'col' }, t('imm.date')),
        h('th', { scope: 'col' }, t('imm.status')))),
      h('tbody', {},
        given.map((imm) => h('tr', {}, h('td', {}, `${imm.vaccine}${imm.dose ? ` ${imm.dose}` : ''}`),
          h('td', {}, formatDate(imm.date)), h('td', {}, badge(t(imm.timing === 'kejar' ? 'imm.kejar' : 'imm.given'), 'ok')))),
        pending.map((item) => h('tr', {}, h('td', {}, item.label), h('td', {}, formatDate(item.due_from)),
          h('td', {}, badge(t(`due.status.${item.status}`), STATUS_TONE[item.status])))))));
}

function pregnancyCard(person, due) {
  const pregnancies = app.records.childrenOf('pregnancy', person._id).sort((a, b) => (b.hpht ?? '').localeCompare(a.hpht ?? ''));
  const current = pregnancies.find((p) => p.status === 'ongoing');
  if (!current && person.sex !== 'P') return null;
  const actions = canWrite('pregnancy') && !current ? [linkButton(`#/person/${person._id}/pregnancy`, t('pregnancy.new'))] : [];
  if (!current) return card(t('person.pregnancy'), empty(t('pregnancy.none')), actions);
  const dating = due.pregnancy;
  const anc = due.items.filter((item) => item.kind === 'anc');
  return card(t('person.pregnancy'),
    h('dl', { class: 'facts' },
      h('dt', {}, t('pregnancy.hpht')), h('dd', {}, formatDate(current.hpht) || '—'),
      h('dt', {}, t('pregnancy.hpl')), h('dd', {}, formatDate(dating?.hpl ?? current.hpl) || '—'),
      dating?.gestational_age ? [h('dt', {}, t('pregnancy.age')), h('dd', {},
        t('pregnancy.weeks', { w: dating.gestational_age.weeks, d: dating.gestational_age.days, tri: dating.trimester }))] : null,
      current.gravida ? [h('dt', {}, 'G/P/A'), h('dd', {}, `G${current.gravida} P${current.para ?? 0} A${current.abortus ?? 0}`)] : null),
    anc.length ? h('ul', { class: 'due-list' }, anc.map(dueItem)) : null);
}

function growthCard(config, person, facts) {
  if (!facts || facts.age.months >= 60) return null;
  const encounters = [...app.records.encounters(person._id)].reverse();
  const points = (name) => encounters.filter((enc) => enc.measurements?.[name] != null)
    .map((enc) => ({ date: enc.date, value: enc.measurements[name] }));
  return card(t('person.growth'), h('div', { class: 'charts' },
    growthChart(config, person, 'bb_u', points('weight_kg')),
    growthChart(config, person, 'tb_u', points('height_cm'))));
}

function encounterSummary(enc) {
  const m = enc.measurements ?? {};
  const bits = [
    m.weight_kg != null ? `${formatNumber(m.weight_kg)} kg` : null,
    m.height_cm != null ? `${formatNumber(m.height_cm)} cm` : null,
    m.sbp != null ? `${t('finding.bp')} ${m.sbp}/${m.dbp}` : null,
    ...(enc.immunizations ?? []).map((imm) => `${imm.vaccine}${imm.dose ? ` ${imm.dose}` : ''}`),
    ...(enc.services ?? []).filter((s) => s.code !== 'penyuluhan').map((s) => tMaybe(`service.${s.code}`) ?? s.code),
    ...(enc.screenings ?? []).map((s) => `${s.instrument.toUpperCase()}: ${s.result}`),
    ...(enc.diagnoses ?? []).map((d) => d.icd10),
    enc.referral ? t('timeline.referred', { to: enc.referral.to }) : null,
  ].filter(Boolean);
  return bits.join(' · ');
}

function timeline(person) {
  const encounters = app.records.encounters(person._id);
  return card(t('person.timeline'), encounters.length ? h('ol', { class: 'timeline', 'data-testid': 'timeline' },
    encounters.map((enc) => h('li', {},
      h('p', {}, h('strong', {}, formatDate(enc.date)), ' · ', placeLabel(t(`setting.${enc.setting}`), placeName(enc.place)),
        enc.provider ? ` · ${enc.provider}` : ''),
      h('p', { class: 'meta' }, encounterSummary(enc) || t('timeline.no_detail')),
      enc.notes ? h('p', {}, enc.notes) : null)))
    : empty(t('timeline.empty')));
}

function tasksCard(person) {
  const tasks = app.records.childrenOf('task', person._id).filter((task) => ['open', 'in_progress'].includes(task.status));
  if (!tasks.length && !canWrite('task')) return null;
  return card(t('person.tasks'),
    tasks.length ? h('ul', {}, tasks.map((task) => h('li', {}, h('a', { href: `#/task/${task._id}` }, task.reason),
      ' ', h('span', { class: 'meta' }, formatDate(task.due_date))))) : empty(t('tasks.none')),
    canWrite('task') ? linkButton(`#/person/${person._id}/task`, t('tasks.new')) : null);
}

export async function personPage({ id }) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = todayIso();
  const facts = personFacts(config, person, today);
  const history = app.records.history(id);
  let due = { items: [], pregnancy: null };
  try {
    due = dueList(config, { person, history, date: today });
  } catch {
    // shown without a due list: the person card still helps to correct the record
  }
  const household = app.records.get(person.household);
  const identity = [sexLabel(person.sex), facts ? `${formatAge(facts.age)} · ${facts.label}` : null,
    `${t('person.born')} ${formatDate(person.birth_date)}${person.birth_date_estimated ? ` (${t('person.estimated')})` : ''}`,
    person.nik ? `NIK ${person.nik}` : t('person.no_nik')].filter(Boolean);
  const screenings = facts ? applicableInstruments(config, person, facts, today) : [];
  return page(person.name, {
    back: household ? `#/household/${household._id}` : '#/persons',
    lead: identity.join(' · '),
    actions: [
      canWrite('person') ? linkButton(`#/person/${id}/edit`, t('common.edit')) : null,
      canWrite('encounter') ? linkButton(`#/person/${id}/visit`, t('person.visit'), 'primary') : null,
    ].filter(Boolean),
  },
  h('p', { class: 'flags' }, (facts?.flags ?? []).map((flag) => badge(t(`flag.${flag}`), 'info')),
    household ? h('a', { href: `#/household/${household._id}` }, t('person.household_link', { name: household.head_name })) : null),
  h('div', { class: 'grid-2' },
    dueCard(due),
    canWrite('encounter') && screenings.length ? card(t('person.screening'), h('ul', { class: 'screen-list' }, screenings.map((code) => h('li', {},
      h('a', { class: 'button secondary', href: `#/person/${id}/screening/${code}` }, config.instruments.instruments[code].label)))))
      : null),
  growthCard(config, person, facts),
  h('div', { class: 'grid-2' }, immunizationCard(due, history), pregnancyCard(person, due)),
  tasksCard(person),
  timeline(person));
}
