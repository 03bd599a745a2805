// (e) The persons behind a desa's gap (GET /api/v1/pws/gaps: in the denominator, not in the
// numerator) with "Buat tugas untuk Pustu" (POST /followup: follow-up tasks through the one
// write path, idempotent on the server), and the follow-up progress per desa
// (GET /followup). Names only for the roles that may see them; dinkes never gets here.

import { h } from '../dom.js';
import { formatDate, formatMonth, formatNumber, t } from '../i18n.js';
import { render } from '../router.js';
import { apiFetch } from '../session.js';
import { OUTCOMES } from '../task-list.js';
import { outcomeEntries } from './pws-data.js';
import { denominatorWords, link, load, monthOf, pwsPage, readAt, seesNames } from './pws-ui.js';
import { desaNames } from './places.js';
import { badge, card, dataTable, empty, sexLabel } from './ui.js';
import { forbidden } from './desk.js';

const count = (value) => (Array.isArray(value) ? value.length : Number(value ?? 0));
// What the last "Buat tugas" said, kept across the refresh that follows it (one screen).
let lastResult = null;

function outcomeWords(outcomes) {
  const entries = outcomeEntries(outcomes, OUTCOMES);
  if (!entries.length) return '—';
  return entries.map(([code, n]) => `${OUTCOMES.includes(code) ? t(`task.outcome.${code}`) : t('pws.followup.other')} ${n}`).join(' · ');
}

/** The follow-up table: one row per desa, counts and outcomes in words. */
export function followupTable(rows) {
  if (!rows.length) return empty(t('pws.followup.none'));
  return dataTable([t('pws.desa'), t('pws.followup.created'), t('pws.followup.open'), t('pws.followup.done'),
    t('pws.followup.cancelled'), t('pws.followup.outcomes')], rows.map((row) => h('tr', { 'data-desa': row.desa },
    h('td', {}, desaNames([row.desa])[0]), h('td', {}, formatNumber(row.created ?? 0, 0)), h('td', {}, formatNumber(row.open ?? 0, 0)),
    h('td', {}, formatNumber(row.done ?? 0, 0)), h('td', {}, formatNumber(row.cancelled ?? 0, 0)),
    h('td', {}, outcomeWords(row.outcomes)))), { cards: true, 'data-testid': 'pws-followup' });
}

function personRow(person) {
  const home = [person.household, person.rt ? t('household.rt_rw', { rt: person.rt, rw: person.rw ?? '-' }) : null,
    person.posyandu].filter(Boolean).join(' · ');
  const box = person.open_task ? null : h('input', { type: 'checkbox', name: 'person', value: person.id, checked: person.actionable !== false });
  return h('li', { class: 'pws-person', 'data-person': person.id },
    h('label', { class: 'pws-person-pick' }, box,
      h('span', { class: 'pws-person-main' },
        h('strong', {}, person.name),
        h('span', { class: 'meta' }, [person.sex ? sexLabel(person.sex) : null, person.age_text, home].filter(Boolean).join(' · ')),
        person.missing ? h('span', {}, person.missing) : null,
        h('span', { class: 'meta' }, person.last_contact ? t('pws.gaps.last_contact', { date: formatDate(person.last_contact) }) : t('pws.gaps.no_contact')),
        person.open_task ? badge(t('pws.gaps.open_task'), 'info') : null)),
    h('a', { class: 'button secondary small', href: `#/person/${person.id}` }, t('pws.gaps.open_person')));
}

function createForm(gaps, desa, month) {
  const key = `${gaps.indicator}:${desa}:${month}`;
  const said = lastResult?.key === key ? lastResult.text : null;
  lastResult = null;
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'pws-followup-result' },
    said ? h('p', { class: 'notice', role: 'status' }, said) : null);
  const list = h('ul', { class: 'pws-persons', 'data-testid': 'pws-gaps' }, gaps.persons.map(personRow));
  const pickable = gaps.persons.filter((person) => !person.open_task).length;
  const button = h('button', { type: 'submit', class: 'primary', disabled: !pickable }, t('pws.gaps.create'));
  const form = h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      if (button.disabled) return;   // a double tap while the first one runs
      const persons = [...form.querySelectorAll('input[name=person]:checked')].map((input) => input.value);
      if (!persons.length) {
        result.replaceChildren(h('p', { class: 'error' }, t('pws.gaps.pick')));
        return;
      }
      button.disabled = true;
      try {
        const made = await apiFetch('/pws/followup', { method: 'POST', body: { indicator: gaps.indicator, desa, month, persons } });
        const text = t('pws.gaps.created', { created: count(made.created), open: count(made.already_open) });
        result.replaceChildren(h('p', { class: 'notice', role: 'status' }, text));
        lastResult = { key, text };
        render({ keepFocus: true });   // the list now shows each person's open task
      } catch (error) {
        result.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.problem?.detail ?? t('pws.gaps.failed')));
        button.disabled = false;
      }
    },
  }, list, h('div', { class: 'page-actions pws-sticky-actions' }, button,
    h('span', { class: 'meta' }, t(pickable ? 'pws.gaps.create_hint' : 'pws.gaps.all_open', { n: pickable }))), result);
  return form;
}

/** #/pws/gaps/<desa>?indicator=id&month=YYYY-MM */
export async function pwsGapsPage({ desa }, query) {
  if (!seesNames()) return forbidden('#/pws');
  const month = monthOf(query);
  const got = await load({
    indicators: '/indicators',
    gaps: link('/gaps', { indicator: query.indicator || 'k1', desa, month }),
    followup: link('/followup', { month }),
  });
  if (got.page) return got.page;
  const { indicators, gaps, followup } = got.data;
  const indicator = indicators.find((item) => item.id === gaps.indicator);
  const name = desaNames([desa])[0];
  const back = link(`#/pws/desa/${desa}`, { indicator: gaps.indicator, month });
  return pwsPage(null, month, { back },
    h('h2', { class: 'pws-subtitle', 'data-testid': 'pws-gaps-title' }, t('pws.gaps.title', { desa: name, indicator: indicator?.short ?? '' })),
    readAt(got.at),
    h('p', {}, indicator?.label ?? '', ' · ', t('pws.gaps.denominator', { source: denominatorWords(gaps.denominator_source) })),
    card(t('pws.gaps.persons', { n: gaps.persons.length, month: formatMonth(month) }),
      gaps.persons.length ? createForm(gaps, desa, month) : empty(t('pws.gaps.none'))),
    card(t('pws.followup.title_desa', { desa: name }), followupTable(followup.filter((row) => row.desa === desa))));
}

/** #/pws/followup?month=YYYY-MM: the follow-up sent from PWS and what came of it, per desa. */
export async function pwsFollowupPage(params, query) {
  const month = monthOf(query);
  const got = await load({ followup: link('/followup', { month }) });
  if (got.page) return got.page;
  return pwsPage('followup', month, { lead: t('pws.followup.lead') }, readAt(got.at),
    card(t('pws.followup.title', { month: formatMonth(month) }), followupTable(got.data.followup)));
}
