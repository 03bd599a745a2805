// Tinjauan for Puskesmas roles (klaster, kapus, admin), online only: it reads and writes the
// server's review API (docs/review.md), never the tablet's copy. Tabs: the review queue per
// desa, duplicate persons and merges, the share reviewed per desa, and (kapus, admin) the
// conflicts report. Each tab is its own module (review-*.js).

import { hasRole } from '../app.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { conflictsTab } from './review-conflicts.js';
import { duplicatesTab } from './review-duplicates.js';
import { progressTab } from './review-progress.js';
import { refusal } from './review-parts.js';
import { queueTab } from './review-queue.js';
import { empty, page } from './ui.js';

const TABS = { queue: queueTab, duplicates: duplicatesTab, progress: progressTab, conflicts: conflictsTab };

function tabsFor() {
  return [
    ['queue', true], ['duplicates', true], ['progress', true],
    ['conflicts', hasRole('kapus', 'admin')],
  ].filter(([, shown]) => shown).map(([name]) => name);
}

/** The tab's body, or a sentence when it cannot be shown (offline, logged out, server down). */
async function tabBody(tab, query) {
  if (!navigator.onLine) return empty(t('review.offline'));
  try {
    return await TABS[tab](query);
  } catch (error) {
    return h('p', { class: 'notice bad', role: 'alert' }, refusal(error));
  }
}

export async function reviewPage(params, query) {
  const tabs = tabsFor();
  const tab = tabs.includes(query.tab) ? query.tab : 'queue';
  const keep = query.desa ? `&desa=${encodeURIComponent(query.desa)}` : '';
  const nav = h('nav', { class: 'tabs', 'aria-label': t('review.tabs') }, tabs.map((name) => h('a', {
    href: `#/review?tab=${name}${name === 'conflicts' ? '' : keep}`, 'aria-current': name === tab ? 'page' : null,
  }, t(`review.tab.${name}`))));
  return page(t('review.title'), { lead: t('review.lead') }, nav,
    h('div', { 'data-testid': `review-${tab}` }, await tabBody(tab, query)));
}
