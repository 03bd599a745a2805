// Modal questions with the native <dialog>: focus is trapped and Escape cancels, for free.

import { h, uid } from './dom.js';
import { t } from './i18n.js';

/** Resolves true when the user confirms, false on cancel or Escape. */
export function confirmDialog({ title, body = [], confirm, danger = false }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      body.map((text) => h('p', {}, text)),
      h('form', { method: 'dialog', class: 'actions' },
        h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, t('common.cancel')),
        h('button', { type: 'submit', value: 'ok', class: danger ? 'danger' : 'primary' }, confirm)));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
