// "Periksa lagi: …" while a record is typed: the data-quality rules marked warn_on_entry in
// config/ilp/quality.json, judged offline by the clinical evaluator (entryWarnings) against
// the person's local record, exactly as the Puskesmas review will flag the record after sync.
// A note, never a refusal: the form saves what was typed (docs/review.md "Rules").

import { entryWarnings } from '../clinical/index.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** One warning as the person reads it: "Periksa lagi: <rule> — <what was found>". */
export function warningText(warning) {
  return t('quality.check_again', { label: warning.label, detail: warning.detail });
}

/** The warnings of a person being registered or edited, keyed by rule, for showWarnings. */
export function personWarnings(config, { person = null, history = [], draft }) {
  const found = entryWarnings(config, { person, history, draft: { ...draft, type: 'person' } });
  return Object.fromEntries(found.map((warning) => [warning.rule, warningText(warning)]));
}

/** The live note under a visit's findings: `update(encounter)` re-judges the draft. */
export function entryWarningsNote(config, { person, history }) {
  const list = h('ul', {});
  const element = h('div', {
    class: 'warning-summary entry-warnings', role: 'status', 'aria-live': 'polite', 'data-testid': 'entry-warnings', hidden: true,
  }, list, h('p', { class: 'hint' }, t('quality.saves_anyway')));
  return {
    element,
    update(draft) {
      const found = entryWarnings(config, { person, history, draft: { type: 'encounter', ...draft } });
      list.replaceChildren(...found.map((warning) => h('li', { dataset: { rule: warning.rule } }, warningText(warning))));
      element.hidden = found.length === 0;
      return found;
    },
  };
}
