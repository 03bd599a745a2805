// Jatuh tempo hari ini: everyone in the desa with something overdue, due or not recorded
// today, from the clinical evaluator (which orders each person's items by urgency), one row
// per person under the most urgent status they have, filterable by kind and Posyandu, with a
// legend of the statuses and a mark on records the evaluator had to ignore. Evaluated in slices that yield to the browser, so
// 5,000 persons never freeze the screen.

import { app } from '../app.js';
import { dueList } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { onLeave } from '../router.js';
import { dataReady } from '../sync-state.js';
import { posyanduOptions } from './places.js';
import { STATUS_TONE, badge, empty, page, personLine } from './ui.js';

const KINDS = ['immunization', 'vitamin_a', 'screening', 'measurement', 'anc', 'service'];
// What this list shows; the legend explains every status, since the person page shows them all.
const OPEN = ['overdue', 'due', 'not_recorded'];
const STATUSES = ['overdue', 'due', 'not_recorded', 'upcoming', 'done', 'missed'];
// The list's sections, most urgent first; `record`: only a record to check, nothing due.
const GROUPS = [...OPEN, 'record'];
const SLICE = 250;

function legend() {
  return h('details', { class: 'legend', 'data-testid': 'due-legend' },
    h('summary', {}, t('due.legend')),
    h('dl', {}, STATUSES.map((status) => [
      h('dt', {}, badge(t(`due.status.${status}`), STATUS_TONE[status])),
      h('dd', {}, t(`due.legend.${status}`))])));
}

/** One person's row: their open items, each with its status in words, and a mark when a
 * record of theirs was ignored (a pregnancy on a toddler). */
function personRow(config, person, open, problems) {
  return h('li', { class: 'result' }, h('a', { class: 'result-main', href: `#/person/${person._id}` },
    personLine(config, person),
    h('span', { class: 'due-items' },
      open.map((item) => badge(`${item.label} · ${t(`due.status.${item.status}`)}`, STATUS_TONE[item.status]))),
    problems.map((problem) => h('span', { class: 'record-problem' },
      badge(t('due.record_problems'), 'bad'), ' ', t(`due.problem.${problem.code}`)))));
}

function posyanduOf(person) {
  return person.posyandu ?? app.records.get(person.household)?.posyandu ?? null;
}

export async function dueToday(params, query) {
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = todayIso();
  const kind = KINDS.includes(query.kind) ? query.kind : null;
  const posyandu = query.posyandu ?? '';
  const groups = new Map(GROUPS.map((group) => [group, h('ul', { class: 'results' })]));
  const sections = GROUPS.map((group) => h('section', { class: 'due-group', hidden: true },
    h('h2', {}, t(`due.group.${group}`)), groups.get(group)));
  const list = h('div', { 'data-testid': 'due-today' }, sections);
  const status = h('p', { class: 'meta', 'aria-live': 'polite' });
  const link = (changes) => `#/due?${new URLSearchParams({ ...query, ...changes })}`;
  const chips = h('nav', { class: 'chips', 'aria-label': t('due.filter') },
    h('a', { href: link({ kind: '' }), 'aria-current': kind ? null : 'page' }, t('due.all')),
    KINDS.map((code) => h('a', { href: link({ kind: code }), 'aria-current': kind === code ? 'page' : null }, t(`due.kind.${code}`))));
  const places = posyanduOptions();
  const placeFilter = places.length > 1 ? h('label', { class: 'inline' }, t('due.posyandu'), ' ',
    h('select', { onchange: (event) => { window.location.hash = link({ posyandu: event.target.value }).slice(1); } },
      h('option', { value: '' }, t('due.all_posyandu')),
      places.map(([value, name]) => h('option', { value, selected: value === posyandu }, name)))) : null;
  let cancelled = false;
  onLeave(() => { cancelled = true; });
  const persons = app.records.all('person').filter((person) => !posyandu || posyanduOf(person) === posyandu);
  (async () => {
    let shown = 0;
    for (let start = 0; start < persons.length && !cancelled; start += SLICE) {
      let rows = 0;
      for (const person of persons.slice(start, start + SLICE)) {
        let due;
        try {
          due = dueList(config, { person, history: app.records.history(person._id), date: today });
        } catch {
          continue;
        }
        const open = due.items.filter((item) => OPEN.includes(item.status) && (!kind || item.kind === kind));
        if (open.length || due.record_problems.length) {
          groups.get(open[0]?.status ?? 'record').append(personRow(config, person, open, due.record_problems));
          rows += 1;
        }
      }
      shown += rows;
      sections.forEach((section) => { section.hidden = !section.querySelector('li'); });
      status.textContent = t('due.progress', { n: shown, checked: Math.min(start + SLICE, persons.length), total: persons.length });
      await new Promise((resolve) => { setTimeout(resolve, 0); });
    }
    if (!cancelled && !shown) list.replaceChildren(empty(t('due.none')));
  })();
  // During the first sync the device holds only part of the desa: say so, never a short list.
  const loading = dataReady(app.sync.state) ? null
    : h('p', { class: 'notice', role: 'status', 'data-testid': 'due-loading' }, t('due.loading'));
  return page(t('due.title'), {}, loading, chips, placeFilter, legend(), status, list);
}
