// Warga: find a person by name, NIK or no. KK on the device (no network), or register one.
// At a desk the search runs on the server over the whole area (desk-records.js DeskSearch).

import { app, canWrite } from '../app.js';
import { clinicalConfig } from '../clinical-config.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { empty, linkButton, page, personLine } from './ui.js';

/** A search box with live results linking to person pages; `rowActions(person)` adds
 * buttons to a row (the Posyandu register step puts "Daftarkan" there). */
export function searchPanel(config, { rowActions = null, autofocus = true, initial = '' } = {}) {
  const results = h('ul', { class: 'results', 'aria-live': 'polite', 'data-testid': 'search-results' });
  const input = h('input', {
    type: 'search', id: 'person-search', name: 'q', autocomplete: 'off', value: initial,
    placeholder: t('search.placeholder'), 'aria-describedby': 'person-search-hint', autofocus,
  });
  let asked = 0;
  const show = async () => {
    const query = input.value;
    asked += 1;
    const ticket = asked;
    let found;
    let refused = false;
    try {
      found = await app.index.search(query);
    } catch (error) {
      found = null; // a desk without network: say so, never "nobody found"
      refused = error.status === 403;
    }
    if (ticket !== asked) return; // a later keystroke's answer wins
    if (!query.trim()) {
      results.replaceChildren();
      return;
    }
    if (!found) {
      results.replaceChildren(h('li', { role: 'alert' }, empty(t(refused ? 'sync.explain.forbidden' : 'desk.search_offline'))));
      return;
    }
    results.replaceChildren(...(found.length ? found.map((person) => h('li', { class: 'result' },
      h('a', { href: `#/person/${person._id}`, class: 'result-main' }, personLine(config, person)),
      rowActions?.(person)))
      : [h('li', {}, empty(t('search.none')))]));
  };
  // On the server, one request per pause in typing rather than per key.
  let timer = null;
  input.addEventListener('input', app.desk ? () => { clearTimeout(timer); timer = setTimeout(show, 250); } : show);
  show();
  return h('div', { class: 'search-panel', role: 'search' },
    h('label', { for: 'person-search', class: 'search-label' }, t('search.label')),
    input,
    h('p', { class: 'hint', id: 'person-search-hint' }, t(app.desk ? 'desk.search_hint' : 'search.hint')),
    results);
}

export async function persons() {
  const config = await clinicalConfig();
  return page(t('persons.title'), {
    actions: canWrite('person') ? [linkButton('#/person/new', t('persons.register'), 'primary')] : [],
  }, searchPanel(config));
}
