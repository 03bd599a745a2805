// Tempat: the Puskesmas network as reference documents (admin only, online) — desa, Pustu and
// Posyandu with its monthly day, dusun and parent; create and edit through the places API,
// whose edits carry `_rev` like every document resource.

import { h } from '../dom.js';
import { formValues } from '../drafts.js';
import { actions, field, onSubmit, showErrors } from '../forms.js';
import { t, tMaybe } from '../i18n.js';
import { go } from '../router.js';
import { apiFetch } from '../session.js';
import { adminPage, listOf, submitTo } from './admin.js';
import { card, dataTable, empty, linkButton } from './ui.js';

const KINDS = ['desa', 'pustu', 'posyandu'];
const PARENT_KINDS = { desa: ['puskesmas'], pustu: ['desa'], posyandu: ['desa', 'pustu'] };
const DESA_CODE = /^\d{10}$/;
const FIELDS = ['kind', 'name', 'code', 'desa', 'parent', 'dusun', 'address', 'schedule_day'];

/** A place as the list answers it or as its document: {id, kind, name, code, parent, desa, ...}. */
function normal(row) {
  return { ...row, id: row.id ?? row._id, parent: row.parent ?? row.parent_id ?? null };
}

async function allPlaces() {
  return listOf(await apiFetch('/places')).map(normal);
}

function placeIndex(places) {
  return new Map(places.map((place) => [place.id, place]));
}

function desaName(places, code) {
  return places.find((place) => place.kind === 'desa' && (place.code === code || place.desa === code))?.name
    ?? t('admin.desa_unknown');
}

function kindRows(kind, places, byId) {
  return places.filter((place) => place.kind === kind)
    .sort((a, b) => desaName(places, a.desa).localeCompare(desaName(places, b.desa), 'id') || a.name.localeCompare(b.name, 'id'))
    .map((place) => h('tr', { dataset: { place: place.name } },
      h('td', {}, h('strong', {}, place.name)),
      h('td', {}, kind === 'desa' ? place.code ?? '—' : desaName(places, place.desa)),
      h('td', {}, byId.get(place.parent)?.name ?? '—'),
      kind === 'desa' ? null : h('td', {}, place.dusun ?? '—'), // a desa has many dusun
      kind === 'posyandu' ? h('td', {}, place.schedule_day ? t('admin.places.day', { n: place.schedule_day }) : '—') : null,
      h('td', {}, h('a', { class: 'button secondary small', href: `#/admin/places/${encodeURIComponent(place.id)}` },
        t('admin.edit')))));
}

export function placesPage(params, query = {}) {
  return adminPage('places', t('admin.places.title'), async () => {
    const places = await allPlaces();
    const byId = placeIndex(places);
    return [
      query.saved ? h('p', { class: 'notice', role: 'status' }, t('admin.places.saved', { name: query.saved })) : null,
      h('div', { class: 'page-actions' }, linkButton('#/admin/places/new', t('admin.places.new'), 'primary')),
      KINDS.map((kind) => {
        const rows = kindRows(kind, places, byId);
        const headers = [t('admin.name'), t(kind === 'desa' ? 'admin.places.code' : 'admin.places.desa'),
          t('admin.places.parent'), kind === 'desa' ? null : t('admin.places.dusun'), kind === 'posyandu' ? t('admin.places.schedule') : null, '']
          .filter((text) => text !== null);
        return card(t(`admin.places.kind_plural.${kind}`),
          rows.length ? dataTable(headers, rows, { cards: true, 'data-testid': `places-${kind}` }) : empty(t('admin.places.none')));
      }),
    ];
  });
}

function parentOptions(places) {
  return places.filter((place) => place.kind !== 'posyandu')
    .map((place) => [place.id, `${place.name} (${t(`admin.places.kind.${place.kind}`)})`]);
}

function placeFields(place, places, desa) {
  const kind = field({ name: 'kind', label: t('admin.places.kind_label'), type: 'select', required: true,
    value: place.kind ?? '', disabled: Boolean(place.id), options: KINDS.map((code) => [code, t(`admin.places.kind.${code}`)]) });
  const only = {
    code: field({ name: 'code', label: t('admin.places.code'), value: place.code, inputmode: 'numeric', hint: t('admin.places.code_hint') }),
    desa: field({ name: 'desa', label: t('admin.places.desa'), type: 'select', required: true, value: place.desa ?? '', options: desa }),
    schedule_day: field({ name: 'schedule_day', label: t('admin.places.schedule'), type: 'integer',
      value: place.schedule_day, hint: t('admin.places.schedule_hint') }),
  };
  const shown = { code: ['desa'], desa: ['pustu', 'posyandu'], schedule_day: ['posyandu'] };
  const select = kind.querySelector('select');
  const update = () => Object.entries(only).forEach(([name, element]) => {
    element.hidden = !shown[name].includes(select.value);
  });
  select.addEventListener('change', update);
  update();
  return [
    h('div', { class: 'row' }, kind, field({ name: 'name', label: t('admin.name'), required: true, value: place.name, maxlength: 120 })),
    h('div', { class: 'row' }, only.code, only.desa, only.schedule_day),
    field({ name: 'parent', label: t('admin.places.parent'), type: 'select', value: place.parent ?? '',
      options: parentOptions(places.filter((other) => other.id !== place.id)), hint: t('admin.places.parent_hint') }),
    h('div', { class: 'row' },
      field({ name: 'dusun', label: t('admin.places.dusun'), value: place.dusun, maxlength: 120 }),
      field({ name: 'address', label: t('admin.places.address'), value: place.address, maxlength: 300 })),
  ];
}

/** The place document fields from the form, and the errors the browser can see itself. */
export function placeFromForm(values, places) {
  const errors = {};
  const kind = values.kind;
  const fields = { kind, name: values.name?.trim(), dusun: values.dusun?.trim() || null, address: values.address?.trim() || null };
  if (!KINDS.includes(kind)) errors.kind = t('valid.required');
  if (!fields.name) errors.name = t('valid.required');
  if (kind === 'desa') {
    fields.code = values.code?.trim();
    fields.desa = fields.code;
    if (!DESA_CODE.test(fields.code ?? '')) errors.code = t('admin.error.code');
  } else {
    fields.desa = values.desa || null;
    if (!fields.desa) errors.desa = t('valid.required');
  }
  if (kind === 'posyandu' && values.schedule_day) {
    const day = Number(values.schedule_day);
    if (!Number.isInteger(day) || day < 1 || day > 28) errors.schedule_day = t('admin.error.schedule_day');
    else fields.schedule_day = day;
  }
  const parent = places.find((place) => place.id === values.parent);
  if (parent && !PARENT_KINDS[kind]?.includes(parent.kind)) errors.parent = t('admin.error.parent_kind');
  fields.parent = parent?.id ?? defaultParent(kind, fields.desa, places);
  return { fields, errors };
}

/** A desa hangs under the Puskesmas, a Pustu or Posyandu under its desa, unless chosen. */
function defaultParent(kind, desa, places) {
  if (kind === 'desa') return places.find((place) => place.kind === 'puskesmas')?.id ?? null;
  return places.find((place) => place.kind === 'desa' && place.code === desa)?.id ?? null;
}

function withoutEmpty(fields) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined && value !== ''));
}

function placeForm(place, places, desa, save) {
  const form = h('form', { class: 'stack', novalidate: true, 'data-testid': 'place-form' },
    card(null, placeFields(place, places, desa)),
    actions(h('button', { type: 'submit', class: 'primary' }, t(place.id ? 'common.save' : 'admin.places.create'))));
  onSubmit(form, async () => {
    const values = { ...formValues(form), kind: place.kind ?? formValues(form).kind };
    const { fields, errors } = placeFromForm(values, places);
    if (!showErrors(form, errors)) return;
    await save(form, fields);
  });
  return form;
}

function desaOf(places) {
  return places.filter((place) => place.kind === 'desa').map((place) => [place.code, place.name]);
}

export function placeNew() {
  return adminPage('places', t('admin.places.new'), async () => {
    const places = await allPlaces();
    return placeForm({}, places, desaOf(places), async (form, fields) => {
      const saved = await submitTo(form, showErrors, { path: '/places', method: 'POST', body: withoutEmpty(fields) }, { fields: FIELDS });
      if (saved) go(`/admin/places?saved=${encodeURIComponent(fields.name)}`);
    });
  }, { back: '#/admin/places' });
}

export function placePage({ id }) {
  return adminPage('places', t('admin.places.edit'), async () => {
    const [doc, places] = await Promise.all([apiFetch(`/places/${encodeURIComponent(id)}`), allPlaces()]);
    const place = normal(doc);
    return [
      h('h2', { class: 'subject' }, place.name, ' · ', tMaybe(`admin.places.kind.${place.kind}`) ?? ''),
      placeForm(place, places, desaOf(places), async (form, fields) => {
        // Kind, code and desa key the records under a place: an edit never sends them.
        const { kind, code, desa: placeDesa, ...editable } = withoutEmpty(fields);
        const body = { ...editable, _rev: doc._rev };
        // An emptied text is sent as null, which the one field_ts rule stores as a removal.
        for (const name of ['dusun', 'address']) if (!fields[name] && doc[name]) body[name] = null;
        const saved = await submitTo(form, showErrors, { path: `/places/${encodeURIComponent(id)}`, method: 'PATCH', body },
          { fields: FIELDS, onConflict: t('admin.error.changed') });
        if (saved) go(`/admin/places?saved=${encodeURIComponent(fields.name)}`);
      }),
    ];
  }, { back: '#/admin/places' });
}
