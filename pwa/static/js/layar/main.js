// The waiting-room screen /layar/ (docs/flow.md "Waiting-room display"): full screen on a TV,
// landscape; the ticket each service point called last in huge numbers, the last few calls
// with the newest highlighted, the clock, and an optional chime. Numbers and rooms only: the
// feed carries no names. The screen's token is the URL fragment (never sent by the browser);
// feed.js sends it in a header and reconnects by itself after a network blip.

import { h, replace } from '../dom.js';
import { language, t } from '../i18n.js';
import { chimeSupported, enable as enableChime, enabled as chimeOn, play as chime } from './chime.js';
import { connectFeed } from './feed.js';

const root = document.getElementById('layar');
const RECENT = 6;
const FRESH_MS = 12000;

const view = {
  state: null,        // the last `state` event, kept up to date by `call` events
  status: 'connecting',
  freshPoint: null,
  freshTimer: null,
};
let clockTimer = null;

const locale = () => (language() === 'en' ? 'en-GB' : 'id-ID');
const time = (iso) => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

function message(title, text) {
  clearInterval(clockTimer);
  replace(root, h('section', { class: 'layar-message', 'data-testid': 'layar-message' },
    h('h1', {}, title), text ? h('p', {}, text) : null));
}

function clock() {
  const now = new Date();
  const clockText = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(now);
  const dateText = new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(now);
  return h('div', { class: 'layar-when' },
    h('time', { class: 'layar-clock', datetime: now.toISOString(), 'data-testid': 'layar-clock' }, clockText),
    h('span', { class: 'layar-date' }, dateText));
}

function statusLine() {
  const text = view.status === 'reconnecting' ? t('layar.reconnecting')
    : view.status === 'connecting' ? t('layar.connecting') : '';
  return h('span', { class: 'layar-status', role: 'status', 'data-testid': 'layar-status', hidden: !text }, text);
}

function pointCard(point) {
  const current = point.current;
  const fresh = view.freshPoint === point.id;
  return h('article', { class: `layar-point${fresh ? ' fresh' : ''}`, 'data-point': point.id },
    h('h2', {}, point.label),
    h('p', { class: 'layar-ticket', 'data-testid': `layar-ticket-${point.id}` }, current ? current.ticket : '–'),
    h('p', { class: 'layar-note' }, current
      ? [current.recall ? h('strong', {}, t('layar.recall'), ' · ') : null, time(current.called_at)]
      : t('layar.none')));
}

function recentList() {
  const calls = view.state.recent;
  return h('aside', { class: 'layar-recent', 'aria-labelledby': 'layar-recent-title' },
    h('h2', { id: 'layar-recent-title' }, t('layar.recent')),
    calls.length ? h('ol', { 'data-testid': 'layar-recent' }, calls.map((call, i) => h('li', { class: i === 0 ? 'newest' : null },
      h('span', { class: 'layar-recent-ticket' }, call.ticket),
      h('span', { class: 'layar-recent-point' }, call.label),
      h('time', { datetime: call.called_at }, time(call.called_at)))))
      : h('p', { class: 'layar-empty' }, t('layar.none')));
}

function chimeControl() {
  if (!view.state.display.chime || !chimeSupported()) return null;
  if (chimeOn()) return h('p', { class: 'layar-chime-on', 'data-testid': 'layar-chime' }, t('layar.chime_active'));
  return h('div', { class: 'layar-chime' },
    h('button', { type: 'button', 'data-testid': 'layar-chime', onclick: async () => { await enableChime().catch(() => false); draw(); } },
      t('layar.chime_enable')),
    h('span', {}, t('layar.chime_hint')));
}

function fullscreenControl() {
  if (!document.fullscreenEnabled || document.fullscreenElement) return null;
  return h('button', { type: 'button', class: 'layar-fullscreen', onclick: () => document.documentElement.requestFullscreen().catch(() => {}) },
    t('layar.fullscreen'));
}

function draw() {
  if (!view.state) {
    replace(root, h('section', { class: 'layar-message' }, h('h1', {}, t('layar.title')), statusLine()));
    return;
  }
  const { display, points } = view.state;
  const newest = view.state.recent[0];
  replace(root,
    h('header', { class: 'layar-head' },
      h('h1', {}, display.label), statusLine(), clock()),
    h('div', { class: 'layar-body' },
      h('section', { class: `layar-points layar-n${Math.min(points.length, 8)}`, 'aria-label': t('layar.points') },
        points.map(pointCard)),
      recentList()),
    h('footer', { class: 'layar-foot' },
      newest ? h('p', { class: 'layar-announce', 'data-testid': 'layar-announce' }, t('layar.announce', { ticket: newest.ticket, label: newest.label })) : h('p', {}),
      h('div', { class: 'layar-controls' }, chimeControl(), fullscreenControl())));
}

function onCall(call) {
  const state = view.state;
  if (!state) return;
  const point = state.points.find((p) => p.id === call.service_point);
  if (point && (!point.current || point.current.id <= call.id)) point.current = call;
  if (!state.recent.some((c) => c.id === call.id)) {
    state.recent = [call, ...state.recent].sort((a, b) => b.id - a.id).slice(0, RECENT);
  }
  view.freshPoint = call.service_point;
  clearTimeout(view.freshTimer);
  view.freshTimer = setTimeout(() => { view.freshPoint = null; draw(); }, FRESH_MS);
  chime();
  draw();
}

function start() {
  const token = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  if (!token) {
    message(t('layar.title'), t('layar.no_token'));
    return;
  }
  draw();
  connectFeed(token, {
    onEvent(kind, data) {
      if (kind === 'state') {
        view.state = data;
        draw();
      } else if (kind === 'call') {
        onCall(data);
      }
    },
    onStatus(status) {
      if (status === 'removed') {
        message(t('layar.removed_title'), t('layar.removed'));
        return;
      }
      view.status = status;
      const line = root.querySelector('.layar-status');
      if (line) line.replaceWith(statusLine());
      else draw();
    },
  });
  // The clock: redrawn each minute's turn without touching the rest.
  clockTimer = setInterval(() => {
    const when = root.querySelector('.layar-when');
    if (when) when.replaceWith(clock());
  }, 1000);
  document.addEventListener('fullscreenchange', () => { if (view.state) draw(); });
}

start();
