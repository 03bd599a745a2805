// Duplikat: pairs of persons the server thinks may be one (docs/review.md "Duplicates"), with
// the score in words and the reasons; "Bandingkan" opens both side by side, where the reviewer
// chooses who stays, ticks what the survivor takes from the other, and merges (the server
// re-points every record, docs/review.md "Merging and undo") or says they are two people.
// Recent merges can be undone while the period allows.

import { clinicalConfig } from '../clinical-config.js';
import { confirmDialog } from '../dialog.js';
import { h } from '../dom.js';
import { formatDate, formatDateTime, t, tMaybe } from '../i18n.js';
import { go } from '../router.js';
import { apiFetch } from '../session.js';
import { PAGE_SIZE, isReference, mergeSummary, movedParts, scoreWords, sideNames, suggestedSurvivor, takeField, takeableFields } from './review-model.js';
import { placeName } from './places.js';
import { chosenDesa, desaPicker, refusal, statusLine } from './review-parts.js';
import { badge, card, dataTable, empty, linkButton, sexLabel } from './ui.js';

// The summary rows under the fields: how much each person has recorded.
const COUNTS = ['encounters', 'pregnancies', 'tasks', 'last_visit'];
// A message from a merge or dismiss survives the reload of the list it leads to.
let pending = null;

function personLink(person) {
  return h('a', { href: `#/person/${encodeURIComponent(person.id)}` }, person.name);
}

function reasonWords(reasons) {
  // A reason the server sends without its label stays unsaid rather than shown as a code.
  return (reasons ?? []).map((reason) => reason.label).filter(Boolean).join(', ');
}

function scoreBadge(config, score) {
  const words = scoreWords(config, score);
  return badge(t(words.key), words.tone);
}

function pairRow(config, desa, pair) {
  const compare = `#/review?tab=duplicates&desa=${desa}&a=${encodeURIComponent(pair.a.id)}&b=${encodeURIComponent(pair.b.id)}`;
  const who = (p) => [p.birth_date ? formatDate(p.birth_date) : null, p.household_name, p.desa_name].filter(Boolean).join(' · ');
  return h('li', { class: 'review-item dup-pair', 'data-testid': 'dup-pair', dataset: { a: pair.a.id, b: pair.b.id } },
    h('div', { class: 'review-body' },
      h('p', { class: 'dup-names' }, personLink(pair.a), h('span', { 'aria-hidden': 'true' }, ' ⇄ '), personLink(pair.b), ' ',
        scoreBadge(config, pair.score)),
      h('p', { class: 'meta' }, `${pair.a.name}: ${who(pair.a)}`),
      h('p', { class: 'meta' }, `${pair.b.name}: ${who(pair.b)}`),
      h('p', {}, t('review.dup.reasons', { reasons: reasonWords(pair.reasons) }))),
    linkButton(compare, t('review.dup.compare')));
}

/** A field's value as a person reads it (no codes). */
function shown(field, value, person) {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'sex' && ['L', 'P'].includes(value)) return sexLabel(value);
  if (field === 'relation') return tMaybe(`relation.${value}`) ?? value;
  if (field === 'household' || field === 'household_id') return person.household_name ?? '—';
  if (field === 'mother') return person.mother_name ?? '—';
  if (field === 'desa') return person.desa_name ?? '—';
  if (field === 'posyandu') return placeName(value) || '—';
  if (/date|_at$|_visit$/.test(field) || /^\d{4}-\d{2}-\d{2}/.test(String(value))) return formatDate(String(value).slice(0, 10));
  return isReference(value) ? '—' : String(value);
}

function mergesCard(desa, items, status) {
  const undo = async (merge) => {
    const ok = await confirmDialog({
      title: t('review.merge.undo_title'), confirm: t('review.merge.undo'),
      body: [t('review.merge.undo_body', { merged: merge.merged_name, survivor: merge.survivor_name })],
    });
    if (!ok) return;
    try {
      await apiFetch(`/review/merges/${encodeURIComponent(merge.id)}/undo`, { method: 'POST' });
      pending = t('review.merge.undone', { merged: merge.merged_name });
      go(`/review?tab=duplicates&desa=${desa}`);
    } catch (error) {
      status.say(refusal(error), 'bad');
    }
  };
  const rows = items.map((merge) => h('tr', {},
    h('td', {}, t('review.merge.line', { merged: merge.merged_name, survivor: merge.survivor_name })),
    h('td', {}, [merge.merged_by_name ?? merge.merged_by, formatDateTime(merge.merged_at)].filter(Boolean).join(' · ')),
    h('td', {}, merge.undone_at ? t('review.merge.undone_at', { when: formatDateTime(merge.undone_at) })
      : merge.can_undo ? t('review.merge.until', { when: formatDateTime(merge.undo_until) }) : t('review.merge.final')),
    h('td', {}, merge.can_undo && !merge.undone_at
      ? h('button', { type: 'button', class: 'secondary', onclick: () => undo(merge) }, t('review.merge.undo')) : null)));
  return card(t('review.merge.recent'), rows.length
    ? dataTable([t('review.merge.who'), t('review.merge.by'), t('review.merge.state'), ''], rows, { cards: true, 'data-testid': 'merge-list' })
    : empty(t('review.merge.none')));
}

async function pairList(config, desa) {
  const status = statusLine('dup-status');
  if (pending) status.say(pending);
  pending = null;
  const list = h('ul', { class: 'review-list', 'data-testid': 'dup-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('review.more'));
  let next = null;
  const load = async (after = null) => {
    const params = { desa, limit: PAGE_SIZE, ...(after ? { after } : {}) };
    const data = await apiFetch(`/review/duplicates?${new URLSearchParams(params)}`);
    list.append(...data.items.map((pair) => pairRow(config, desa, pair)));
    next = data.next;
    more.hidden = !next;
    if (!list.children.length) list.append(h('li', { class: 'empty' }, t('review.dup.none')));
  };
  more.addEventListener('click', () => load(next).catch((error) => status.say(refusal(error), 'bad')));
  const [merges] = await Promise.all([apiFetch(`/review/merges?desa=${desa}`), load()]);
  return [
    desaPicker(desa, (code) => `#/review?tab=duplicates&desa=${code}`),
    status.element,
    card(t('review.dup.title'), h('p', { class: 'meta' }, t('review.dup.lead')), list, h('div', { class: 'actions' }, more)),
    mergesCard(desa, merges.items, status),
  ];
}

/** The side-by-side table, with a "take" box on the other person's differing fields. On a
 * phone two value columns do not fit 360 px, so each row becomes a card (app.css): the field,
 * then "<name>: value" for each person (the column header as the cell's label), then the mark
 * and the box. */
function compareTable(data, survivor) {
  const takeable = new Set(takeableFields(data.fields, survivor));
  const other = survivor === 'a' ? 'b' : 'a';
  const names = Object.fromEntries(Object.entries(sideNames(data))
    .map(([side, name]) => [side, name.key ? t(name.key, name.params) : name.params.name]));
  const rows = data.fields.map((row) => h('tr', { class: row.same ? 'same' : 'differs' },
    h('th', { scope: 'row' }, row.label),
    h('td', {}, shown(row.field, row.a, data.a)), h('td', {}, shown(row.field, row.b, data.b)),
    h('td', {}, row.same ? badge(t('review.cmp.same'), 'ok') : [badge(t('review.cmp.differs'), 'warn'),
      takeable.has(row.field) ? h('label', { class: 'take' }, ' ', h('input', { type: 'checkbox', name: 'take', value: takeField(row.field) }),
        ' ', t('review.cmp.take', { name: names[other] })) : null])));
  const counts = COUNTS.filter((name) => !data.fields.some((row) => row.field === name)).map((name) => h('tr', { class: 'cmp-count' }, h('th', { scope: 'row' }, t(`review.cmp.${name}`)),
    h('td', {}, shown(name, data.a[name] ?? 0, data.a)), h('td', {}, shown(name, data.b[name] ?? 0, data.b)), h('td', {})));
  return dataTable([t('review.cmp.field'), names.a, names.b, ''], [...rows, ...counts], { cards: true, 'data-testid': 'dup-compare' });
}

async function compareView(config, desa, query) {
  const data = await apiFetch(`/review/duplicates/compare?${new URLSearchParams({ a: query.a, b: query.b })}`);
  const back = `#/review?tab=duplicates&desa=${desa}`;
  const status = statusLine('merge-status');
  const tableBox = h('div', { class: 'dup-compare' });
  let survivor = suggestedSurvivor(data.a, data.b);
  const render = () => tableBox.replaceChildren(compareTable(data, survivor));
  const choice = h('fieldset', { class: 'field choice' }, h('legend', {}, t('review.cmp.keep')),
    ['a', 'b'].map((side) => h('label', { class: 'choice-option' },
      h('input', { type: 'radio', name: 'survivor', value: side, checked: side === survivor,
        onchange: () => { survivor = side; render(); } }),
      ' ', t('review.cmp.keep_one', {
        name: data[side].name, visits: data[side].encounters ?? 0,
        date: data[side].created_at ? formatDate(data[side].created_at.slice(0, 10)) : '—',
      }))));
  const merge = async () => {
    const take = [...tableBox.querySelectorAll('input[name=take]:checked')].map((box) => box.value);
    const sum = mergeSummary(data, survivor);
    const ok = await confirmDialog({
      title: t('review.merge.confirm_title'), confirm: t('review.merge.confirm'), danger: true,
      body: [t('review.merge.confirm_body', sum), t('review.merge.confirm_undo')],
    });
    if (!ok) return;
    try {
      const result = await apiFetch('/review/merges', { method: 'POST', body: {
        survivor: data[survivor].id, merged: data[survivor === 'a' ? 'b' : 'a'].id, ...(take.length ? { take } : {}),
      } });
      const moved = movedParts(result.moved).map((part) => t(part.key, { n: part.n })).join(', ');
      pending = t('review.merge.done', { merged: sum.merged, survivor: sum.survivor, moved: moved || t('review.merge.nothing_moved') });
      go(back.slice(1));
    } catch (error) {
      status.say(refusal(error), 'bad');
    }
  };
  const dismiss = async () => {
    try {
      await apiFetch('/review/duplicates/dismiss', { method: 'POST', body: { a: data.a.id, b: data.b.id } });
      pending = t('review.dup.dismissed', { a: data.a.name, b: data.b.name });
      go(back.slice(1));
    } catch (error) {
      status.say(refusal(error), 'bad');
    }
  };
  render();
  return [
    h('p', {}, h('a', { class: 'back', href: back }, '← ', t('review.dup.back'))),
    card(t('review.cmp.title'),
      h('p', {}, scoreBadge(config, data.score), ' ',
        t('review.dup.reasons', { reasons: reasonWords(data.reasons) })),
      tableBox, choice, status.element,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: merge, 'data-testid': 'merge-button' }, t('review.merge.button')),
        h('button', { type: 'button', class: 'secondary', onclick: dismiss }, t('review.dup.dismiss')))),
  ];
}

export async function duplicatesTab(query) {
  const desa = chosenDesa(query);
  if (!desa) return empty(t('review.no_desa'));
  const config = await clinicalConfig();
  return query.a && query.b ? compareView(config, desa, query) : pairList(config, desa);
}
