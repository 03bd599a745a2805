// Sasaran (official targets) of a year, per desa and target group: the figure the Dinas
// Kesehatan published, who imported it, when and from which file — or, where there is none,
// the denominator PWS uses instead and where it comes from (docs/pws.md, "Sasaran"). The
// kapus and the admin download a template and upload the filled-in CSV here; the file rules
// (all or nothing, line errors) are the server's (backend/pws/sasaran.py), this only shows
// them. Every figure comes from GET /api/v1/pws/sasaran.

import { hasRole } from '../app.js';
import { h } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { render } from '../router.js';
import { apiFetch } from '../session.js';
import { megabytes, sasaranByDesa, sasaranYears, sizeLimit, uploadErrors } from './pws-data.js';
import { denominatorWords, link, load, monthOf, pwsPage, readAt } from './pws-ui.js';
import { card, dataTable, empty } from './ui.js';

// backend/pws/scope.py SASARAN_ROLES: who may import.
const IMPORT_ROLES = ['kapus', 'admin'];
const API = '/api/v1/pws';

// What the last good upload stored, said once on the screen that reloads after it.
let stored = null;

function thisYear() {
  return new Date().getFullYear();
}

/** The year of the screen: `?year=` when it is one the screen offers, else this year. */
function yearOf(query) {
  const year = Number(query.year);
  return sasaranYears(thisYear()).includes(year) ? year : thisYear();
}

function yearPicker(year, month) {
  return h('div', { class: 'pws-month' }, h('label', { for: 'pws-year' }, t('pws.sasaran.year')), h('select', {
    id: 'pws-year',
    onchange: (event) => { window.location.hash = link('#/pws/sasaran', { year: event.target.value, month }); },
  }, sasaranYears(thisYear()).map((y) => h('option', { value: y, selected: y === year }, String(y)))));
}

function importedWords(row) {
  if (row.source !== 'resmi') return '—';
  return t('pws.sasaran.imported_line', {
    file: row.source_file || '—', by: row.imported_by || '—', time: formatDateTime(row.imported_at) || '—',
  });
}

function desaCard(desa) {
  const headers = [t('pws.sasaran.group'), t('pws.sasaran.official'), t('pws.sasaran.imported'), t('pws.sasaran.used')];
  const rows = desa.groups.map((row) => h('tr', { 'data-group': row.group, 'data-source': row.denominator_source ?? 'none' },
    h('th', { scope: 'row' }, row.group_label),
    h('td', {}, row.value === null || row.value === undefined ? t('pws.sasaran.no_official') : formatNumber(row.value, 0)),
    h('td', {}, importedWords(row)),
    h('td', {}, `${formatNumber(row.denominator ?? 0, 0)} (${denominatorWords(row.denominator_source)})`)));
  return h('section', { class: 'card pws-sasaran', 'data-testid': 'sasaran-desa', 'data-desa': desa.code },
    h('h2', {}, desa.name), dataTable(headers, rows, { cards: true }));
}

/** The refusal in words: each bad row as "Baris N: alasan", and that nothing was stored. */
function refusal(error, file) {
  if (error.status === 413) {
    const limit = sizeLimit(error.problem);
    return [h('p', {}, limit ? t('pws.sasaran.too_large', { size: `${formatNumber(megabytes(limit))} MB` }) : t('pws.sasaran.too_large_plain'))];
  }
  const lines = uploadErrors(error.problem);
  if (error.status !== 422 || !lines.length) return [h('p', {}, t('pws.sasaran.failed'))];
  return [h('p', {}, file ? `${file}: ` : '', t('pws.sasaran.refused')),
    h('ul', { 'data-testid': 'sasaran-errors' }, lines.map(({ line, reason }) => h('li', {},
      line ? t('pws.sasaran.line', { line, reason }) : t('pws.sasaran.whole_file', { reason }))))];
}

function upload(file) {
  const body = new FormData();
  body.append('file', file, file.name);
  return apiFetch('/pws/sasaran', { method: 'POST', body });
}

function importCard(year) {
  const status = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'sasaran-result' });
  const input = h('input', { id: 'sasaran-file', type: 'file', accept: '.csv,text/csv', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, t('pws.sasaran.upload'));
  const say = (tone, ...children) => {
    status.className = `notice ${tone}`;
    status.replaceChildren(...children);
  };
  const form = h('form', {
    class: 'pws-upload', 'data-testid': 'sasaran-upload',
    onsubmit: async (event) => {
      event.preventDefault();
      const file = input.files?.[0];
      if (!file) { say('warn', h('p', {}, t('pws.sasaran.pick'))); return; }
      button.disabled = true;
      say('info', h('p', {}, t('pws.sasaran.uploading')));
      try {
        const result = await upload(file);
        stored = { result, file: file.name };
        const years = result.years ?? [];
        // A file for another year: show that year's table, where its figures are.
        if (years.length === 1 && years[0] !== year) window.location.hash = link('#/pws/sasaran', { year: years[0] });
        else render({ keepFocus: true });
      } catch (error) {
        say('bad', ...refusal(error, file.name));
        button.disabled = false;
      }
    },
  }, h('div', { class: 'pws-field' }, h('label', { for: 'sasaran-file' }, t('pws.sasaran.file')), input), button);
  return card(t('pws.sasaran.import_title'), h('p', { class: 'meta' }, t('pws.sasaran.import_note')),
    h('p', {}, h('a', {
      class: 'button secondary', href: link(`${API}/sasaran/template`, { year }), download: `sasaran-${year}.csv`,
      'data-testid': 'sasaran-template',
    }, t('pws.sasaran.template', { year }))),
    form, status);
}

/** What the last upload stored, with the groups named by their labels (never a key). */
function storedNotice(rows) {
  if (!stored) return null;
  const { result, file } = stored;
  stored = null;
  // In the catalogue's order (the rows'), as the table lists them.
  const wanted = new Set(result.groups ?? []);
  const groups = [...new Map(rows.map((row) => [row.group, row.group_label]))].filter(([key]) => wanted.has(key)).map(([, label]) => label);
  return h('div', { class: 'notice ok pws-stored', role: 'status', 'data-testid': 'sasaran-stored' },
    h('p', {}, `${file}: `, t('pws.sasaran.done', {
      figures: formatNumber(result.figures ?? 0, 0), rows: formatNumber(result.rows ?? 0, 0), years: (result.years ?? []).join(', '),
    })), groups.length ? h('p', {}, t('pws.sasaran.done_groups', { groups: groups.join(', ') })) : null);
}

/** #/pws/sasaran?year=YYYY */
export async function pwsSasaranPage(params, query) {
  const month = monthOf(query);
  const year = yearOf(query);
  const got = await load({ rows: link('/sasaran', { year }) });
  if (got.page) return got.page;
  const { rows } = got.data;
  const desa = sasaranByDesa(rows);
  const canImport = hasRole(...IMPORT_ROLES);
  return pwsPage('sasaran', month, { lead: t('pws.sasaran.lead'), picker: yearPicker(year, month) },
    readAt(got.at), storedNotice(rows),
    canImport ? importCard(year) : h('p', { class: 'meta', 'data-testid': 'sasaran-read-only' }, t('pws.sasaran.read_only')),
    h('h2', { class: 'pws-subtitle' }, t('pws.sasaran.title', { year })),
    desa.length ? desa.map(desaCard) : empty(t('pws.sasaran.none')));
}
