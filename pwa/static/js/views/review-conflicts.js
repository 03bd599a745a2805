// Konflik (kapus, admin): documents two devices edited apart whose versions the server could
// not merge (open), and the versions it merged and archived. A reviewer reads them as what
// they are about: the kind of record in words, the person's name and the record's date, never
// a document id or a revision hash (those stay in the audit and the CLI).

import { h } from '../dom.js';
import { formatDate, formatDateTime, t, tMaybe } from '../i18n.js';
import { apiFetch } from '../session.js';
import { desaNames } from './places.js';
import { docDate, docType, subjectOf } from './review-model.js';
import { card, dataTable, empty } from './ui.js';

// Names are looked up for the newest rows only: the report is read, not exported.
const LOOKUPS = 60;

function fetchDoc(id) {
  return apiFetch(`/sync/siklus/${encodeURIComponent(id)}`).catch(() => null);
}

/** id -> document for the open conflicts (their winning body) and archived rows (their own). */
async function documentsFor(data) {
  const docs = new Map(data.archived.map((row) => [row.id, row.doc]));
  const open = data.open.slice(0, LOOKUPS).map((row) => row.id).filter((id) => !docs.has(id));
  (await Promise.all(open.map(fetchDoc))).forEach((doc, i) => { if (doc) docs.set(open[i], doc); });
  return docs;
}

/** person id -> name for every document shown. */
async function namesFor(docs) {
  const names = new Map();
  for (const doc of docs.values()) if (doc?.type === 'person') names.set(doc._id, doc.name);
  const missing = [...new Set([...docs.values()].map(subjectOf).filter((id) => id && !names.has(id)))].slice(0, LOOKUPS);
  (await Promise.all(missing.map(fetchDoc))).forEach((doc, i) => { if (doc?.name) names.set(missing[i], doc.name); });
  return names;
}

function what(id, doc, names) {
  const type = doc?.type ?? docType(id);
  const date = docDate(doc);
  return [
    h('td', {}, tMaybe(`doctype.${type}`) ?? t('review.conflict.record')),
    h('td', {}, names.get(subjectOf(doc)) ?? '—'),
    h('td', {}, date ? formatDate(date) : '—'),
  ];
}

export async function conflictsTab() {
  const data = await apiFetch('/sync/siklus/_conflicts');
  const docs = await documentsFor(data);
  const names = await namesFor(docs);
  const head = [t('review.conflict.kind'), t('review.person'), t('review.date'), t('review.desa')];
  return [
    card(t('review.open_conflicts', { n: data.open.length }), data.open.length
      ? dataTable([...head, t('review.conflict.versions')], data.open.map((row) => h('tr', {},
        what(row.id, docs.get(row.id), names), h('td', {}, desaNames([row.desa])[0]),
        h('td', {}, t('review.conflict.n_versions', { n: 1 + (row.conflicts?.length ?? 0) })))),
      { cards: true, 'data-testid': 'conflicts-open' })
      : empty(t('review.no_conflicts'))),
    card(t('review.archived', { n: data.archived.length }), data.archived.length
      ? dataTable([...head, t('review.reason'), t('review.when')], data.archived.map((row) => h('tr', {},
        what(row.id, docs.get(row.id), names), h('td', {}, desaNames([row.desa])[0]),
        h('td', {}, tMaybe(`review.conflict.reason.${row.reason}`) ?? t('review.conflict.reason.other')),
        h('td', {}, formatDateTime(row.archived_at)))),
      { cards: true, 'data-testid': 'conflicts-archived' })
      : empty(t('review.no_archived'))),
  ];
}
