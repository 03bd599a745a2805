// A person's page: who they are, what is due today (the clinical evaluator's due list), the
// growth card (nutritional status, weighings, charts), immunization and pregnancy cards, open
// tasks and the visit timeline read like a Buku KIA (person-growth.js, person-timeline.js).

import { app, canWrite } from '../app.js';
import { dueList } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatAge, formatDate, t } from '../i18n.js';
import { correctionButton } from './correction-task.js';
import { growthCard } from './person-growth.js';
import { doseLabel, originText, timelineCard } from './person-timeline.js';
import { applicableInstruments } from './visit-parts.js';
import {
  STATUS_TONE, badge, card, empty, linkButton, page, personFacts, sexLabel,
} from './ui.js';

function dueItem(item) {
  const when = item.status === 'done' ? item.done_on : item.due_from;
  return h('li', { class: 'due-item' },
    h('span', {}, item.label), badge(t(`due.status.${item.status}`), STATUS_TONE[item.status]),
    when ? h('span', { class: 'meta' }, t(`due.when.${item.status}`, { date: formatDate(when) })) : null);
}

/** What is due for the person now (the evaluator's due list); the loket shows it too. */
export function dueCard(due) {
  const open = due.items.filter((item) => ['overdue', 'due', 'upcoming'].includes(item.status));
  return card(t('person.due'), open.length
    ? h('ul', { class: 'due-list', 'data-testid': 'due-list' }, open.map(dueItem))
    : empty(t('person.nothing_due')));
}

function immunizationCard(config, due, history) {
  const given = history.filter((doc) => doc.type === 'encounter')
    .flatMap((enc) => (enc.immunizations ?? []).map((imm) => ({ ...imm, date: imm.date ?? enc.date })))
    .sort((a, b) => a.date.localeCompare(b.date));
  const pending = due.items.filter((item) => item.kind === 'immunization' && item.status !== 'done');
  if (!given.length && !pending.length) return null;
  return card(t('person.immunization'), h('div', { class: 'table-wrap' },
    h('table', { class: 'imm-card' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('imm.vaccine')), h('th', { scope: 'col' }, t('imm.date')),
        h('th', { scope: 'col' }, t('imm.status')))),
      h('tbody', {},
        given.map((imm) => h('tr', {}, h('td', {}, doseLabel(config, { ...imm, timing: null })),
          h('td', {}, formatDate(imm.date)), h('td', {}, badge(t(imm.timing === 'kejar' ? 'imm.kejar' : 'imm.given'), 'ok')))),
        pending.map((item) => h('tr', {}, h('td', {}, item.label), h('td', {}, formatDate(item.due_from)),
          h('td', {}, badge(t(`due.status.${item.status}`), STATUS_TONE[item.status]))))))));
}

function pregnancyCard(person, due, facts) {
  const pregnancies = app.records.childrenOf('pregnancy', person._id).sort((a, b) => (b.hpht ?? '').localeCompare(a.hpht ?? ''));
  const current = pregnancies.find((p) => p.status === 'ongoing');
  // No "Catat kehamilan" on a toddler or a grandmother: the life stage says who can be
  // pregnant (config/ilp/lifestages.json, `eligible.pregnancy` of the evaluator).
  if (!current && (person.sex !== 'P' || facts?.eligible?.pregnancy === false)) return null;
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

function tasksCard(person) {
  const tasks = app.records.childrenOf('task', person._id).filter((task) => ['open', 'in_progress'].includes(task.status));
  if (!tasks.length && !canWrite('task')) return null;
  return card(t('person.tasks'),
    tasks.length ? h('ul', { class: 'task-lines' }, tasks.map((task) => h('li', {}, h('a', { href: `#/task/${task._id}` }, task.reason),
      task.urgent ? [' ', badge(t('record.urgent'), 'bad')] : null,
      ' ', h('span', { class: 'meta' }, [t('tasks.due', { date: formatDate(task.due_date) }), originText(task)].filter(Boolean).join(' · ')),
      correctionButton(task, 'secondary'))))
      : empty(t('tasks.none')),
    canWrite('task') ? linkButton(`#/person/${person._id}/task`, t('tasks.new')) : null);
}

/** Sex, age and life stage, birth date and NIK: "Perempuan · 31 th · Dewasa · Lahir …". */
export function identityLine(person, facts) {
  return [sexLabel(person.sex), facts ? `${formatAge(facts.age)} · ${facts.label}` : null,
    `${t('person.born')} ${formatDate(person.birth_date)}${person.birth_date_estimated ? ` (${t('person.estimated')})` : ''}`,
    person.nik ? `NIK ${person.nik}` : t('person.no_nik')].filter(Boolean).join(' · ');
}

/** The due list of `person` on `today`, or an empty one when the evaluator cannot read the
 * record (the person card still helps to correct it). */
export function dueOf(config, person, history, today) {
  try {
    return dueList(config, { person, history, date: today });
  } catch {
    return { items: [], pregnancy: null };
  }
}

/** "Data ini sudah digabung ke …": heads the survivor's page opened through a duplicate. */
function mergedNote(survivor) {
  return h('p', { class: 'notice', role: 'status', 'data-testid': 'merged-note' },
    t('person.merged_into', { name: survivor?.name ?? t('person.merged_elsewhere') }));
}

/** A duplicate merged into another person (docs/review.md): the survivor's page, headed by
 * where this one went, so a device that still held the duplicate lands on the right record.
 * The address names the duplicate (`?merged=`), so the note stays when sync re-renders. */
async function mergedPage(person) {
  await app.records.loadPerson(person.merged_into);
  const survivor = app.records.survivorOf(person._id);
  if (!survivor) return page(person.name, { back: '#/persons' }, mergedNote(null));
  history.replaceState(null, '', `#/person/${survivor._id}?merged=${encodeURIComponent(person._id)}`);
  return personPage({ id: survivor._id }, { merged: person._id });
}

export async function personPage({ id }, query = {}) {
  const person = app.records.get(id);
  if (!person) return page(t('common.not_found'), { back: '#/persons' });
  if (person.merged_into) return mergedPage(person);
  const view = await recordPage(id, person);
  if (query.merged) {
    await app.records.loadPerson(query.merged);
    if (app.records.survivorOf(query.merged)?._id === id) view.prepend(mergedNote(person));
  }
  return view;
}

async function recordPage(id, person) {
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = todayIso();
  const facts = personFacts(config, person, today);
  const history = app.records.history(id);
  const due = dueOf(config, person, history, today);
  const household = app.records.get(person.household);
  const screenings = facts ? applicableInstruments(config, person, facts, today) : [];
  return page(person.name, {
    back: household ? `#/household/${household._id}` : '#/persons',
    lead: identityLine(person, facts),
    actions: [
      canWrite('person') ? linkButton(`#/person/${id}/edit`, t('common.edit')) : null,
      canWrite('encounter') ? linkButton(`#/person/${id}/visit`, t('person.visit'), 'primary') : null,
      canWrite('encounter') && facts?.age.years < 18 ? linkButton(`#/person/${id}/past-doses`, t('past.link')) : null,
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
  h('div', { class: 'grid-2' }, immunizationCard(config, due, history), pregnancyCard(person, due, facts)),
  tasksCard(person),
  timelineCard(config, person));
}
