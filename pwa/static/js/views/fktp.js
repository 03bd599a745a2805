// Jejaring FKTP (docs/pws.md "Jejaring FKTP"): a network clinic or private midwife reports
// the cases it handled so they count in PWS, and sees the follow-up of those cases. The
// `fktp` role reads no records (backend/auth/roles.py): this screen talks to
// /api/v1/pws/fktp only — find a person (NIK or name), pick or register them, report the
// case; "Kasus saya" lists this account's cases with the tasks the server derived and how
// they ended. Online only: nothing of it is kept on the device.

import { app } from '../app.js';
import { age, parseDate } from '../clinical/dates.js';
import { todayIso } from '../db.js';
import { h, replace } from '../dom.js';
import { actions, clearErrors, field, onSubmit, parseDecimal, showErrors } from '../forms.js';
import { formatAge, formatDate, t } from '../i18n.js';
import { icd10Label } from '../icd10.js';
import { render } from '../router.js';
import { apiFetch } from '../session.js';
import { unavailable } from './desk.js';
import { icd10Picker } from './icd10-picker.js';
import { desaOptions } from './places.js';
import { badge, card, dataTable, empty, linkButton, page, sexLabel } from './ui.js';

// What a clinic does besides treating (i18n `service.*`, the codes every visit uses). ANC,
// KN and KF are left out: they count only on a pregnancy the FKTP cannot see (docs/pws.md).
export const FKTP_SERVICES = ['penyuluhan', 'kb', 'iva', 'ttd', 'vitamin_a', 'obat_cacing'];
const NAME_MIN = 3; // backend/pws/fktp.py NAME_MIN_CHARS
const TASK_TONE = { open: 'warn', in_progress: 'info', done: 'ok', cancelled: 'muted' };

/** The finder's query from what was typed: 16 digits are a NIK, anything else a name. */
export function finderQuery({ text = '', birthYear = '', desa = '' }) {
  const typed = text.trim();
  const digits = typed.replace(/\s/g, '');
  const query = /^\d+$/.test(digits) ? { nik: digits } : { q: typed };
  if (birthYear.trim()) query.birth_year = birthYear.trim();
  if (desa) query.desa = desa;
  return query;
}

/** Why the finder cannot search yet ({field: message}), or {}. */
export function finderErrors(query) {
  if (query.nik !== undefined) return query.nik.length === 16 ? {} : { text: t('fktp.valid.nik') };
  if (query.q.length < NAME_MIN) return { text: t('fktp.valid.query', { n: NAME_MIN }) };
  if (query.birth_year && !/^\d{4}$/.test(query.birth_year)) return { birth_year: t('fktp.valid.year') };
  return {};
}

/** The case report body from the form's values, and its problems ({field: message}). */
export function caseBody(values, person, today) {
  const errors = {};
  const num = (name) => parseDecimal(values[name]);
  const measurements = {
    sbp: num('sbp'), dbp: num('dbp'), glucose_mgdl: num('glucose_mgdl'), weight_kg: num('weight_kg'),
  };
  for (const [name, value] of Object.entries(measurements)) {
    if (Number.isNaN(value)) errors[name] = t('fktp.valid.number');
    if (value === null || Number.isNaN(value)) delete measurements[name];
  }
  if ((measurements.sbp === undefined) !== (measurements.dbp === undefined)) errors.dbp = t('valid.bp_pair');
  else if (measurements.sbp !== undefined && measurements.dbp >= measurements.sbp) errors.dbp = t('valid.bp_order');
  if (measurements.glucose_mgdl !== undefined) {
    if (!values.glucose_type) errors.glucose_type = t('valid.required');
    else measurements.glucose_type = values.glucose_type;
  }
  if (!values.date) errors.date = t('valid.required');
  else if (values.date > today) errors.date = t('valid.future');
  const codes = (values.diagnoses ?? '').split(' ').filter(Boolean);
  const services = values.services ?? [];
  if (!codes.length && !services.length) errors.diagnoses = t('fktp.valid.something');
  const body = {
    person: person.id, date: values.date,
    diagnoses: codes.map((icd10) => ({ icd10, case: values.case || 'baru' })),
    services, measurements,
  };
  if (values.place_name?.trim()) body.place_name = values.place_name.trim();
  if (values.provider?.trim()) body.provider = values.provider.trim();
  return { body, errors };
}

/** "Siti Aminah · Perempuan · 56 th · Cikalong · RT 003/RW 004 · NIK ****0001" (no code). */
function whoLine(person) {
  const born = person.birth_date;
  const bits = [sexLabel(person.sex),
    born ? t('fktp.born', { date: formatDate(born), age: formatAge(age(parseDate(born), parseDate(todayIso()))) }) : null,
    person.desa_name,
    person.rt ? t('household.rt_rw', { rt: person.rt, rw: person.rw ?? '-' }) : null,
    person.nik_masked ? t('fktp.nik_masked', { nik: person.nik_masked }) : null].filter(Boolean);
  return h('span', { class: 'person-line' }, h('strong', {}, person.name), h('span', { class: 'meta' }, bits.join(' · ')));
}

function formValues(form) {
  const data = new FormData(form);
  const values = Object.fromEntries(data.entries());
  values.services = data.getAll('services');
  return values;
}

/** The server's field messages ({json: {field: [..]}}) as the form's ({field: text}). */
function serverErrors(error, fallback) {
  const fields = error.problem?.errors?.json ?? {};
  const out = {};
  for (const [name, messages] of Object.entries(fields)) {
    const text = Array.isArray(messages) ? messages.join(' ') : Object.values(messages).flat().join(' ');
    out[name in { measurements: 1 } ? 'dbp' : name] = text;
  }
  if (!Object.keys(out).length) out[fallback] = error.status ? (error.problem?.detail ?? t('desk.failed_body')) : t('fktp.offline');
  return out;
}

// --- the report screen ----------------------------------------------------------------------

function searchCard(onPick, onRegister) {
  const results = h('div', { class: 'fktp-results', 'aria-live': 'polite', 'data-testid': 'fktp-results' });
  const form = h('form', { novalidate: true, class: 'fktp-search' },
    field({ name: 'text', label: t('fktp.find.text'), hint: t('fktp.find.hint'), autocomplete: 'off' }),
    h('div', { class: 'grid-2' },
      field({ name: 'birth_year', label: t('fktp.find.birth_year'), type: 'integer', maxlength: 4 }),
      app.profile.scopes.length > 1
        ? field({ name: 'desa', label: t('fktp.find.desa'), type: 'select', options: desaOptions() }) : null),
    actions(h('button', { type: 'submit', class: 'primary' }, t('fktp.find.submit'))));
  onSubmit(form, async () => {
    const values = formValues(form);
    const query = finderQuery({ text: values.text, birthYear: values.birth_year ?? '', desa: values.desa ?? '' });
    if (!showErrors(form, finderErrors(query))) return;
    let found;
    try {
      found = await apiFetch(`/pws/fktp/persons?${new URLSearchParams(query)}`);
    } catch (error) {
      showErrors(form, serverErrors(error, 'text'));
      return;
    }
    clearErrors(form);
    replace(results,
      found.items.length ? h('ul', { class: 'results' }, found.items.map((person) => h('li', { class: 'result' },
        whoLine(person),
        h('button', { type: 'button', class: 'secondary', onclick: () => onPick(person) }, t('fktp.pick')))))
        : empty(t('fktp.none_found')),
      found.more ? h('p', { class: 'hint' }, t('fktp.more')) : null,
      h('p', {}, t('fktp.not_listed'), ' ',
        h('button', { type: 'button', class: 'secondary', onclick: onRegister, 'data-testid': 'fktp-register' }, t('fktp.register'))));
  });
  return card(t('fktp.find.title'), form, results);
}

function registerCard(onRegistered, onCancel) {
  const form = h('form', { novalidate: true },
    field({ name: 'name', label: t('person.name'), required: true, autocomplete: 'off' }),
    field({ name: 'sex', label: t('fktp.sex'), type: 'radio', required: true, options: [['L', t('person.sex.L')], ['P', t('person.sex.P')]] }),
    field({ name: 'birth_date', label: t('person.birth_date'), type: 'date', required: true, max: todayIso() }),
    field({ name: 'nik', label: t('person.nik'), type: 'integer', maxlength: 16, hint: t('fktp.register.nik_hint') }),
    field({ name: 'desa', label: t('fktp.find.desa'), type: 'select', required: true, options: desaOptions(),
      value: app.profile.scopes.length === 1 ? app.profile.scopes[0] : undefined }),
    h('div', { class: 'grid-2' },
      field({ name: 'rt', label: t('household.rt'), type: 'integer', maxlength: 3 }),
      field({ name: 'rw', label: t('household.rw'), type: 'integer', maxlength: 3 })),
    field({ name: 'head_name', label: t('fktp.register.head'), hint: t('fktp.register.head_hint') }),
    actions(h('button', { type: 'submit', class: 'primary' }, t('fktp.register.submit')),
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('common.cancel'))));
  onSubmit(form, async () => {
    const values = formValues(form);
    const errors = {};
    for (const name of ['name', 'sex', 'birth_date', 'desa']) if (!values[name]?.trim()) errors[name] = t('valid.required');
    if (values.birth_date && values.birth_date > todayIso()) errors.birth_date = t('valid.future');
    if (values.nik && !/^\d{16}$/.test(values.nik)) errors.nik = t('fktp.valid.nik');
    if (!showErrors(form, errors)) return;
    const body = Object.fromEntries(Object.entries(values).filter(([key, value]) => key !== 'services' && String(value).trim()));
    try {
      onRegistered(await apiFetch('/pws/fktp/persons', { method: 'POST', body }));
    } catch (error) {
      showErrors(form, error.status === 409 ? { nik: t('fktp.register.nik_taken') } : serverErrors(error, 'name'));
    }
  });
  return card(t('fktp.register.title'), form);
}

function caseCard(person, onDone, onChange) {
  const picker = icd10Picker();
  const today = todayIso();
  const form = h('form', { novalidate: true, 'data-testid': 'fktp-case' },
    card(t('fktp.case.title'),
      h('div', { class: 'fktp-who', 'data-testid': 'fktp-who' }, whoLine(person),
        h('button', { type: 'button', class: 'secondary', onclick: onChange }, t('fktp.change_person'))),
      h('div', { class: 'grid-2' },
        field({ name: 'date', label: t('visit.date'), type: 'date', required: true, value: today, max: today }),
        field({ name: 'provider', label: t('fktp.case.provider'), hint: t('fktp.case.provider_hint') })),
      field({ name: 'place_name', label: t('fktp.case.place'), value: app.profile.display_name })),
    card(t('fktp.case.diagnoses'), picker.element,
      field({ name: 'case', label: t('fktp.case.kind'), type: 'radio', value: 'baru',
        options: [['baru', t('fktp.case.baru')], ['lama', t('fktp.case.lama')]] })),
    card(t('fktp.case.services'),
      field({ name: 'services', label: t('fktp.case.services_label'), type: 'checkbox-group',
        options: FKTP_SERVICES.map((code) => [code, t(`service.${code}`)]) })),
    card(t('fktp.case.measurements'),
      h('div', { class: 'grid-2' },
        field({ name: 'sbp', label: t('measure.sbp'), type: 'integer', unit: 'mmHg' }),
        field({ name: 'dbp', label: t('measure.dbp'), type: 'integer', unit: 'mmHg' }),
        field({ name: 'glucose_mgdl', label: t('measure.glucose_mgdl'), type: 'decimal', unit: 'mg/dL' }),
        field({ name: 'glucose_type', label: t('measure.glucose_type'), type: 'select',
          options: ['GDS', 'GDP', 'GD2PP'].map((code) => [code, t(`measure.glucose.${code}`)]) }),
        field({ name: 'weight_kg', label: t('measure.weight_kg'), type: 'decimal', unit: 'kg' }))),
    actions(h('button', { type: 'submit', class: 'primary' }, t('fktp.case.submit'))));
  onSubmit(form, async () => {
    const { body, errors } = caseBody(formValues(form), person, todayIso());
    const pending = picker.problem?.();
    if (pending) errors.diagnoses = pending;
    if (!showErrors(form, errors)) return;
    try {
      await apiFetch('/pws/fktp/cases', { method: 'POST', body });
    } catch (error) {
      showErrors(form, serverErrors(error, 'date'));
      return;
    }
    onDone(person);
  });
  return form;
}

/** "Laporan kasus FKTP": search, pick or register, report. The fktp login opens here. */
export function fktpReport() {
  if (!navigator.onLine) return offline();
  const slot = h('div', {});
  const notice = h('div', { 'aria-live': 'polite', 'data-testid': 'fktp-notice' });
  const showSearch = () => replace(slot, searchCard(showCase, showRegister));
  function showRegister() {
    replace(notice);
    replace(slot, registerCard(showCase, showSearch));
  }
  function showCase(person) {
    replace(notice);
    replace(slot, caseCard(person, reported, showSearch));
    slot.querySelector('input[type=search]')?.focus();
  }
  function reported(person) {
    replace(notice, h('div', { class: 'card notice ok', role: 'status' },
      h('p', {}, t('fktp.case.saved', { name: person.name })),
      linkButton('#/fktp/kasus', t('fktp.cases.open'), 'primary')));
    showSearch();
  }
  showSearch();
  return page(t('fktp.title'), { lead: t('fktp.lead'), actions: [linkButton('#/fktp/kasus', t('fktp.cases.title'))] },
    notice, slot);
}

// --- my cases -------------------------------------------------------------------------------

function taskLine(task) {
  const outcome = task.outcome_code ? t(`task.outcome.${task.outcome_code}`) : null;
  return h('li', { class: 'fktp-task' },
    h('span', {}, task.reason),
    h('span', { class: 'meta' }, t('fktp.cases.due', { date: formatDate(task.due_date) })),
    badge(t(`task.status.${task.status}`), TASK_TONE[task.status] ?? 'neutral'),
    outcome ? badge(outcome, 'info') : null);
}

function measuredText(measured) {
  const bits = [];
  if (measured.sbp) bits.push(t('fktp.cases.bp', { sbp: measured.sbp, dbp: measured.dbp }));
  if (measured.glucose_mgdl) bits.push(t('fktp.cases.glucose', { value: measured.glucose_mgdl }));
  if (measured.weight_kg) bits.push(t('fktp.cases.weight', { value: measured.weight_kg }));
  return bits.join(' · ');
}

function caseRow(item) {
  const { person } = item;
  return h('tr', { 'data-testid': 'fktp-case-row' },
    h('td', {}, formatDate(item.date)),
    h('td', {}, h('strong', {}, person.name), h('br'),
      h('span', { class: 'meta' }, [sexLabel(person.sex), person.desa_name].join(' · '))),
    h('td', {}, item.diagnoses.length ? item.diagnoses.map((d) => h('div', {}, icd10Label(d.icd10))) : '–',
      measuredText(item.measurements) ? h('div', { class: 'meta' }, measuredText(item.measurements)) : null),
    h('td', {}, item.tasks.length ? h('ul', { class: 'fktp-tasks' }, item.tasks.map(taskLine))
      : h('span', { class: 'meta' }, t('fktp.cases.no_task'))));
}

/** "Kasus saya": this account's cases, newest first, with their follow-up. */
export async function fktpCases() {
  if (!navigator.onLine) return offline('#/fktp/kasus');
  let cases;
  try {
    cases = await apiFetch('/pws/fktp/cases');
  } catch (error) {
    return unavailable('#/', error.status);
  }
  return page(t('fktp.cases.title'), { back: '#/', lead: t('fktp.cases.lead'),
    actions: [linkButton('#/', t('fktp.cases.report'), 'primary')] },
  card(null, cases.length
    ? dataTable([t('fktp.cases.date'), t('fktp.cases.person'), t('fktp.cases.diagnoses'), t('fktp.cases.followup')],
      cases.map(caseRow), { cards: true, 'data-testid': 'fktp-cases' })
    : empty(t('fktp.cases.none'))));
}

function offline(back = '#/') {
  return page(t('fktp.title'), { back },
    h('div', { class: 'card', role: 'alert', 'data-testid': 'desk-offline' }, empty(t('fktp.offline')),
      h('button', { type: 'button', class: 'primary', onclick: () => render() }, t('desk.retry'))));
}
