// Antrean: the records of one desa synced since the last review, flagged ones first, each with
// the rule that fired in Indonesian; the reviewer selects some and says Benar, Minta perbaikan
// (a correction task to the desa's Pustu, with a note) or Tidak relevan. Pages with "Muat
// lagi"; after each action the list reloads and the status line says what was done.

import { h } from '../dom.js';
import { formatDate, formatDateTime, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { DECISIONS, PAGE_SIZE, SHOWS, decisionProblem, decisionStatus, flagText } from './review-model.js';
import { chosenDesa, desaPicker, refusal, statusLine } from './review-parts.js';
import { badge, card, empty } from './ui.js';

const STATUS_TONE = { benar: 'ok', perbaikan: 'warn', tidak_relevan: 'muted' };

function queuePath(desa, show, flagged, after) {
  const params = { desa, show, limit: PAGE_SIZE };
  if (flagged) params.flagged = 1;
  if (after) params.after = after;
  return `/review/queue?${new URLSearchParams(params)}`;
}

/** Open flags per desa this month, for the picker; nothing when progress cannot be read. */
async function openFlagsByDesa() {
  const month = new Date().toISOString().slice(0, 7);
  try {
    const data = await apiFetch(`/review/progress?month=${month}`);
    return new Map(data.desa.map((row) => [row.desa, row.open_flags]));
  } catch {
    return new Map();
  }
}

function flagBadges(flags) {
  return flags.map((flag) => h('li', { class: flag.open ? 'flag open' : 'flag verified' },
    badge(flag.open ? t('review.flag.open') : t('review.flag.verified'), flag.open ? 'bad' : 'ok'), ' ',
    flagText(flag),
    !flag.open && flag.verified_by ? h('span', { class: 'meta' }, ` · ${t('review.flag.verified_by', { name: flag.verified_by })}`) : null));
}

function reviewState(item) {
  const bits = [];
  if (item.review) {
    const { status, by, at, note } = item.review;
    bits.push(badge(t(`review.decision.${status}`), STATUS_TONE[status] ?? 'info'), ' ',
      h('span', { class: 'meta' }, [by, at ? formatDateTime(at) : null, note ? `“${note}”` : null].filter(Boolean).join(' · ')));
  }
  if (item.corrected_by) bits.push(' ', badge(t('review.corrected'), 'info'));
  return bits.length ? h('p', { class: 'review-state' }, bits) : null;
}

function itemRow(item) {
  const id = `pick-${item.id.replace(/[^a-z0-9]/gi, '')}`;
  const flagged = item.flags.some((flag) => flag.open);
  const meta = [t(`doctype.${item.type}`), item.date ? formatDate(item.date) : null, item.where, item.by,
    item.synced_at ? t('review.synced', { when: formatDateTime(item.synced_at) }) : null].filter(Boolean).join(' · ');
  return h('li', { class: 'review-item', dataset: { flagged: String(flagged), id: item.id }, 'data-testid': 'review-item' },
    h('input', { type: 'checkbox', id, name: 'record', value: item.id, class: 'review-pick', 'aria-label': t('review.pick', { what: item.summary }) }),
    h('div', { class: 'review-body' },
      h('label', { for: id, class: 'review-summary' }, item.summary),
      h('p', { class: 'review-person' },
        item.person_id ? h('a', { href: `#/person/${encodeURIComponent(item.person_id)}` }, item.person_name ?? t('review.person_unknown')) : null),
      h('p', { class: 'meta' }, meta),
      item.flags.length ? h('ul', { class: 'review-flags' }, flagBadges(item.flags)) : null,
      reviewState(item)));
}

function countsLine(counts) {
  return t('review.counts', { open: counts?.open ?? 0, flagged: counts?.flagged_open ?? 0 });
}

function filters(desa, show, flagged) {
  const href = (s, f) => `#/review?tab=queue&desa=${desa}&show=${s}${f ? '&flagged=1' : ''}`;
  return h('nav', { class: 'chips', 'aria-label': t('review.show') },
    SHOWS.map((name) => h('a', { href: href(name, flagged), 'aria-current': name === show ? 'page' : null }, t(`review.show.${name}`))),
    h('a', { href: href(show, !flagged), 'aria-current': flagged ? 'page' : null, 'data-testid': 'review-flagged-only' }, t('review.flagged_only')));
}

/** The action bar, kept in view at the bottom of the screen while the list scrolls: the
 * selection count, the note, the three verdicts, and the status line. */
function actionBar(onDecide, status, selected) {
  const note = h('textarea', { id: 'review-note', name: 'note', maxlength: 300, rows: 1, 'aria-describedby': 'review-note-hint' });
  const buttons = DECISIONS.map((decision) => h('button', {
    type: 'button', class: decision === 'benar' ? 'primary' : 'secondary', 'data-decision': decision,
    onclick: () => onDecide(decision, note),
  }, t(`review.action.${decision}`)));
  return h('section', { class: 'card review-act', 'aria-label': t('review.act_title'), 'data-testid': 'review-actions' },
    h('div', { class: 'field' }, h('label', { for: 'review-note' }, t('review.note')),
      note, h('p', { class: 'hint', id: 'review-note-hint' }, t('review.note_hint'))),
    h('div', { class: 'actions' }, buttons, selected), status.element);
}

export async function queueTab(query) {
  const desa = chosenDesa(query);
  if (!desa) return empty(t('review.no_desa'));
  const show = SHOWS.includes(query.show) ? query.show : 'open';
  const flagged = query.flagged === '1';
  const flagsByDesa = await openFlagsByDesa();
  const list = h('ul', { class: 'review-list', 'data-testid': 'review-list' });
  const counts = h('p', { class: 'meta', 'data-testid': 'review-counts' });
  const selected = h('span', { class: 'meta', 'data-testid': 'review-selected' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('review.more'));
  const status = statusLine('review-status');
  let next = null;

  const picks = () => [...list.querySelectorAll('input.review-pick')];
  const all = h('input', { type: 'checkbox', id: 'review-all', 'data-testid': 'review-all' });
  const updateSelected = () => {
    const chosen = picks().filter((box) => box.checked).length;
    selected.textContent = t('review.selected', { n: chosen });
    all.checked = chosen > 0 && chosen === picks().length;
  };
  all.addEventListener('change', () => {
    picks().forEach((box) => { box.checked = all.checked; });
    updateSelected();
  });
  list.addEventListener('change', updateSelected);

  const load = async (after = null) => {
    const data = await apiFetch(queuePath(desa, show, flagged, after));
    if (!after) list.replaceChildren();
    list.append(...data.items.map(itemRow));
    next = data.next;
    more.hidden = !next;
    counts.textContent = countsLine(data.counts);
    if (!list.children.length) list.append(h('li', { class: 'empty' }, t(`review.none.${show}`)));
    updateSelected();
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await load(next);
    } catch (error) {
      status.say(refusal(error), 'bad');
    } finally {
      more.disabled = false;
    }
  });

  const decide = async (decision, note) => {
    const ids = picks().filter((box) => box.checked).map((box) => box.value);
    const problem = decisionProblem(decision, ids, note.value);
    if (problem) {
      status.say(t(problem), 'bad');
      if (problem === 'review.problem.note_needed') note.focus();
      return;
    }
    try {
      const result = await apiFetch('/review/decisions', {
        method: 'POST', body: { decision, records: ids, ...(note.value.trim() ? { note: note.value.trim() } : {}) },
      });
      note.value = '';
      await load();
      const said = decisionStatus(decision, result);
      status.say(t(said.key, said.params));
    } catch (error) {
      status.say(refusal(error), 'bad');
    }
  };

  await load();
  return [
    desaPicker(desa, (code) => `#/review?tab=queue&desa=${code}&show=${show}${flagged ? '&flagged=1' : ''}`,
      (code) => (flagsByDesa.get(code) ? t('review.picker_flags', { n: flagsByDesa.get(code) }) : null)),
    filters(desa, show, flagged),
    counts,
    card(null,
      h('div', { class: 'review-select' },
        h('label', { class: 'choice-inline', for: 'review-all' }, all, ' ', t('review.select_all'))),
      list, h('div', { class: 'actions' }, more)),
    actionBar(decide, status, selected),
  ];
}
