// Small building blocks the screens share: headings, cards, badges, person lines.

import { app } from '../app.js';
import { lifeStage } from '../clinical/index.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { formatAge, t } from '../i18n.js';
import { desaNames } from './places.js';

export function page(title, { back, actions = [], lead } = {}, ...children) {
  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      back ? h('a', { class: 'back', href: back }, h('span', { 'aria-hidden': 'true' }, '←'), t('common.back')) : null,
      h('h1', {}, title),
      actions.length ? h('div', { class: 'page-actions' }, actions) : null),
    lead ? h('p', { class: 'lead' }, lead) : null,
    children);
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, children);
}

export function badge(text, tone = 'neutral') {
  return h('span', { class: `badge ${tone}` }, text);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** A table of `rows` (tr elements) under `headers`, scrolling sideways on a phone; with
 * `cards`, each row becomes a card there instead, every cell named by its header. */
export function dataTable(headers, rows, { cards = false, ...props } = {}) {
  if (cards) {
    for (const row of rows) {
      [...row.children].forEach((cell, i) => { if (headers[i]) cell.dataset.label = headers[i]; });
    }
  }
  return h('div', { class: 'table-wrap' }, h('table', { class: cards ? 'data rows-as-cards' : 'data', ...props },
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows)));
}

export function linkButton(href, text, tone = 'secondary') {
  return h('a', { class: `button ${tone}`, href }, text);
}

/** Age, life stage and hamil/nifas flags; null when the record cannot be evaluated. */
export function personFacts(config, person, on = todayIso()) {
  try {
    return lifeStage(config, { person, history: app.records.history(person._id), date: on });
  } catch {
    return null; // e.g. a birth date in the future typed on a tablet with a wrong clock
  }
}

export function sexLabel(sex) {
  return sex === 'L' ? t('person.sex.L') : t('person.sex.P');
}

/** "Siti Aminah · P · 31 th · RT 001/002" with the household's no. KK when known, and the
 * desa when the user's area has more than one. */
export function personLine(config, person) {
  const facts = personFacts(config, person);
  const household = app.records.get(person.household);
  const bits = [sexLabel(person.sex), facts ? formatAge(facts.age) : null,
    app.profile.scopes.length > 1 && person.desa ? desaNames([person.desa])[0] : null,
    household?.rt ? t('household.rt_rw', { rt: household.rt, rw: household.rw ?? '-' }) : null,
    person.nik ? `NIK ${person.nik}` : null].filter(Boolean);
  return h('span', { class: 'person-line' },
    h('strong', {}, person.name), h('span', { class: 'meta' }, bits.join(' · ')),
    facts?.flags?.map((flag) => badge(t(`flag.${flag}`), 'info')));
}

export const STATUS_TONE = {
  overdue: 'bad', due: 'warn', not_recorded: 'pending', upcoming: 'info', done: 'ok', missed: 'muted',
};
