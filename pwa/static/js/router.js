// Hash routes (#/person/<id>): the page itself is always `/`, the one URL the service worker
// serves offline. Each navigation renders one view into the outlet, moves focus to its
// heading for screen readers and keyboards, and runs the previous view's clean-ups.

import { replace } from './dom.js';

const routes = [];
let outlet = null;
let cleanups = [];
let rendering = 0;

export function route(pattern, view) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  routes.push({ regex: new RegExp(`^${source}$`), names, view });
}

/** Register a clean-up for the current view (a listener to remove, a timer to stop). */
export function onLeave(cleanup) {
  cleanups.push(cleanup);
}

export function go(path) {
  if (window.location.hash === `#${path}`) render();
  else window.location.hash = path;
}

function parse() {
  const [path, search = ''] = (window.location.hash.slice(1) || '/').split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(search)) };
}

/** Re-render the current view when `target` fires `type` (debounced); for screens showing
 * counts that sync or other screens may change. Focus stays where the user left it. */
export function refreshOn(target, type = 'change') {
  let timer = null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => render({ keepFocus: true }), 400);
  };
  target.addEventListener(type, refresh);
  onLeave(() => {
    clearTimeout(timer);
    target.removeEventListener(type, refresh);
  });
}

export async function render({ keepFocus = false } = {}) {
  const { path, query } = parse();
  cleanups.forEach((cleanup) => cleanup());
  cleanups = [];
  const match = routes.map((r) => [r, r.regex.exec(path)]).find(([, m]) => m);
  if (!match) {
    go('/');
    return;
  }
  const [found, groups] = match;
  const params = Object.fromEntries(found.names.map((name, i) => [name, decodeURIComponent(groups[i + 1])]));
  rendering += 1;
  const ticket = rendering;
  const view = await found.view(params, query);
  if (ticket !== rendering) return; // a later navigation won the race
  replace(outlet, view);
  const heading = outlet.querySelector('h1');
  if (heading) document.title = `${heading.textContent} · Siklus`;
  if (keepFocus) return;
  window.scrollTo(0, 0);
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

const onHashChange = () => render();

/** The first screen keeps the browser's focus (a keyboard user meets the skip link first);
 * later navigations move it to the new heading. */
export function start(element) {
  outlet = element;
  window.addEventListener('hashchange', onHashChange);
  return render({ keepFocus: true });
}

export function stop() {
  window.removeEventListener('hashchange', onHashChange);
  cleanups.forEach((cleanup) => cleanup());
  cleanups = [];
}
