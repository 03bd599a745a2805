// Form building blocks with their labels, hints and error messages wired for screen readers
// (label for=, aria-describedby, aria-invalid), and the error summary shown on a failed save.

import { h, uid } from './dom.js';
import { t } from './i18n.js';

/**
 * One labelled control. type: text | decimal | integer | date | tel | select | radio |
 * checkbox | textarea | password. Decimal fields take "7,5" or "7.5" (Indonesian keyboards
 * type a comma), so they are text inputs with a decimal keypad rather than type=number.
 */
export function field({
  name, label, type = 'text', required = false, hint, options = [], unit, value,
  ...attrs
}) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const common = {
    id, name, required, 'aria-describedby': describedBy, ...attrs,
  };
  let control;
  if (type === 'select') {
    control = h('select', common,
      h('option', { value: '' }, t('form.choose')),
      options.map(([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text)));
  } else if (type === 'radio' || type === 'checkbox-group') {
    const inputType = type === 'radio' ? 'radio' : 'checkbox';
    return h('fieldset', { class: `field choice ${type}`, 'aria-describedby': describedBy },
      h('legend', {}, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      h('div', { class: 'choices' }, options.map(([optionValue, text]) => {
        const optionId = uid(name);
        return h('label', { class: 'choice-option', for: optionId },
          h('input', {
            type: inputType, id: optionId, name, value: optionValue, required: required && type === 'radio',
            dataset: inputType === 'checkbox' ? { group: name } : null,
            checked: Array.isArray(value) ? value.includes(optionValue) : value === optionValue,
          }),
          h('span', {}, text));
      })),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('p', { class: 'error', id: errorId, 'data-error-for': name }));
  } else if (type === 'checkbox') {
    return h('div', { class: 'field checkbox' },
      h('label', { for: id, class: 'choice-option' },
        h('input', { type: 'checkbox', ...common, checked: Boolean(value) }), h('span', {}, label)),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('p', { class: 'error', id: errorId, 'data-error-for': name }));
  } else if (type === 'textarea') {
    control = h('textarea', { ...common, rows: 3, value });
  } else {
    const inputs = {
      decimal: { type: 'text', inputmode: 'decimal', autocomplete: 'off' },
      integer: { type: 'text', inputmode: 'numeric', autocomplete: 'off' },
    };
    control = h('input', { type, ...inputs[type], ...common, value });
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    unit ? h('div', { class: 'with-unit' }, control, h('span', { class: 'unit' }, unit)) : control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'error', id: errorId, 'data-error-for': name }));
}

export function parseDecimal(text) {
  if (text === undefined || text === null || String(text).trim() === '') return null;
  const value = Number(String(text).trim().replace(',', '.'));
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The visible label of a field, without the required marker: for the error summary. */
function labelOf(form, control) {
  const group = control.closest('fieldset.field');
  const label = group ? group.querySelector('legend') : form.querySelector(`label[for="${control.id}"]`);
  return label ? label.firstChild.textContent.trim() : null;
}

/** One summary line per error, linking to its field ("Nama lengkap: Wajib diisi."). */
function summaryItem(form, name, message) {
  const control = form.querySelector(`[name="${name}"]:not([type=hidden])`);
  const label = control ? labelOf(form, control) : null;
  if (!label) return h('li', {}, message);
  return h('li', {}, h('a', {
    href: `#${control.id}`,
    onclick: (event) => {
      event.preventDefault(); // the hash is the app's route, not an anchor
      control.focus();
    },
  }, `${label}: ${message}`));
}

/** Shows `errors` ({field: message}) under their fields and in a summary; focuses the first. */
export function showErrors(form, errors, summaryTitle = t('form.fix_errors')) {
  clearErrors(form);
  const names = Object.keys(errors);
  if (!names.length) return true;
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('p', { class: 'summary-title' }, summaryTitle),
    h('ul', {}, names.map((name) => summaryItem(form, name, errors[name]))));
  form.prepend(summary);
  for (const name of names) {
    const slot = form.querySelector(`[data-error-for="${name}"]`);
    if (slot) slot.textContent = errors[name];
    form.querySelectorAll(`[name="${name}"]`).forEach((el) => el.setAttribute('aria-invalid', 'true'));
  }
  const first = form.querySelector('[aria-invalid="true"]');
  (first ?? summary).focus();
  return false;
}

export function clearErrors(form) {
  form.querySelector('.error-summary')?.remove();
  form.querySelectorAll('[data-error-for]').forEach((slot) => { slot.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
}

/** Non-blocking notes (a NIK that disagrees with the birth date): shown, never refused. */
export function showWarnings(form, warnings) {
  form.querySelector('.warning-summary')?.remove();
  const notes = Object.values(warnings);
  if (notes.length) {
    form.prepend(h('div', { class: 'warning-summary', role: 'status', tabindex: '-1' },
      h('ul', {}, notes.map((note) => h('li', {}, note))),
      h('p', {}, t('form.save_anyway'))));
  }
}

/** Runs an async save on submit, once: taps while it runs are ignored, so a double tap at
 * a crowded table never writes a visit twice. */
export function onSubmit(form, save) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    form.setAttribute('aria-busy', 'true');
    try {
      await save();
    } finally {
      form.removeAttribute('aria-busy');
    }
  });
}

export function actions(...buttons) {
  return h('div', { class: 'actions' }, buttons);
}
