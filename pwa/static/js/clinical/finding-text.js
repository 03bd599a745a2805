// How a finding reads in Indonesian: "TD 168/98 mmHg (hipertensi derajat 2)" (Python twin:
// backend/clinical/finding_text.py). Names and units come from config/ilp/followup.json
// `findings`, labels from the classifier or instrument; numbers use the decimal comma.

import { roundHalfUp } from './growth.js';

// Instrument types whose score means something to the reader (a count or a sum).
const SCORED_TYPES = new Set(['count_yes', 'sum', 'subscale_sum']);

/** 22.5 -> "22,5", 9 -> "9", -2.53 -> "−2,53" (at most two decimals, a real minus). */
export function number(value) {
  if (typeof value !== 'number') return String(value);
  const text = Number.isInteger(value) ? String(value)
    : roundHalfUp(value, 2).toFixed(2).replace(/0+$/, '').replace(/\.$/, '').replace('.', ',');
  return text.replace('-', '\u2212');
}

/** "Hipertensi derajat 2" -> "hipertensi derajat 2"; an acronym ("KEK ...") stays. */
export function lowerFirst(label) {
  const second = label.charAt(1);
  if (label.length > 1 && second !== second.toUpperCase()) return label.charAt(0).toLowerCase() + label.slice(1);
  return label;
}

function withLabel(head, label) {
  if (!label) return head;
  const lowered = lowerFirst(label);
  return lowered.includes('(') ? `${head}, ${lowered}` : `${head} (${lowered})`;
}

function measured(config, finding, value, label, name = null) {
  const spec = config.followup.findings[finding];
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if (value == null) return withLabel(name ?? spec.name, label); // no weight-based z with oedema
  const shown = typeof value === 'string' ? value : number(value);
  return withLabel(`${name ?? spec.name} ${shown}${unit}`, label);
}

function trend(config, row) {
  const text = measured(config, 'weight_trend', row.value, row.label);
  const gain = row.gain_g;
  if (gain == null) return text;
  const change = gain > 0 ? `naik ${gain} g` : gain < 0 ? `turun ${-gain} g` : 'tetap';
  return `${text}; ${change} sejak bulan lalu (KBM ${row.kbm_g} g)`;
}

function screening(config, row) {
  const name = config.followup.instrument_names[row.instrument] ?? row.instrument;
  if (row.positive?.length) return `${name}: ${row.positive.join(', ')}`;
  const spec = config.instruments.instruments[row.instrument];
  const label = row.label ? lowerFirst(row.label) : '';
  const scored = SCORED_TYPES.has(spec.type) && !spec.list_positive;
  const score = scored && row.value != null ? ` (skor ${number(row.value)})` : '';
  const text = label ? `${name}: ${label}${score}` : `${name}${score}`;
  // An urgent item (SRQ-20 butir 17) is why an otherwise normal score is referred today.
  return row.urgent ? `${text}; ${lowerFirst(spec.urgent_note)}` : text;
}

function glucose(config, row) {
  const parts = [];
  if (row.value != null) parts.push(measured(config, 'glucose', row.value, null, row.name));
  if (row.hba1c_pct != null) parts.push(measured(config, 'hba1c', row.hba1c_pct, null));
  return withLabel(parts.join(', '), row.label);
}

function referral(row) {
  const text = `Dirujuk ke ${row.to}`;
  return row.reason ? `${text}: ${row.reason}` : text;
}

export function findingText(config, row) {
  switch (row.finding) {
    case 'weight_trend': return trend(config, row);
    case 'screening': return screening(config, row);
    case 'referral': return referral(row);
    case 'glucose': return glucose(config, row);
    case 'lab': return `${row.name} ${lowerFirst(row.label)}`;
    default: return measured(config, row.finding, row.value, row.label, row.name ?? null);
  }
}
