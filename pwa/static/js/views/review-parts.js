// Pieces the Tinjauan tabs share: the desa picker, the status line that says what the last
// action did, and the sentence for a refused request.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { desaOptions } from './places.js';

/** The desa a tab shows: the one asked for if the user's area has it, else the first. */
export function chosenDesa(query) {
  const options = desaOptions();
  return options.some(([code]) => code === query.desa) ? query.desa : options[0]?.[0] ?? null;
}

/** A select of the user's desa (40 at a Puskesmas), each with what `extra(code)` says
 * (e.g. open flags); choosing one changes the hash with `href(code)`. */
export function desaPicker(desa, href, extra = () => null) {
  return h('form', { class: 'inline-form', onsubmit: (event) => event.preventDefault() },
    h('label', { for: 'review-desa' }, t('review.desa')),
    h('select', {
      id: 'review-desa',
      onchange: (event) => { window.location.hash = href(event.target.value); },
    }, desaOptions().map(([code, name]) => {
      const more = extra(code);
      return h('option', { value: code, selected: code === desa }, more ? `${name} (${more})` : name);
    })));
}

/** The line that tells what the last action did (role=status: read out when it changes). */
export function statusLine(testid) {
  const line = h('p', { class: 'review-status', role: 'status', 'aria-live': 'polite', 'data-testid': testid });
  return {
    element: line,
    say(text, tone = 'ok') {
      line.className = text ? `review-status notice ${tone}` : 'review-status';
      line.textContent = text ?? '';
    },
  };
}

/** What to tell the reviewer when the server refused: its own sentence for a 4xx (the API
 * answers in Indonesian), a general one otherwise. */
export function refusal(error) {
  if (error?.status === 401) return t('review.login');
  const detail = error?.problem?.detail;
  return error?.status && error.status < 500 && detail ? detail : t('review.failed');
}
