// Organisasi Puskesmas (#/flow/organisasi) and its printable chart (#/flow/organisasi/cetak):
// the five ILP clusters with their scope and competencies (config/ilp/organisation.json, Juknis
// ILP Tabel 1), who is PJ and anggota of each with which competencies, and the service points
// (rooms, desks). Everyone in the flow (klaster, kapus, admin) reads it; the Kepala Puskesmas and
// the admin place staff and manage the points. Online (a desk screen): the server checks every
// change again (backend/flow/organisation.py) and its refusals are shown in words.

import { app, hasRole } from '../app.js';
import { todayIso } from '../db.js';
import { h, replace } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { formatDate, t, tMaybe } from '../i18n.js';
import { apiFetch } from '../session.js';
import { badge, card, dataTable, empty, linkButton, page } from './ui.js';

export const FLOW_ROLES = ['klaster', 'kapus', 'admin'];
export const POINT_KINDS = ['registration', 'cluster', 'lab', 'pharmacy', 'emergency'];
// backend/flow/organisation.py KIND_CLUSTERS: which clusters a point of each kind may serve.
export const KIND_CLUSTERS = {
  registration: ['1'], lab: ['lintas'], pharmacy: ['lintas'], emergency: ['lintas'], cluster: ['2', '3', '4'],
};

export const isManager = () => hasRole('kapus', 'admin');

/** The organisation as GET /flow/organisation gives it, with lookups the screens share. */
export async function loadOrganisation() {
  const org = await apiFetch('/flow/organisation');
  const competencies = new Map();
  for (const cluster of org.clusters) {
    for (const item of cluster.competencies) if (!competencies.has(item.code)) competencies.set(item.code, item.label);
  }
  return {
    ...org,
    competencies,
    clusterLabels: new Map(org.clusters.map((cluster) => [cluster.code, cluster.label])),
    staffByName: new Map(org.staff.map((member) => [member.username, member])),
  };
}

export const clusterLabel = (org, code) => org.clusterLabels.get(code) ?? t('org.cluster_unknown');
export const kindLabel = (kind) => tMaybe(`org.kind.${kind}`) ?? t('org.kind_unknown');
export const competencyList = (org, codes) => codes.map((code) => org.competencies.get(code) ?? t('org.competency_unknown'));

/** A flow screen: for the flow roles only, online only; `build()` returns the body. */
export async function flowPage(title, build, { back, lead, testid } = {}) {
  let body;
  if (!hasRole(...FLOW_ROLES)) {
    body = empty(t('org.forbidden'));
  } else if (!navigator.onLine) {
    body = empty(t('org.offline'));
  } else {
    try {
      body = await build();
    } catch (error) {
      if (error.status === undefined) throw error;
      body = h('p', { class: 'empty', role: 'alert' }, problemText(error));
    }
  }
  return page(title, { back, lead }, h('div', { 'data-testid': testid }, body));
}

/** The server's refusal in words: its Indonesian `detail` for a flow problem, else ours. */
export function problemText(error) {
  if (error.status === 401) return t('admin.session_ended');
  if (error.status === 403 && !error.problem?.code) return t('org.forbidden');
  return error.problem?.detail ?? t('admin.failed');
}

function formError(form, error) {
  showErrors(form, { _form: problemText(error) });
}

// -- staff ----------------------------------------------------------------------------------

function memberLine(org, member) {
  const skills = competencyList(org, member.competencies);
  return h('div', { class: 'org-member' },
    h('strong', {}, member.display_name),
    member.position === 'pj' ? [' ', badge(t('org.position.pj'), 'ok')] : null,
    skills.length ? h('p', { class: 'meta' }, skills.join(', ')) : h('p', { class: 'meta' }, t('org.no_competencies')));
}

function competencyGroups(org, cluster, chosen) {
  const own = org.clusters.find((c) => c.code === cluster);
  const ownCodes = new Set(own ? own.competencies.map((c) => c.code) : []);
  const others = [...org.competencies].filter(([code]) => !ownCodes.has(code));
  return [
    own ? field({ name: 'competencies', label: t('org.competencies_of', { cluster: own.label }), type: 'checkbox-group',
      options: own.competencies.map((c) => [c.code, c.label]), value: chosen }) : null,
    h('details', { class: 'org-other-skills', open: others.some(([code]) => chosen.includes(code)) },
      h('summary', {}, t('org.competencies_other')),
      field({ name: 'competencies', label: t('org.competencies_other'), type: 'checkbox-group', options: others, value: chosen })),
  ];
}

function checkedCompetencies(form) {
  return [...new Set([...form.querySelectorAll('input[name=competencies]:checked')].map((input) => input.value))];
}

/** Place a staff member: cluster, PJ or anggota, competencies (kapus, admin). */
function staffForm(org, member, done) {
  const groups = h('div', { class: 'org-skill-groups' });
  const cluster = field({ name: 'cluster', label: t('org.cluster'), type: 'select', required: true, value: member.cluster ?? '',
    options: org.clusters.map((c) => [c.code, c.label]) });
  const showGroups = () => {
    const chosen = checkedCompetencies(form);
    replace(groups, competencyGroups(org, cluster.querySelector('select').value, chosen.length ? chosen : member.competencies));
  };
  const form = h('form', { class: 'stack org-staff-form', novalidate: true, 'data-testid': `staff-form-${member.username}` },
    h('h3', {}, member.display_name),
    cluster,
    field({ name: 'position', label: t('org.position'), type: 'radio', required: true, value: member.position ?? 'anggota',
      options: [['pj', t('org.position.pj')], ['anggota', t('org.position.anggota')]], hint: t('org.position_hint') }),
    groups,
    actions(h('button', { type: 'submit', class: 'primary' }, t('common.save')),
      member.assigned ? h('button', { type: 'button', class: 'secondary', onclick: () => remove() }, t('org.unassign')) : null,
      h('button', { type: 'button', class: 'secondary', onclick: () => done(false) }, t('common.cancel'))));
  cluster.querySelector('select').addEventListener('change', showGroups);
  replace(groups, competencyGroups(org, member.cluster, member.competencies));
  async function remove() {
    try {
      await apiFetch(`/flow/staff/${encodeURIComponent(member.username)}`, { method: 'DELETE' });
      done(true);
    } catch (error) {
      if (error.status === undefined) throw error;
      formError(form, error);
    }
  }
  onSubmit(form, async () => {
    const values = formValues(form);
    const errors = {};
    if (!values.cluster) errors.cluster = t('valid.required');
    if (!values.position) errors.position = t('valid.required');
    if (!showErrors(form, errors)) return;
    try {
      await apiFetch(`/flow/staff/${encodeURIComponent(member.username)}`, {
        method: 'PUT', body: { cluster: values.cluster, position: values.position, competencies: checkedCompetencies(form) },
      });
      done(true);
    } catch (error) {
      if (error.status === undefined) throw error;
      formError(form, error);
    }
  });
  return form;
}

function clusterCard(org, cluster, members, edit) {
  const pj = members.filter((m) => m.position === 'pj');
  const rest = members.filter((m) => m.position !== 'pj');
  return h('section', { class: 'card org-cluster', 'data-cluster': cluster.code },
    h('h2', {}, cluster.label),
    h('details', { class: 'org-scope' },
      h('summary', {}, t('org.scope_and_skills')),
      h('h3', {}, t('org.scope')),
      h('ul', {}, cluster.scope.map((line) => h('li', {}, line))),
      h('h3', {}, t('org.skills')),
      cluster.pj ? h('p', {}, t('org.pj_office', { office: cluster.pj })) : null,
      h('ul', {}, cluster.competencies.map((item) => h('li', {}, item.label))),
      h('p', { class: 'meta' }, t('org.source', { source: cluster.source }))),
    !members.length ? empty(t('org.cluster_empty')) : null,
    pj.length === 0 && members.length ? h('p', { class: 'warn-text' }, t('org.no_pj')) : null,
    h('ul', { class: 'org-members' }, [...pj, ...rest].map((member) => h('li', { 'data-username': member.username },
      memberLine(org, member), edit(member)))));
}

// -- service points -------------------------------------------------------------------------

function pointForm(org, point, done) {
  const isNew = !point;
  const current = point ?? { kind: 'cluster', clusters: [], active: true };
  const clusterBox = h('div');
  const kind = field({ name: 'kind', label: t('org.point.kind'), type: 'select', required: true, value: current.kind,
    options: POINT_KINDS.map((k) => [k, kindLabel(k)]) });
  const showClusters = () => {
    const allowed = KIND_CLUSTERS[kind.querySelector('select').value] ?? [];
    const chosen = [...clusterBox.querySelectorAll('input:checked')].map((input) => input.value);
    replace(clusterBox, field({ name: 'clusters', label: t('org.point.clusters'), type: 'checkbox-group', required: true,
      options: allowed.map((code) => [code, clusterLabel(org, code)]),
      value: (chosen.length ? chosen : current.clusters).filter((code) => allowed.includes(code)).concat(
        allowed.length === 1 ? allowed : []),
      hint: t('org.point.clusters_hint') }));
  };
  const form = h('form', { class: 'stack org-point-form', novalidate: true, 'data-testid': isNew ? 'point-new' : `point-form-${point.id}` },
    isNew ? field({ name: 'id', label: t('org.point.id'), required: true, hint: t('org.point.id_hint'), autocapitalize: 'none' }) : null,
    field({ name: 'label', label: t('org.point.label'), required: true, value: current.label, maxlength: 80 }),
    h('div', { class: 'row' }, kind,
      field({ name: 'ticket_prefix', label: t('org.point.prefix'), required: true, value: current.ticket_prefix,
        maxlength: 3, autocapitalize: 'characters', hint: t('org.point.prefix_hint') })),
    clusterBox,
    isNew ? null : field({ name: 'active', label: t('org.point.active'), type: 'checkbox', value: current.active }),
    actions(h('button', { type: 'submit', class: 'primary' }, isNew ? t('org.point.create') : t('common.save')),
      h('button', { type: 'button', class: 'secondary', onclick: () => done(false) }, t('common.cancel'))));
  kind.querySelector('select').addEventListener('change', showClusters);
  showClusters();
  onSubmit(form, async () => {
    const values = formValues(form);
    const clusters = [...new Set([...form.querySelectorAll('input[name=clusters]:checked')].map((i) => i.value))];
    const prefix = (values.ticket_prefix ?? '').trim().toUpperCase();
    const errors = {};
    if (isNew && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(values.id ?? '')) errors.id = t('org.point.id_hint');
    if (!values.label?.trim()) errors.label = t('valid.required');
    if (!/^[A-Z]{1,3}$/.test(prefix)) errors.ticket_prefix = t('org.point.prefix_hint');
    if (!clusters.length) errors.clusters = t('valid.required');
    if (!showErrors(form, errors)) return;
    const body = { label: values.label.trim(), kind: values.kind, clusters, ticket_prefix: prefix };
    try {
      if (isNew) await apiFetch('/flow/service-points', { method: 'POST', body: { id: values.id, ...body } });
      else {
        await apiFetch(`/flow/service-points/${encodeURIComponent(point.id)}`, {
          method: 'PATCH', body: { ...body, active: form.querySelector('input[name=active]').checked },
        });
      }
      done(true);
    } catch (error) {
      if (error.status === undefined) throw error;
      formError(form, error);
    }
  });
  return form;
}

function pointsCard(org, rerender) {
  const manager = isManager();
  const slot = h('div');
  const open = (point) => replace(slot, pointForm(org, point, (saved) => (saved ? rerender() : replace(slot))));
  const rows = org.service_points.map((point) => h('tr', { 'data-point': point.id },
    h('td', {}, h('strong', {}, point.label)),
    h('td', {}, kindLabel(point.kind)),
    h('td', {}, point.clusters.map((code) => clusterLabel(org, code)).join(', ')),
    h('td', {}, point.ticket_prefix),
    h('td', {}, badge(t(point.active ? 'org.point.open' : 'org.point.closed'), point.active ? 'ok' : 'muted')),
    manager ? h('td', {}, h('button', { type: 'button', class: 'secondary small', onclick: () => open(point) },
      t('admin.edit'), h('span', { class: 'visually-hidden' }, ` ${point.label}`))) : null));
  const headers = [t('org.point.label'), t('org.point.kind'), t('org.point.clusters'), t('org.point.prefix'), t('org.point.status')];
  return card(t('org.points'),
    rows.length ? dataTable(manager ? [...headers, ''] : headers, rows, { cards: true, 'data-testid': 'point-table' }) : empty(t('org.points_none')),
    manager ? h('div', { class: 'page-actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => open(null) }, t('org.point.new'))) : null,
    slot);
}

// -- the screen -----------------------------------------------------------------------------

async function organisationBody(container) {
  const org = await loadOrganisation();
  const manager = isManager();
  const rerender = async () => {
    try {
      replace(container, await organisationBody(container));
    } catch (error) {
      if (error.status === undefined) throw error;
      replace(container, h('p', { class: 'empty', role: 'alert' }, problemText(error)));
    }
  };
  const edit = (member) => {
    if (!manager) return null;
    const slot = h('div', { class: 'org-edit-slot' });
    const button = h('button', { type: 'button', class: 'secondary small', 'data-testid': `edit-${member.username}`,
      onclick: () => {
        button.hidden = true;
        replace(slot, staffForm(org, member, (saved) => {
          if (saved) return rerender();
          button.hidden = false;
          replace(slot);
          return null;
        }));
        slot.querySelector('select')?.focus();
      } }, member.assigned ? t('admin.edit') : t('org.assign'), h('span', { class: 'visually-hidden' }, ` ${member.display_name}`));
    return h('div', {}, button, slot);
  };
  const placed = org.staff.filter((m) => m.assigned);
  const unplaced = org.staff.filter((m) => !m.assigned);
  return [
    h('div', { class: 'page-actions' },
      linkButton('#/flow/organisasi/cetak', t('org.print_chart')),
      linkButton('#/flow/tugas', t('org.duty_link'))),
    unplaced.length ? h('section', { class: 'card org-unplaced', 'data-testid': 'org-unplaced' },
      h('h2', {}, t('org.unplaced')),
      h('p', { class: 'meta' }, t(manager ? 'org.unplaced_hint' : 'org.unplaced_hint_read')),
      h('ul', { class: 'org-members' }, unplaced.map((member) => h('li', { 'data-username': member.username },
        h('div', { class: 'org-member' }, h('strong', {}, member.display_name),
          h('p', { class: 'meta' }, member.role === 'kapus' ? t('role.kapus') : clusterLabel(org, member.cluster))),
        edit(member))))) : null,
    org.clusters.map((cluster) => clusterCard(org, cluster, placed.filter((m) => m.cluster === cluster.code), edit)),
    pointsCard(org, rerender),
  ];
}

export function organisationPage() {
  return flowPage(t('org.title'), async () => {
    const container = h('div', { class: 'org-page' });
    replace(container, await organisationBody(container));
    return container;
  }, { back: '#/flow', lead: t('org.lead'), testid: 'flow-organisation' });
}

// -- the printable chart ---------------------------------------------------------------------

async function puskesmasName() {
  try {
    const found = await apiFetch('/places?kind=puskesmas');
    return (Array.isArray(found) ? found : [])[0]?.name ?? null;
  } catch {
    return null;
  }
}

function chartBox(title, names, tone) {
  return h('div', { class: `org-box ${tone}` },
    h('div', { class: 'org-box-title' }, title),
    names.map((name) => h('div', { class: 'org-box-name' }, name)));
}

export function organisationChartPage() {
  return flowPage(t('org.chart.title'), async () => {
    const [org, puskesmas] = await Promise.all([loadOrganisation(), puskesmasName()]);
    const heads = org.staff.filter((m) => m.role === 'kapus');
    const placed = org.staff.filter((m) => m.assigned);
    return h('div', { class: 'org-chart' },
      h('div', { class: 'report-actions no-print' },
        h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('org.chart.print')),
        linkButton('#/flow/organisasi', t('org.chart.back'))),
      h('header', { class: 'org-chart-head' },
        h('h2', {}, t('org.chart.heading')),
        h('p', {}, puskesmas ?? t('org.chart.puskesmas')),
        h('p', { class: 'meta' }, t('org.chart.as_of', { date: formatDate(todayIso(), 'long'), name: app.profile.display_name }))),
      h('div', { class: 'org-tree' },
        h('div', { class: 'org-top' }, chartBox(t('role.kapus'), heads.length ? heads.map((m) => m.display_name) : [t('org.chart.vacant')], 'head')),
        h('div', { class: 'org-columns', 'data-testid': 'org-columns' }, org.clusters.map((cluster) => {
          const members = placed.filter((m) => m.cluster === cluster.code);
          const pj = members.filter((m) => m.position === 'pj').map((m) => m.display_name);
          const rest = members.filter((m) => m.position !== 'pj').map((m) => m.display_name);
          return h('div', { class: 'org-column', 'data-cluster': cluster.code },
            chartBox(cluster.label, [], 'cluster'),
            chartBox(t('org.chart.pj'), pj.length ? pj : [t('org.chart.vacant')], 'pj'),
            chartBox(t('org.chart.members'), rest.length ? rest : [t('org.chart.none')], 'members'));
        }))),
      h('p', { class: 'meta org-chart-source' }, t('org.chart.source')));
  }, { back: '#/flow/organisasi', testid: 'flow-organisation-chart' });
}
