// Choosing ICD-10 diagnoses by name: type "hipertensi", "diare" or a code, tap a result, and it
// is listed as "I10 Hipertensi esensial". The chosen codes live in one hidden field, so the
// form's draft keeps them across a reload like any other value.

import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { ICD10_PATTERN, icd10Label, icd10Name, normalizeCode, searchIcd10 } from '../icd10.js';

const RESULTS = 8;

/** Why a typed-but-not-added text cannot be a diagnosis, or null (empty, or a name search). */
export function pendingProblem(text, chosen) {
  const code = normalizeCode(text);
  if (!code) return null;
  if (!ICD10_PATTERN.test(code)) return /^[A-Z]\d/.test(code) ? t('valid.icd10', { codes: code }) : t('valid.icd10_pick');
  if (!icd10Name(code)) return t('valid.icd10_unknown', { code });
  return chosen.includes(code) ? t('valid.icd10_twice', { label: icd10Label(code) }) : t('valid.icd10_pick');
}

/** The diagnosis field: { element, codes() -> ['I10', …], problem() -> message | null }. */
export function icd10Picker({ name = 'diagnoses', label = t('visit.icd10') } = {}) {
  const id = uid(name);
  const store = h('input', { type: 'hidden', name, value: '' });
  const search = h('input', {
    id, type: 'search', autocomplete: 'off', enterkeyhint: 'search', 'aria-describedby': `${id}-hint ${id}-error`,
    'aria-controls': `${id}-results`,
  });
  const results = h('ul', { class: 'icd10-results', id: `${id}-results`, 'aria-label': t('visit.icd10_results') });
  const chosenList = h('ul', { class: 'icd10-chosen', 'data-testid': 'diagnoses-chosen', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', id: `${id}-error`, 'data-error-for': name });
  const codes = () => store.value.split(' ').filter(Boolean);

  function setCodes(list) {
    store.value = list.join(' ');
    store.dispatchEvent(new Event('change', { bubbles: true })); // the draft saves on change
  }
  function drawChosen() {
    replace(chosenList, codes().length ? codes().map((code) => h('li', {},
      h('span', {}, icd10Label(code)),
      h('button', { type: 'button', class: 'secondary small', 'aria-label': t('visit.icd10_remove', { label: icd10Label(code) }),
        onclick: () => setCodes(codes().filter((c) => c !== code)) }, t('visit.icd10_remove_short'))))
      : h('li', { class: 'empty' }, t('visit.icd10_none')));
  }
  function add(code) {
    error.textContent = '';
    if (codes().includes(code)) {
      error.textContent = t('valid.icd10_twice', { label: icd10Label(code) });
    } else {
      setCodes([...codes(), code]);
    }
    search.value = '';
    replace(results);
    search.focus();
  }
  function drawResults() {
    const query = search.value.trim();
    const found = searchIcd10(query, RESULTS);
    error.textContent = '';
    replace(results, found.map(({ code }) => h('li', {}, h('button', {
      type: 'button', class: 'secondary icd10-option', onclick: () => add(code),
    }, icd10Label(code)))));
    if (query && !found.length) error.textContent = pendingProblem(query, codes()) ?? t('visit.icd10_no_match', { query });
  }
  search.addEventListener('input', (event) => {
    event.stopPropagation(); // a search is not a form value: no draft write, no re-evaluation
    drawResults();
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault(); // Enter picks a diagnosis; it must not submit the visit
    const code = normalizeCode(search.value);
    if (icd10Name(code)) add(code);
    else error.textContent = pendingProblem(search.value, codes()) ?? '';
  });
  store.addEventListener('change', drawChosen); // also when the draft restores the value
  drawChosen();
  const element = h('div', { class: 'field icd10-picker' },
    h('label', { for: id }, label),
    search,
    h('p', { class: 'hint', id: `${id}-hint` }, t('visit.icd10_hint')),
    error, results,
    h('h3', {}, t('visit.icd10_chosen')), chosenList, store);
  return { element, codes, problem: () => pendingProblem(search.value, codes()) };
}
