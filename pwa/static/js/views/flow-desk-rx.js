// The desk's prescription: one line per drug (name, dose, quantity, instructions), lines added
// and removed at will; read as typed text, turned into the encounter's `prescriptions` by
// flow-desk-model.js prescriptionItems. Field names carry the line's key (`rx-3-drug`), so a
// refused value is shown under its own field by forms.js showErrors.

import { h } from '../dom.js';
import { field } from '../forms.js';
import { t } from '../i18n.js';

const FIELDS = ['drug', 'dose', 'quantity', 'instructions'];

/** { element, lines() -> [{key, drug, dose, quantity, instructions}] } */
export function prescriptionEditor() {
  const list = h('ol', { class: 'rx-lines', 'data-testid': 'rx-lines' });
  let next = 0;

  function addLine() {
    const key = next;
    next += 1;
    const line = h('li', { class: 'rx-line', dataset: { key: String(key) } },
      h('div', { class: 'row' },
        field({ name: `rx-${key}-drug`, label: t('flow_desk.rx_drug'), maxlength: 120 }),
        field({ name: `rx-${key}-dose`, label: t('flow_desk.rx_dose'), hint: t('flow_desk.rx_dose_hint'), maxlength: 60 }),
        field({ name: `rx-${key}-quantity`, label: t('flow_desk.rx_quantity'), type: 'integer' }),
        field({ name: `rx-${key}-instructions`, label: t('flow_desk.rx_instructions'), maxlength: 200 })),
      h('button', {
        type: 'button', class: 'secondary small',
        onclick: () => {
          line.remove();
          if (!list.children.length) addLine();
        },
      }, t('flow_desk.rx_remove')));
    list.append(line);
    return line;
  }
  addLine();
  const add = h('button', {
    type: 'button', class: 'secondary',
    onclick: () => addLine().querySelector('input')?.focus(),
  }, t('flow_desk.rx_add'));

  return {
    element: h('div', { class: 'rx-editor' }, list, add),
    lines: () => [...list.children].map((line) => {
      const { key } = line.dataset;
      return { key, ...Object.fromEntries(FIELDS.map((name) => [name, line.querySelector(`[name="rx-${key}-${name}"]`).value])) };
    }),
  };
}
