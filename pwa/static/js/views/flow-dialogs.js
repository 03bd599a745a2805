// The queue panel's questions (views/flow-queue.js): where to transfer a person and why, and
// whether to cancel their place. Native <dialog>, like dialog.js: focus trapped, Escape cancels.

import { h, uid } from '../dom.js';
import { field } from '../forms.js';
import { t } from '../i18n.js';

/** A modal form; resolves to its values ({name: value}) on confirm, null on cancel or Escape.
 * `check(values)` returns an error message to show (and keep the dialog open) or null. */
export function formDialog({
  title, body = [], fields, confirm, dismiss = t('common.cancel'), danger = false, check = () => null,
}) {
  return new Promise((resolve) => {
    const titleId = uid('dialog');
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h('form', { method: 'dialog', class: 'stack', novalidate: true },
      body.map((text) => h('p', {}, text)), fields, error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true }, dismiss),
        h('button', { type: 'submit', value: 'ok', class: danger ? 'danger' : 'primary' }, confirm)));
    const dialog = h('dialog', { class: 'dialog flow-dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title), form);
    let values = null;
    form.addEventListener('submit', (event) => {
      if (event.submitter?.value !== 'ok') return; // cancel closes the dialog as it is
      const data = Object.fromEntries(new FormData(form));
      const problem = check(data);
      if (problem) {
        event.preventDefault();
        error.textContent = problem;
        return;
      }
      values = data;
    });
    dialog.addEventListener('close', () => {
      resolve(values);
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** The service points a person can be sent to from `from` (active, not `from` itself), in the
 * Puskesmas's order. */
export function transferTargets(points, from) {
  return points.filter((point) => point.active !== false && point.id !== from && point.kind !== 'registration')
    .sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
}

/** Where to, and why: {to, reason} or null. */
export function transferDialog(entry, targets) {
  return formDialog({
    title: t('flow.transfer.title', { ticket: entry.ticket }),
    body: [entry.person?.name ?? ''],
    fields: [
      field({ name: 'to', label: t('flow.transfer.to'), type: 'select', required: true,
        options: targets.map((point) => [point.id, point.label]) }),
      field({ name: 'reason', label: t('flow.transfer.reason'), type: 'textarea', maxlength: 300,
        hint: t('flow.transfer.reason_hint') }),
    ],
    confirm: t('flow.action.transfer'),
    check: (values) => (values.to ? null : t('flow.transfer.pick')),
  });
}

/** Whether to end a person's place in the queue (they left), with an optional reason. */
export function cancelDialog(entry) {
  return formDialog({
    title: t('flow.cancel.title', { ticket: entry.ticket }),
    body: [entry.person?.name ?? '', t('flow.cancel.body')],
    fields: [field({ name: 'reason', label: t('flow.cancel.reason'), type: 'textarea', maxlength: 300 })],
    confirm: t('flow.cancel.confirm'),
    dismiss: t('flow.cancel.keep'),
    danger: true,
  });
}
