// The browser side of a push subscription, shared by staff devices (push.js) and the family
// page (family/): whether this browser can receive web push, and subscribing with the server's
// VAPID public key. The server checks what it is sent (backend/push/subscriptions.py).

/** The VAPID public key (base64url, as GET /api/push/vapid-key gives it) as the bytes
 * `pushManager.subscribe` wants. */
export function applicationServerKey(base64url) {
  const padded = base64url.replace(/-/g, '+').replace(/_/g, '/')
    + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/** What this browser can do: 'ok'; 'ios-home-screen' (iPhone/iPad Safari: web push only for
 * an app added to the home screen, iOS 16.4+); 'unsupported'; or 'denied' (the user blocked
 * notifications for this site). */
export function pushSupport(nav = navigator, win = window) {
  const ios = /iPad|iPhone|iPod/.test(nav.userAgent)
    || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1);
  const standalone = nav.standalone === true
    || win.matchMedia?.('(display-mode: standalone)').matches;
  if (ios && !standalone) return 'ios-home-screen';
  if (!('serviceWorker' in nav) || !('PushManager' in win) || !('Notification' in win)) {
    return 'unsupported';
  }
  if (win.Notification.permission === 'denied') return 'denied';
  return 'ok';
}

/** Subscribe the service worker `registration` (asking for permission when needed); the
 * subscription as JSON ({endpoint, keys: {p256dh, auth}}), or null when the user said no. */
export async function subscribe(registration, vapidPublicKey) {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return null;
  const existing = await registration.pushManager.getSubscription();
  const subscription = existing ?? await registration.pushManager.subscribe({
    userVisibleOnly: true, applicationServerKey: applicationServerKey(vapidPublicKey),
  });
  return subscription.toJSON();
}

/** Unsubscribe this browser; the endpoint it had (for the server to forget), or null. */
export async function unsubscribe(registration) {
  const existing = await registration.pushManager.getSubscription();
  if (!existing) return null;
  const { endpoint } = existing;
  await existing.unsubscribe();
  return endpoint;
}
