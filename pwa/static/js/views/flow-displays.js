// Layar antrean (#/flow/layar; Kepala Puskesmas and admin): create a waiting-room screen for
// some service points, see its link and QR code once (the server keeps only the token's
// hash), list the screens and remove one (its TV then says the screen was removed).
// docs/flow.md "Waiting-room display"; API backend/api/flow/display.py.

import { hasRole } from '../app.js';
import { confirmDialog } from '../dialog.js';
import { h, replace, uid } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { apiFetch } from '../session.js';
import { qrSvg } from './household-reminders.js';
import { card, dataTable, empty, page } from './ui.js';

const MANAGERS = ['kapus', 'admin'];

/** The screen's address on this server: what the TV opens. */
export const screenUrl = (url, origin = window.location.origin) => `${origin}${url}`;

function problemText(error) {
  return error?.problem?.detail ?? t('flowdisplay.error');
}

function createdCard(created) {
  const url = screenUrl(created.url);
  const qr = qrSvg(url);
  qr.setAttribute('aria-label', t('flowdisplay.qr_alt'));
  const copied = h('span', { role: 'status', class: 'meta' });
  return h('section', { class: 'card flow-display-created', 'data-testid': 'flow-display-created' },
    h('h2', { tabindex: '-1' }, t('flowdisplay.created_title', { label: created.label })),
    h('p', { class: 'notice warn' }, t('flowdisplay.once')),
    h('div', { class: 'qr-box' }, qr),
    h('p', {}, h('code', { class: 'flow-display-url', 'data-testid': 'flow-display-url' }, url)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          await navigator.clipboard.writeText(url);
          copied.textContent = t('flowdisplay.copied');
        } catch {
          copied.textContent = t('flowdisplay.copy_failed');
        }
      } }, t('flowdisplay.copy')), copied),
    h('p', { class: 'hint' }, t('flowdisplay.how')));
}

function newScreenForm(points, onCreated) {
  const labelId = uid('display-label');
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const label = h('input', { id: labelId, name: 'label', type: 'text', maxlength: 80, required: true, 'data-testid': 'flow-display-label' });
  const boxes = points.map((point) => {
    const id = uid('display-point');
    return h('div', { class: 'choice-option' },
      h('input', { type: 'checkbox', id, name: 'point', value: point.id }),
      h('label', { for: id }, point.label));
  });
  const chimeId = uid('display-chime');
  const chime = h('input', { type: 'checkbox', id: chimeId, name: 'chime', checked: true });
  const form = h('form', { class: 'flow-display-form', 'data-testid': 'flow-display-form', onsubmit: async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll('input[name=point]:checked')].map((box) => box.value);
    if (!label.value.trim() || !chosen.length) {
      status.className = 'notice bad';
      status.textContent = t('flowdisplay.incomplete');
      return;
    }
    try {
      const created = await apiFetch('/flow/displays', { method: 'POST', body: { label: label.value.trim(), service_points: chosen, chime: chime.checked } });
      onCreated(created);
    } catch (error) {
      status.className = 'notice bad';
      status.textContent = problemText(error);
    }
  } },
  h('label', { for: labelId, class: 'flow-display-name' }, t('flowdisplay.label')),
  label,
  h('p', { class: 'hint' }, t('flowdisplay.label_hint')),
  h('fieldset', {}, h('legend', {}, t('flowdisplay.points')), boxes),
  h('div', { class: 'choice-option' }, chime, h('label', { for: chimeId }, t('flowdisplay.chime'))),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'flow-display-create' }, t('flowdisplay.create'))),
  status);
  return card(t('flowdisplay.new'), form);
}

function screensCard(displays, onRemove) {
  if (!displays.length) return card(t('flowdisplay.list'), empty(t('flowdisplay.none')));
  const rows = displays.map((screen) => h('tr', { 'data-display': screen.id },
    h('td', {}, screen.label),
    h('td', {}, screen.service_points.map((point) => point.label).join(', ')),
    h('td', {}, screen.chime ? t('flowdisplay.chime_yes') : t('flowdisplay.chime_no')),
    h('td', {}, formatDateTime(screen.created_at), h('span', { class: 'meta' }, ' · ', screen.created_by)),
    h('td', {}, h('button', { type: 'button', class: 'danger', 'data-testid': 'flow-display-remove', onclick: () => onRemove(screen) }, t('flowdisplay.remove')))));
  return card(t('flowdisplay.list'), dataTable([t('flowdisplay.label'), t('flowdisplay.points'), t('flowdisplay.chime_col'),
    t('flowdisplay.created'), ''], rows, { cards: true, 'data-testid': 'flow-display-list' }));
}

export async function flowDisplaysPage() {
  if (!hasRole(...MANAGERS)) return page(t('flowdisplay.title'), { back: '#/' }, h('p', { class: 'notice bad' }, t('flowdisplay.forbidden')));
  const root = h('div', {});
  let created = null;

  async function draw() {
    let points;
    let displays;
    try {
      [points, displays] = await Promise.all([apiFetch('/flow/displays/points'), apiFetch('/flow/displays')]);
    } catch (error) {
      replace(root, h('p', { class: 'notice bad' }, problemText(error)));
      return;
    }
    replace(root,
      created ? createdCard(created) : null,
      newScreenForm(points, async (made) => {
        created = made;
        await draw();
        // The link is at the top of the page, the button pressed at its foot: show it.
        window.scrollTo(0, 0);
        root.querySelector('[data-testid=flow-display-created] h2')?.focus();
      }),
      screensCard(displays, async (screen) => {
        const ok = await confirmDialog({ title: t('flowdisplay.remove_title', { label: screen.label }), body: [t('flowdisplay.remove_text')], confirm: t('flowdisplay.remove'), danger: true });
        if (!ok) return;
        try {
          await apiFetch(`/flow/displays/${encodeURIComponent(screen.id)}`, { method: 'DELETE' });
        } catch (error) {
          if (error.status !== 404) throw error;
        }
        if (created?.id === screen.id) created = null;
        draw();
      }));
  }

  await draw();
  return page(t('flowdisplay.title'), { back: '#/flow', lead: t('flowdisplay.lead') }, root);
}
