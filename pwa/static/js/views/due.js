// Jatuh tempo hari ini: everyone in the desa with something due or overdue today, from the
// clinical evaluator, grouped by person and filterable by kind and Posyandu. Evaluated in
// slices that yield to the browser, so 5,000 persons never freeze the screen.

import { app } from '../app.js';
import { dueList } from '../clinical/index.js';
import { clinicalConfig } from '../clinical-config.js';
import { todayIso } from '../db.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { onLeave } from '../router.js';
import { posyanduOptions } from './places.js';
import { STATUS_TONE, badge, empty, page, personLine } from './ui.js';

const KINDS = ['immunization', 'vitamin_a', 'screening', 'measurement', 'anc', 'service'];
const SLICE = 250;

function posyanduOf(person) {
  return person.posyandu ?? app.records.get(person.household)?.posyandu ?? null;
}

export async function dueToday(params, query) {
  const config = await clinicalConfig();
  await app.records.whenComplete();
  const today = todayIso();
  const kind = KINDS.includes(query.kind) ? query.kind : null;
  const posyandu = query.posyandu ?? '';
  const list = h('ul', { class: 'results', 'data-testid': 'due-today' });
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
      const rows = [];
      for (const person of persons.slice(start, start + SLICE)) {
        let items;
        try {
          items = dueList(config, { person, history: app.records.history(person._id), date: today }).items;
        } catch {
          continue;
        }
        const open = items.filter((item) => ['due', 'overdue'].includes(item.status) && (!kind || item.kind === kind));
        if (!open.length) continue;
        rows.push(h('li', { class: 'result' }, h('a', { class: 'result-main', href: `#/person/${person._id}` },
          personLine(config, person),
          h('span', { class: 'due-items' }, open.map((item) => badge(item.label, STATUS_TONE[item.status]))))));
      }
      shown += rows.length;
      list.append(...rows);
      status.textContent = t('due.progress', { n: shown, checked: Math.min(start + SLICE, persons.length), total: persons.length });
      await new Promise((resolve) => { setTimeout(resolve, 0); });
    }
    if (!cancelled && !shown) list.replaceChildren(h('li', {}, empty(t('due.none'))));
  })();
  return page(t('due.title'), {}, chips, placeFilter, status, list);
}
