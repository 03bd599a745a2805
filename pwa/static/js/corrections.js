// Corrections the Puskesmas sends back to the village (docs/review.md "Corrections sent back
// to the village"): a task with rule `koreksi` naming the record to fix. What it asks the
// tablet to open, whether the device already holds the correction, and how a visit form is
// prefilled from the visit it corrects. Pure functions; views/tasks.js and views/visit.js
// render them.

// backend/review/corrections.py writes correction tasks with this rule.
export const CORRECTION_RULE = 'koreksi';

export function isCorrection(task) {
  return task?.rule === CORRECTION_RULE;
}

/** What the correction is about and the screen that fixes it, or null when the task is not
 * a correction or names no person:
 * a visit (`origin`) → a NEW visit correcting it (visits are written once);
 * a pregnancy (`pregnancy`) → its form in edit mode; otherwise the person → the person form. */
export function correctionTarget(task) {
  if (!isCorrection(task) || !task.person) return null;
  const person = encodeURIComponent(task.person);
  if (task.origin) {
    return { kind: 'encounter', id: task.origin, href: `#/person/${person}/visit?corrects=${encodeURIComponent(task.origin)}` };
  }
  if (task.pregnancy) {
    return { kind: 'pregnancy', id: task.pregnancy, href: `#/person/${person}/pregnancy?edit=${encodeURIComponent(task.pregnancy)}` };
  }
  return { kind: 'person', id: task.person, href: `#/person/${person}/edit` };
}

/** The visit on this device that corrects `encounterId` (the latest), or null: once it is
 * there the correction is made and waits for the Puskesmas to close the task. */
export function correctionOf(encounterId, encounters) {
  const found = encounters.filter((e) => e.corrects === encounterId && !e._deleted);
  found.sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  return found[0] ?? null;
}

/** Whether the device holds the correction a task asks for: a visit correcting the visit,
 * or an edit of the person or pregnancy made after the task was sent. */
export function correctionMade(task, get, encounters) {
  const target = correctionTarget(task);
  if (!target) return false;
  if (target.kind === 'encounter') return Boolean(correctionOf(target.id, encounters));
  const doc = get(target.id);
  return Boolean(doc?.updated_at && task.created_at && doc.updated_at > task.created_at);
}

const MEASURED = ['weight_kg', 'height_cm', 'head_circ_cm', 'muac_cm', 'temp_c', 'waist_cm', 'sbp', 'dbp',
  'glucose_mgdl', 'hb_gdl'];

/** The visit form's values for a correction of `encounter`: the same setting, date,
 * measurements, referral and notes, so the bidan changes only what was wrong. Numbers are
 * written as the form shows them (a decimal comma). */
export function correctionValues(encounter) {
  const m = encounter.measurements ?? {};
  const values = { setting: encounter.setting, date: encounter.date };
  for (const name of MEASURED) {
    if (m[name] !== undefined && m[name] !== null) values[name] = String(m[name]).replace('.', ',');
  }
  if (m.glucose_type) values.glucose_type = m.glucose_type;
  if (m.length_or_height) values.length_or_height = m.length_or_height;
  if (encounter.referral) {
    Object.assign(values, { refer: true, refer_to: encounter.referral.to, refer_reason: encounter.referral.reason ?? '' });
  }
  if (encounter.notes) values.notes = encounter.notes;
  return values;
}

// What a visit form cannot show again: the Posyandu place and session, screenings, the
// pregnancy it counted for; and what it shows only when due today (services, immunizations)
// or as codes picked anew (diagnoses).
const KEPT = ['place', 'posyandu_session', 'screenings', 'pregnancy', 'services', 'immunizations', 'diagnoses'];

/** The correction's document fields: the form's `fields`, what the corrected visit held
 * that the form left empty (so the correction loses nothing), and the link `corrects`. */
export function correctionFields(encounter, fields) {
  const merged = { ...fields };
  for (const name of KEPT) {
    if (merged[name] === undefined && encounter[name] !== undefined) merged[name] = encounter[name];
  }
  return { ...merged, corrects: encounter._id };
}
