// Registers the service worker and offers a new app version with a visible banner. The new
// worker waits until the user taps "Muat ulang"; only then does it take over and the page
// reload, so an update never interrupts a form (drafts would survive it, but still).

import { h } from './dom.js';
import { t } from './i18n.js';

const CHECK_EVERY_MS = 30 * 60000;

function showBanner(worker) {
  const banner = document.getElementById('update-banner');
  banner.replaceChildren(
    h('p', {}, t('update.available')),
    h('button', {
      type: 'button', class: 'primary',
      onclick: () => {
        banner.dataset.reloading = 'yes';
        worker.postMessage({ type: 'skip-waiting' });
      },
    }, t('update.reload')),
  );
  banner.hidden = false;
}

export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  document.body.prepend(h('div', { id: 'update-banner', class: 'update-banner', role: 'status', hidden: true }));
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first visit's worker also claims the page; only a user-approved update reloads.
    if (document.getElementById('update-banner').dataset.reloading === 'yes') window.location.reload();
  });
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
  const offerWhenInstalled = (worker) => worker.addEventListener('statechange', () => {
    if (worker.state === 'installed' && navigator.serviceWorker.controller) showBanner(worker);
  });
  if (registration.waiting && navigator.serviceWorker.controller) showBanner(registration.waiting);
  if (registration.installing) offerWhenInstalled(registration.installing);
  registration.addEventListener('updatefound', () => offerWhenInstalled(registration.installing));
  const check = () => registration.update().catch(() => {}); // offline: try again later
  setInterval(check, CHECK_EVERY_MS);
  window.addEventListener('online', check);
}
