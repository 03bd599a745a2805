// "Pengingat untuk keluarga" on a household's page (docs/push.md, "Family subscription and
// consent"): whether the family receives reminders, the QR code that lets it subscribe on its
// own phone, the invites still open ("Cabut") and the kader's "Keluarga minta berhenti".
//
// The QR works without signal: the token is 32 random bytes drawn here, only its SHA-256 goes
// into the `subscription_invite` document (written through db.js, like every edit, and sent
// by the outbox when there is signal), and the token itself lives only in the QR on screen.
// It rides in the URL fragment (/keluarga/#<token>), which the family's browser never sends.

import { app, canWrite } from '../app.js';
import * as db from '../db.js';
import { confirmDialog } from '../dialog.js';
import { h, replace, svg, uid } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { onLeave } from '../router.js';
import qrcode from '../../vendor/qrcode.mjs';
import { badge, empty } from './ui.js';

const TOKEN_BYTES = 32;
const DAY_MS = 24 * 3600 * 1000;

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh token and the hex SHA-256 of its text (what the server looks the invite up by). */
export async function drawToken() {
  const token = base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return { token, hash: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') };
}

/** The link in the QR code: the family page with the token in the fragment. */
export function inviteLink(token, origin = window.location.origin) {
  return `${origin}/keluarga/#${token}`;
}

/** The QR code of `text` as an SVG (one path of dark modules; no markup from strings). */
export function qrSvg(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let d = '';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) if (qr.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
  }
  const size = n + 2 * quiet;
  return svg('svg', { class: 'qr-code', viewBox: `0 0 ${size} ${size}`, role: 'img',
    'aria-label': t('family.qr.alt'), 'shape-rendering': 'crispEdges' },
  svg('rect', { width: size, height: size, fill: '#fff' }),
  svg('path', { d, fill: '#000' }));
}

function isLive(doc, now) {
  return !doc.revoked_at && !doc.used_at && Date.parse(doc.expires_at) > now;
}

/** What the household's consents say: the live ones (newest first) and the latest stopped. */
export function consentState(consents) {
  const sorted = [...consents].sort((a, b) => b.given_at.localeCompare(a.given_at));
  return { live: sorted.filter((c) => !c.revoked_at), stopped: sorted.find((c) => c.revoked_at) ?? null };
}

function showQr(household, token, expiresAt) {
  const titleId = uid('dialog');
  const dialog = h('dialog', { class: 'dialog qr-dialog', 'aria-labelledby': titleId },
    // The title takes the focus showModal gives, so a phone opens the dialog at its top (the
    // QR), not scrolled down to the first button.
    h('h2', { id: titleId, tabindex: '-1', autofocus: '' }, t('family.qr.title', { name: household.head_name })),
    h('div', { class: 'qr-box', 'data-testid': 'family-qr', 'data-link': inviteLink(token) }, qrSvg(inviteLink(token))),
    h('p', {}, t('family.qr.what')),
    h('p', {}, t('family.qr.scan')),
    h('p', { class: 'qr-valid' }, t('family.qr.valid', { date: formatDate(expiresAt, 'long') })),
    h('form', { method: 'dialog', class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('family.qr.close'))));
  dialog.addEventListener('close', () => dialog.remove()); // the token leaves with it
  document.body.append(dialog);
  dialog.showModal();
}

async function newInvite(household, section) {
  const days = app.profile.push_invite_days;
  if (!Number.isFinite(days) || days <= 0) {
    // Set by the server (PUSH_INVITE_DAYS, in the login answer); never guessed here.
    section.querySelector('.family-note').textContent = t('family.qr.no_days');
    return;
  }
  const { token, hash } = await drawToken();
  const expiresAt = db.nowIso(new Date(Date.now() + days * DAY_MS));
  await db.create('subscription_invite', household.desa, {
    household: household._id, token_hash: hash, expires_at: expiresAt,
  });
  render(household, section);
  showQr(household, token, expiresAt);
}

async function revokeInvite(household, section, invite) {
  const ok = await confirmDialog({ title: t('family.invite.revoke_title'), body: [t('family.invite.revoke_body')],
    confirm: t('family.invite.revoke'), danger: true });
  if (!ok) return;
  await db.update(invite, { revoked_at: db.nowIso() });
  render(household, section);
}

async function stopConsent(household, section, consent) {
  const ok = await confirmDialog({ title: t('family.consent.stop_title'),
    body: [t('family.consent.stop_body', { name: consent.given_by })], confirm: t('family.consent.stop'), danger: true });
  if (!ok) return;
  await db.update(consent, { revoked_at: db.nowIso() });
  render(household, section);
}

function consentLines(household, section, state) {
  if (state.live.length) {
    return state.live.map((consent) => h('div', { class: 'family-consent' },
      badge(t('family.consent.on'), 'ok'),
      h('span', {}, t('family.consent.given', { name: consent.given_by, date: formatDate(consent.given_at, 'long') })),
      canWrite('subscription_consent')
        ? h('button', { type: 'button', class: 'small secondary', onclick: () => stopConsent(household, section, consent) },
          t('family.consent.stop'))
        : null));
  }
  if (state.stopped) {
    return h('div', { class: 'family-consent' }, badge(t('family.consent.off'), 'muted'),
      h('span', {}, t('family.consent.stopped', { date: formatDate(state.stopped.revoked_at, 'long') })));
  }
  return h('div', { class: 'family-consent' }, badge(t('family.consent.none'), 'muted'),
    h('span', {}, t('family.consent.none_text')));
}

function inviteList(household, section, invites) {
  if (!invites.length) return null;
  return h('div', {},
    h('h3', {}, t('family.invite.open')),
    h('ul', { class: 'family-invites' }, invites.map((invite) => h('li', {},
      h('span', {}, t('family.invite.valid', { date: formatDate(invite.expires_at, 'long'),
        made: formatDate(invite.created_at) })),
      canWrite('subscription_invite')
        ? h('button', { type: 'button', class: 'small secondary', onclick: () => revokeInvite(household, section, invite) },
          t('family.invite.revoke'))
        : null))));
}

function render(household, section) {
  const now = Date.now();
  const state = consentState(app.records.childrenOf('subscription_consent', household._id));
  const invites = app.records.childrenOf('subscription_invite', household._id)
    .filter((invite) => isLive(invite, now))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  const writer = canWrite('subscription_invite');
  const canInvite = writer && window.isSecureContext && Boolean(crypto.subtle);
  replace(section,
    h('h2', {}, t('family.title')),
    consentLines(household, section, state),
    inviteList(household, section, invites),
    canInvite
      ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'family-show-qr',
        onclick: () => newInvite(household, section) }, t('family.qr.show')))
      : null,
    writer && !canInvite ? empty(t('family.qr.cannot')) : null,
    h('p', { class: 'family-note lead', role: 'status' }));
}

const FOLLOWED = new Set(['subscription_consent', 'subscription_invite']);

/** Whether a records change event concerns the section of `householdId`: one of its consents
 * or invites arrived or changed (a family's consent synced in), or a document left the device
 * (its detail then holds only the id, so any may have been one of them). */
export function concernsHousehold(detail, householdId) {
  if (detail._deleted) return true;
  return FOLLOWED.has(detail.type) && detail.household === householdId;
}

/** Re-render the section (debounced) whenever a consent or invite of the household changes on
 * this device — by sync, by another view — until the page is left. */
function follow(household, section) {
  let timer = null;
  const changed = (event) => {
    if (!concernsHousehold(event.detail, household._id)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (section.isConnected) render(app.records.get(household._id) ?? household, section);
    }, 150);
  };
  app.records.addEventListener('change', changed);
  onLeave(() => {
    clearTimeout(timer);
    app.records.removeEventListener('change', changed);
  });
}

/** The section, for householdPage. */
export function householdReminders(household) {
  const section = h('section', { class: 'card family-reminders', 'data-testid': 'family-reminders' });
  render(household, section);
  follow(household, section);
  return section;
}
