// Notifikasi (admin and Kepala Puskesmas, online): is the worker sending, how many messages
// wait or went out per reminder rule, which failed and why — in words, ages measured against
// the server's clock — and a test notification to one's own devices. The report holds no
// names, no households and no endpoints (backend/push/report.py), so it is the whole
// Puskesmas's for both roles.

import { clinicalConfig } from '../clinical-config.js';
import { h } from '../dom.js';
import { formatDateTime, formatNumber, language, t, tMaybe } from '../i18n.js';
import * as push from '../push.js';
import { apiFetch } from '../session.js';
import { adminPage } from './admin.js';
import { badge, card, dataTable, empty } from './ui.js';

export const STATUSES = ['queued', 'sent', 'failed', 'dropped', 'expired'];
const STATUS_TONE = { queued: 'info', sent: 'ok', failed: 'bad', dropped: 'muted', expired: 'warn' };
const UNITS = [['day', 86400], ['hour', 3600], ['minute', 60]];

/** "2 menit lalu" / "dalam 5 menit": `iso` against the server's `now`, not this device's. */
export function relative(iso, now) {
  const seconds = (Date.parse(iso) - Date.parse(now)) / 1000;
  const format = new Intl.RelativeTimeFormat(language() === 'en' ? 'en' : 'id', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds), 'second');
}

/** What a push service answered, in words (the raw text stays behind "Rincian"). */
export function errorWords(error) {
  const text = String(error ?? '');
  const code = Number(/\b([45]\d\d)\b/.exec(text)?.[1]);
  if (code === 404 || code === 410) return t('push.fail.gone');
  if (code === 413) return t('push.fail.too_large');
  if (code === 429) return t('push.fail.rate_limited');
  if (code >= 500) return t('push.fail.server');
  if (code === 400 || code === 401 || code === 403) return t('push.fail.rejected');
  if (/timed? ?out|timeout/i.test(text)) return t('push.fail.timeout');
  if (/consent|revok|unsubscrib|berhenti/i.test(text)) return t('push.fail.stopped');
  if (/window|expired/i.test(text)) return t('push.fail.window');
  return t('push.fail.other');
}

/** A rule's name: its label in config/ilp/reminders.json, the test message, else a neutral word. */
export function ruleLabel(code, config) {
  const rule = config?.reminders?.rules?.find((r) => r.code === code);
  return rule?.label ?? tMaybe(`push.rule.${code}`) ?? t('push.rule.other');
}

function jobLine(job, now) {
  const name = tMaybe(`push.job.${job.name}`) ?? t('push.job.other');
  let said;
  if (!job.last_started_at) said = t('push.job.never');
  else if (job.ok === false) said = t('push.job.failed', { when: relative(job.last_started_at, now), error: errorWords(job.last_error) });
  else if (job.ok === null) said = t('push.job.running', { when: relative(job.last_started_at, now) });
  else said = t('push.job.ok', { when: relative(job.last_started_at, now) });
  return h('li', { 'data-job': job.name },
    h('strong', {}, name), ': ', said,
    job.failures ? h('span', { class: 'meta' }, ' · ', t('push.job.failures', { n: job.failures, runs: job.runs })) : null);
}

/** The worker in words: dead plainly; alive, the sender's last run first, then every job. */
function workerCard(report) {
  const { jobs, now } = report;
  const alive = jobs.some((job) => job.worker_alive);
  const sender = jobs.find((job) => job.name === 'push');
  const headline = !alive
    ? h('p', { class: 'notice bad', 'data-testid': 'push-worker' }, t('push.worker.dead'))
    : h('p', { class: 'notice ok', 'data-testid': 'push-worker' }, sender?.last_started_at
      ? t('push.worker.sender_ran', { when: relative(sender.last_started_at, now) }) : t('push.worker.alive'));
  return card(t('push.worker.title'), headline, jobs.length ? h('ul', { class: 'plain' }, jobs.map((job) => jobLine(job, now))) : null);
}

function countsCard(report, config) {
  const byStatus = report.by_status;
  const oldest = report.oldest_queued;
  const totals = h('p', { 'data-testid': 'push-counts' }, STATUSES.map((status) => [
    badge(`${t(`push.status.${status}`)}: ${formatNumber(byStatus[status] ?? 0, 0)}`, STATUS_TONE[status]), ' ']));
  const waiting = oldest ? h('p', { 'data-testid': 'push-oldest' }, t('push.oldest', {
    rule: ruleLabel(oldest.rule, config), when: relative(oldest.created_at, report.now),
    not_before: Date.parse(oldest.not_before) > Date.parse(report.now) ? formatDateTime(oldest.not_before) : t('push.now'),
  })) : h('p', {}, t('push.none_waiting'));
  const rows = report.by_rule.map((row) => h('tr', {}, h('td', {}, ruleLabel(row.rule, config)),
    STATUSES.map((status) => h('td', { class: 'num' }, formatNumber(row[status], 0)))));
  return card(t('push.outbox.title'), totals, waiting,
    rows.length ? dataTable([t('push.rule'), ...STATUSES.map((s) => t(`push.status.${s}`))], rows, { cards: true, 'data-testid': 'push-by-rule' })
      : empty(t('push.outbox.empty')));
}

function failuresCard(report, config) {
  const rows = report.failures.map((row) => h('tr', {},
    h('td', {}, h('time', { datetime: row.created_at }, formatDateTime(row.created_at))),
    h('td', {}, ruleLabel(row.rule, config)),
    h('td', {}, badge(t(`push.status.${row.status}`), STATUS_TONE[row.status])),
    h('td', { class: 'num' }, formatNumber(row.attempts, 0)),
    h('td', {}, errorWords(row.last_error ?? row.status),
      row.last_error ? h('details', {}, h('summary', {}, t('push.details')), h('code', {}, row.last_error)) : null)));
  return card(t('push.failures.title'), rows.length
    ? dataTable([t('push.when'), t('push.rule'), t('push.status'), t('push.attempts'), t('push.reason')], rows, { cards: true, 'data-testid': 'push-failures' })
    : empty(t('push.failures.none')));
}

function testCard() {
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'push-test-status' });
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'admin-push-test', onclick: async () => {
    button.disabled = true;
    try {
      const result = await push.sendTest();
      status.className = `notice ${result.sent === result.queued ? 'ok' : 'warn'}`;
      status.textContent = result.sent === result.queued ? t('push.test.sent', { n: result.sent })
        : t('push.test.partly', { sent: result.sent, n: result.queued });
    } catch (error) {
      status.className = 'notice bad';
      status.textContent = error.status === 422 ? t('push.error.no_device') : t('push.error.failed');
    }
    button.disabled = false;
  } }, t('push.test'));
  return card(t('push.test.title'), h('p', { class: 'hint' }, t('push.test.hint')), h('div', { class: 'actions' }, button), status);
}

export function adminPushPage() {
  return adminPage('push', t('push.admin.title'), async () => {
    const [report, config] = await Promise.all([apiFetch('/push/outbox'), clinicalConfig().catch(() => null)]);
    return [workerCard(report), countsCard(report, config), failuresCard(report, config), testCard()];
  });
}
