// Which finding leads to which follow-up, read from config/ilp/followup.json (Python twin:
// backend/clinical/followup_rules.py). The first rule whose `finding` and `when` match a
// finding row is its rule; `followUps` makes one follow-up per matched rule, then folds the
// findings an explicit referral already covers into that referral (one task per place and
// visit; `referral_merge` in the config).

const SELF_NAMED = new Set(['screening', 'weight_trend', 'referral']);
const MATCHERS = {
  refer: (want, row) => Boolean(row.refer) === want,
  urgent: (want, row) => Boolean(row.urgent) === want,
  two_t: (want, row) => Boolean(row.two_t) === want,
  category: (want, row) => want.includes(row.code),
  instrument: (want, row) => want.includes(row.instrument),
  test: (want, row) => want.includes(row.test),
  stage: (want, row) => want.includes(row.stage),
  flag: (want, row) => (typeof want === 'string' ? [want] : want).some((flag) => (row.flags ?? []).includes(flag)),
};

/** The first followup.json rule that matches a finding row, or null. */
export function ruleFor(config, row) {
  return config.followup.rules.find((rule) => {
    const kinds = typeof rule.finding === 'string' ? [rule.finding] : rule.finding;
    return kinds.includes(row.finding) && Object.entries(rule.when).every(([key, want]) => MATCHERS[key](want, row));
  }) ?? null;
}

// Task reasons are at most 300 characters (TaskSchema).
function clip(text, limit = 300) {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

// Klaster 2 for mothers (hamil, nifas) and the young, 3 for adults and the elderly.
function lifeCycleCluster(config, row) {
  const { clusters } = config.followup;
  const flag = (row.flags ?? []).find((f) => f in clusters.flags);
  return flag ? clusters.flags[flag] : clusters.stages[row.stage];
}

function followUp(config, rule, row) {
  const { action } = rule;
  let { to } = action;
  if (to === 'referral') to = String(row.to ?? '').toLowerCase().startsWith('puskesmas') ? 'puskesmas' : 'pustu';
  let cluster = action.cluster ?? null;
  if (cluster === 'siklus_hidup') cluster = lifeCycleCluster(config, row);
  const reason = SELF_NAMED.has(row.finding) ? row.text : `${rule.label}: ${row.text}`;
  return {
    rule: rule.code, finding: row.finding, label: rule.label, reason: clip(reason), to,
    cluster: to === 'puskesmas' ? cluster : null, due_in_days: action.due_in_days, urgent: Boolean(action.urgent),
    separate: Boolean(action.separate), source: rule.source, covers: [], text: row.text,
  };
}

// A referral to the Puskesmas covers every place below it; one to the Pustu covers the
// Pustu's own follow-ups. Re-tests on their own date (`separate`) stay apart.
function coveredBy(referral, other) {
  if (other.separate) return false;
  return referral.to === 'puskesmas' || other.to === 'pustu';
}

function merge(referral, covered) {
  if (!covered.length) return referral;
  const urgentFirst = [...covered].sort((a, b) => (a.urgent === b.urgent ? a.due_in_days - b.due_in_days : a.urgent ? -1 : 1));
  let { cluster } = referral;
  if (referral.to === 'puskesmas' && cluster == null) cluster = urgentFirst.find((f) => f.cluster)?.cluster ?? null;
  const found = covered.map((f) => f.text).join('; ');
  return {
    ...referral, reason: clip(`${referral.reason}. Temuan: ${found}`), cluster,
    urgent: referral.urgent || urgentFirst[0].urgent,
    due_in_days: Math.min(referral.due_in_days, ...covered.map((f) => f.due_in_days)),
    covers: covered.map((f) => f.rule),
  };
}

/** One follow-up per matched rule; an explicit referral absorbs the others bound for the
 * same place. Each: {rule, finding, label, reason, to, cluster, due_in_days, urgent,
 * separate, source, covers}. */
export function followUps(config, { findings }) {
  const made = new Map();
  for (const row of findings) {
    const rule = ruleFor(config, row);
    if (rule && !made.has(rule.code)) made.set(rule.code, followUp(config, rule, row));
  }
  let candidates = [...made.values()];
  const referral = candidates.find((f) => f.finding === 'referral');
  if (referral) {
    const covered = candidates.filter((f) => f !== referral && coveredBy(referral, f));
    const merged = merge(referral, covered);
    candidates = candidates.filter((f) => !covered.includes(f)).map((f) => (f === referral ? merged : f));
  }
  return candidates.map(({ text, ...rest }) => rest);
}
