// Locks the app after a period without touch or keys (default 15 minutes, set per device).
// The unlocked-until moment lives in sessionStorage so a reload (the "Muat ulang" update)
// within the window does not ask for the PIN again, while a closed tab always does.

const UNTIL_KEY = 'siklus.unlockedUntil';
const MINUTES_KEY = 'siklus.lockMinutes';
export const LOCK_CHOICES = [5, 10, 15, 30, 60];
const DEFAULT_MINUTES = 15;
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'];

export function lockMinutes() {
  const stored = Number(localStorage.getItem(MINUTES_KEY));
  return LOCK_CHOICES.includes(stored) ? stored : DEFAULT_MINUTES;
}

export function setLockMinutes(minutes) {
  localStorage.setItem(MINUTES_KEY, String(minutes));
  touch();
}

function touch() {
  sessionStorage.setItem(UNTIL_KEY, String(Date.now() + lockMinutes() * 60000));
}

export function stillUnlocked() {
  return Number(sessionStorage.getItem(UNTIL_KEY)) > Date.now();
}

export function forget() {
  sessionStorage.removeItem(UNTIL_KEY);
}

let timer = null;
let lastTouch = 0;

function onActivity() {
  // Writing sessionStorage on every keystroke is wasteful; once every 5 s is plenty.
  if (Date.now() - lastTouch > 5000) {
    lastTouch = Date.now();
    touch();
  }
}

/** Calls onLock once the unlocked window has passed; returns a stop function. */
export function watch(onLock) {
  touch();
  ACTIVITY.forEach((name) => window.addEventListener(name, onActivity, { passive: true }));
  const check = () => {
    if (!stillUnlocked()) {
      stop();
      onLock();
    }
  };
  timer = setInterval(check, 15000);
  document.addEventListener('visibilitychange', check);
  function stop() {
    clearInterval(timer);
    ACTIVITY.forEach((name) => window.removeEventListener(name, onActivity));
    document.removeEventListener('visibilitychange', check);
  }
  return stop;
}
