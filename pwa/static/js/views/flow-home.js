// Layanan (#/flow): the service points the user works at today with their queue counts, each
// opening the screen its kind is worked from (loket, cluster desk, lab, pharmacy), and for the
// Kepala Puskesmas and admin the screens that set the day up and report on it.

import { hasRole } from '../app.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { firstLoad } from './flow-queue.js';
import { clusterLabel, pointHref, queueHref } from './flow-parts.js';
import { card, empty, page } from './ui.js';

// Kepala Puskesmas and admin: organisation, duty, displays, report (views/flow-organisation.js,
// flow-duty.js, flow-displays.js, flow-report.js).
const MANAGE = [['#/flow/organisasi', 'organisation'], ['#/flow/tugas', 'duty'], ['#/flow/layar', 'displays'],
  ['#/flow/laporan', 'report']];
const COUNTS = ['waiting', 'called', 'in_service', 'done'];

/** GET /flow/points as [{point, counts}], in the Puskesmas's order. */
export function pointRows(answer) {
  const rows = Array.isArray(answer) ? answer : answer?.points ?? [];
  return rows.map((row) => {
    const point = row.service_point ?? row.point ?? row;
    const source = row.counts ?? row;
    return { point, counts: Object.fromEntries(COUNTS.map((name) => [name, Number(source[name] ?? 0)])) };
  }).sort((a, b) => (a.point.sort_order ?? 0) - (b.point.sort_order ?? 0));
}

/** "Pendaftaran", "Klaster 3 (dewasa dan lansia)", "Klaster 2 … · Klaster 3 …" for a shared
 * room, "Laboratorium". */
export function pointKindText(point) {
  if (point.kind !== 'cluster') return t(`flow.kind.${point.kind}`);
  return (point.clusters ?? []).map(clusterLabel).filter(Boolean).join(' · ') || t('flow.kind.cluster');
}

function pointTile({ point, counts }) {
  return h('li', { class: 'flow-point', dataset: { point: point.id } },
    h('a', { class: 'tile', href: pointHref(point), 'data-testid': 'flow-point' },
      h('span', { class: 'tile-title' }, point.label),
      h('span', { class: 'tile-detail' }, pointKindText(point)),
      // The loket has no queue of its own: arrivals queue at the rooms it sends them to.
      h('span', { class: 'tile-detail flow-counts' }, point.kind === 'registration' ? t('flow.home.loket_detail')
        : t('flow.home.counts', counts))),
    point.kind === 'registration' ? null
      : h('a', { class: 'flow-queue-link', href: queueHref(point.id) }, t('flow.home.queue_only', { point: point.label })));
}

export async function flowHome() {
  const { data, blocked } = await firstLoad('/flow/points', '#/');
  if (blocked) return blocked;
  const rows = pointRows(data);
  const manager = hasRole('kapus', 'admin');
  return page(t('flow.home.title'), { lead: t('flow.home.lead') },
    card(t('flow.home.points'), rows.length
      ? h('ul', { class: 'tiles flow-points', 'data-testid': 'flow-points' }, rows.map(pointTile))
      : empty(t('flow.home.none'))),
    manager ? card(t('flow.home.manage'), h('ul', { class: 'tiles flow-manage' },
      MANAGE.map(([href, name]) => h('li', {}, h('a', { class: 'tile', href },
        h('span', { class: 'tile-title' }, t(`flow.link.${name}`)),
        h('span', { class: 'tile-detail' }, t(`flow.link.${name}_detail`))))))) : null);
}
