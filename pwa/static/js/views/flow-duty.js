// Petugas hari ini (#/flow/tugas): who is on duty at each service point on a day. A point with
// nobody is flagged, with the staff who can cover it by name and cluster: "Dalam hal keterbatasan
// SDM, pelayanan dapat diberikan oleh petugas dari klaster lainnya yang memiliki kompetensi dan
// kewenangan yang sesuai" (Juknis ILP). The Kepala Puskesmas and admin set every point; the PJ of
// a cluster sets the points that serve it; everyone in the flow reads. A past day is read-only
// (the server refuses it too: backend/flow/duty.py).

import { hasRole, app } from '../app.js';
import { h, replace } from '../dom.js';
import { actions, onSubmit, showErrors } from '../forms.js';
import { formatDate, t } from '../i18n.js';
import { go } from '../router.js';
import { apiFetch } from '../session.js';
import { badge, empty, linkButton } from './ui.js';
import { clusterLabel, competencyList, flowPage, kindLabel, loadOrganisation, problemText } from './flow-organisation.js';

/** May the logged-in user set the duty of `point`? (backend/flow/duty.py may_set) */
export function maySet(org, point, profile = app.profile) {
  if (['kapus', 'admin'].includes(profile.role)) return true;
  const me = org.staffByName.get(profile.username);
  return profile.role === 'klaster' && Boolean(me?.assigned) && me.position === 'pj' && point.clusters.includes(me.cluster);
}

function personLabel(org, person) {
  return `${person.display_name} (${clusterLabel(org, person.cluster)})`;
}

function coverLine(org, person, pointLabels) {
  const where = person.on_duty_at?.length
    ? t('duty.serving_at', { points: person.on_duty_at.map((id) => pointLabels.get(id) ?? id).join(', ') })
    : t('duty.free');
  return h('li', { 'data-username': person.username },
    h('strong', {}, person.display_name), ` · ${clusterLabel(org, person.cluster)} · `, h('span', { class: 'meta' }, where),
    h('div', { class: 'meta' }, competencyList(org, person.competencies).join(', ')));
}

/** The form that sets who is on duty at one point: every placed staff member, the point's own
 * clusters first, those who can cover marked. */
function dutyForm(org, day, entry, done) {
  const point = entry.service_point;
  const onDuty = new Set(entry.staff.map((s) => s.username));
  const able = new Set(entry.can_cover.map((s) => s.username));
  const people = org.staff.filter((m) => m.assigned || onDuty.has(m.username)).sort((a, b) =>
    Number(!point.clusters.includes(a.cluster)) - Number(!point.clusters.includes(b.cluster))
    || a.display_name.localeCompare(b.display_name, 'id'));
  const form = h('form', { class: 'stack duty-form', novalidate: true, 'data-testid': `duty-form-${point.id}` },
    h('fieldset', { class: 'field choice checkbox-group' },
      h('legend', {}, t('duty.choose', { point: point.label })),
      h('div', { class: 'choices' }, people.map((member) => h('label', { class: 'choice-option' },
        h('input', { type: 'checkbox', name: 'usernames', value: member.username, checked: onDuty.has(member.username) }),
        h('span', {}, personLabel(org, member),
          able.has(member.username) ? [' ', badge(t('duty.can_cover_badge'), 'ok')] : null)))),
      h('p', { class: 'error', 'data-error-for': 'usernames' })),
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save')),
      h('button', { type: 'button', class: 'secondary', onclick: () => done(false) }, t('common.cancel'))));
  onSubmit(form, async () => {
    const usernames = [...form.querySelectorAll('input[name=usernames]:checked')].map((input) => input.value);
    try {
      await apiFetch(`/flow/duty/${day}/${encodeURIComponent(point.id)}`, { method: 'PUT', body: { usernames } });
      done(true);
    } catch (error) {
      if (error.status === undefined) throw error;
      showErrors(form, { _form: problemText(error) });
    }
  });
  return form;
}

function pointCard(org, roster, entry, editable, rerender, pointLabels) {
  const point = entry.service_point;
  const slot = h('div');
  const edit = editable && maySet(org, point)
    ? h('button', { type: 'button', class: 'secondary small', 'data-testid': `duty-edit-${point.id}`,
      onclick: () => replace(slot, dutyForm(org, roster.day, entry, (saved) => (saved ? rerender() : replace(slot)))) },
    t('duty.set'), h('span', { class: 'visually-hidden' }, ` ${point.label}`))
    : null;
  return h('section', { class: `card duty-point${entry.uncovered ? ' uncovered' : ''}`, 'data-point': point.id },
    h('div', { class: 'duty-head' },
      h('h2', {}, point.label),
      entry.uncovered ? badge(t('duty.uncovered'), 'warn') : badge(t('duty.covered'), 'ok')),
    h('p', { class: 'meta' }, `${kindLabel(point.kind)} · ${point.clusters.map((c) => clusterLabel(org, c)).join(', ')}`),
    entry.staff.length
      ? h('ul', { class: 'duty-staff' }, entry.staff.map((person) => h('li', { 'data-username': person.username }, personLabel(org, person))))
      : h('p', { class: 'warn-text', role: 'note' }, t('duty.nobody')),
    entry.uncovered ? h('div', { class: 'duty-cover', 'data-testid': `can-cover-${point.id}` },
      h('h3', {}, t('duty.can_cover')),
      entry.can_cover.length
        ? h('ul', {}, entry.can_cover.map((person) => coverLine(org, person, pointLabels)))
        : h('p', { class: 'meta' }, t('duty.nobody_can', { skills: competencyList(org, entry.needs).join(', ') }))) : null,
    edit, slot);
}

async function dutyBody(container, day) {
  // Without a day the server answers its today (the Puskesmas's zone); with one, ask it too.
  const [org, roster, current] = await Promise.all([loadOrganisation(),
    apiFetch(`/flow/duty${day ? `?day=${encodeURIComponent(day)}` : ''}`),
    day ? apiFetch('/flow/duty') : null]);
  const today = current?.day ?? roster.day;
  const editable = roster.day >= today && hasRole('klaster', 'kapus', 'admin');
  const pointLabels = new Map(roster.points.map((e) => [e.service_point.id, e.service_point.label]));
  const rerender = async () => replace(container, await dutyBody(container, roster.day));
  const uncovered = roster.points.filter((e) => e.uncovered).length;
  const picker = h('input', { type: 'date', id: 'duty-day', value: roster.day });
  picker.addEventListener('change', () => { if (picker.value) go(`/flow/tugas?day=${picker.value}`); });
  return [
    h('div', { class: 'duty-bar' },
      h('label', { for: 'duty-day' }, t('duty.day')), picker,
      linkButton('#/flow/organisasi', t('duty.organisation_link'))),
    h('p', { class: 'duty-summary', role: 'status' },
      t('duty.summary', { date: formatDate(roster.day, 'long'), points: roster.points.length, uncovered })),
    editable ? null : h('p', { class: 'meta' }, t('duty.past')),
    roster.points.length
      ? roster.points.map((entry) => pointCard(org, roster, entry, editable, rerender, pointLabels))
      : empty(t('duty.no_points')),
  ];
}

export function dutyPage(params, query = {}) {
  return flowPage(t('duty.title'), async () => {
    const container = h('div', { class: 'duty-page' });
    replace(container, await dutyBody(container, query.day ?? null));
    return container;
  }, { back: '#/flow', lead: t('duty.lead'), testid: 'flow-duty' });
}
