// Typed input survives navigation, a lock and a reload: every change of a form is written to
// localStorage under the form's key and put back when the form is shown again. A successful
// save clears it; a logout wipes every draft. localStorage rather than IndexedDB because its
// writes are synchronous: a reload right after the last keystroke cannot lose it.

import { app } from './app.js';

const PREFIX = 'siklus.draft:';

const draftKey = (name) => `${PREFIX}${app.profile.username}:${name}`;

export function readDraft(name) {
  const raw = localStorage.getItem(draftKey(name));
  return raw === null ? null : JSON.parse(raw);
}

export function writeDraft(name, value) {
  try {
    localStorage.setItem(draftKey(name), JSON.stringify(value));
  } catch (error) {
    console.warn('draft not kept:', error); // storage full: the form itself still works
  }
}

export function clearDraft(name) {
  localStorage.removeItem(draftKey(name));
}

/** [name suffix, draft] of every draft whose name starts with `prefix`. */
export function draftsStartingWith(prefix) {
  const start = draftKey(prefix);
  return Object.keys(localStorage).filter((key) => key.startsWith(start))
    .map((key) => [key.slice(start.length), JSON.parse(localStorage.getItem(key))]);
}

/** Every draft of every user on this device (logout). */
export function clearAllDrafts() {
  Object.keys(localStorage).filter((key) => key.startsWith(PREFIX))
    .forEach((key) => localStorage.removeItem(key));
}

function named(form) {
  return [...form.elements].filter((el) => el.name && !el.disabled && el.type !== 'submit');
}

export function formValues(form) {
  const values = {};
  for (const el of named(form)) {
    if (el.type === 'checkbox' && el.dataset.group) {
      values[el.name] ??= [];
      if (el.checked) values[el.name].push(el.value);
    } else if (el.type === 'checkbox') {
      values[el.name] = el.checked;
    } else if (el.type === 'radio') {
      if (el.checked) values[el.name] = el.value;
    } else {
      values[el.name] = el.value;
    }
  }
  return values;
}

function fillForm(form, values) {
  for (const el of named(form)) {
    if (!(el.name in values)) continue;
    const value = values[el.name];
    if (el.type === 'checkbox') {
      el.checked = Array.isArray(value) ? value.includes(el.value) : Boolean(value);
    } else if (el.type === 'radio') {
      el.checked = el.value === value;
    } else {
      el.value = value ?? '';
    }
    // Sections that show or hide on a choice must see the restored choice.
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

/** Fills `form` from its draft (else from `initial`) and keeps the draft current as the user
 * types; `clear()` after a successful save. */
export function bindDraft(form, name, initial = {}) {
  const saved = readDraft(name);
  fillForm(form, saved ?? initial);
  const save = () => writeDraft(name, formValues(form));
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  return {
    restored: saved !== null,
    clear: () => {
      form.removeEventListener('input', save);
      form.removeEventListener('change', save);
      clearDraft(name);
    },
  };
}
