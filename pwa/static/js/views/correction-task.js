// A correction the Puskesmas sent back (task rule `koreksi`) on the tablet: what to fix and
// the button that opens the screen fixing it (corrections.js says which). Shown on the task
// page, in the task list and on the person page.

import { app, canWrite } from '../app.js';
import { correctionMade, correctionTarget } from '../corrections.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { isOpen } from '../task-list.js';
import { badge, card, linkButton } from './ui.js';

/** Whether this device already holds what the task asks for. */
function made(task) {
  return correctionMade(task, (id) => app.records.get(id), app.records.encounters(task.person));
}

/** "Koreksi" / "Koreksi tersimpan" badge for a task line, or null for other tasks. */
export function correctionBadge(task) {
  if (!correctionTarget(task)) return null;
  return isOpen(task) && made(task) ? badge(t('correction.saved_badge'), 'ok') : badge(t('correction.badge'), 'warn');
}

/** The button opening the correction, or null (not a correction, closed, or no right to write). */
export function correctionButton(task, tone = 'primary') {
  const target = correctionTarget(task);
  if (!target || !isOpen(task) || !canWrite(target.kind)) return null;
  return h('span', { 'data-testid': 'correction-open' }, linkButton(target.href, t(`correction.open.${target.kind}`), tone));
}

/** The task page's card: what the Puskesmas asks, the button, and whether it is done here. */
export function correctionCard(task) {
  const target = correctionTarget(task);
  if (!target) return null;
  const done = isOpen(task) && made(task);
  return card(t('correction.title'),
    h('p', {}, t(`correction.about.${target.kind}`)),
    done ? h('p', { class: 'notice ok', role: 'status', 'data-testid': 'correction-saved' }, t('correction.saved')) : null,
    correctionButton(task, done ? 'secondary' : 'primary'));
}
