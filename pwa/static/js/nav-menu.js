// Which destinations a role has, in order of use, and which one is current: pure, so the
// phone's bottom bar (the first few, the rest under "Lainnya") and the tablet's side menu
// show the same places and a node test can hold them to it.

const REVIEWERS = ['klaster', 'kapus', 'admin'];
// The Puskesmas service flow (backend/flow/access.py FLOW_ROLES), worked at an online desk.
const FLOW_ROLES = ['klaster', 'kapus', 'admin'];
// PWS: the Puskesmas, the Pustu for its desa, dinkes in aggregate (backend/pws/scope.py).
const PWS_ROLES = ['kapus', 'klaster', 'admin', 'pustu', 'dinkes'];
// A phone's bottom bar: this many destinations, then "Lainnya" for the rest.
export const BAR_SIZE = 4;

// Screens under a destination that do not share its path prefix.
const ALIASES = [['#/person/', '#/persons'], ['#/household/', '#/persons'], ['#/task/', '#/tasks']];

/** [{href, key, icon}] the user may open, most used first. A desk holds no desa in memory:
 * Posyandu sessions and a desa's due list are tablet screens (views/desk.js). */
export function menuItems({ desk = false, writes = [], role = '' }) {
  const can = (type) => writes.includes(type);
  const is = (...roles) => roles.includes(role);
  // A jejaring FKTP reads no records: its report and its own cases (views/fktp.js).
  const fktp = is('fktp');
  return [
    ['#/', fktp ? 'nav.fktp_report' : 'nav.home', 'home', true],
    ['#/flow', 'nav.flow', 'flow', desk && is(...FLOW_ROLES)],
    ['#/fktp/kasus', 'nav.fktp_cases', 'tasks', fktp],
    ['#/posyandu', 'nav.posyandu', 'posyandu', can('encounter') && !desk],
    ['#/persons', 'nav.persons', 'persons', !fktp],
    ['#/tasks', 'nav.tasks', 'tasks', can('task')],
    ['#/due', 'nav.due', 'due', !desk],
    ['#/pws', 'nav.pws', 'pws', is(...PWS_ROLES)],
    ['#/review', 'nav.review', 'review', is(...REVIEWERS)],
    ['#/admin', 'nav.admin', 'admin', is('admin')],
    ['#/admin/audit', 'nav.audit', 'audit', is('kapus')],
    ['#/sync', 'nav.sync', 'sync', !fktp],
    ['#/settings', 'nav.settings', 'settings', true],
  ].filter(([, , , shown]) => shown).map(([href, key, icon]) => ({ href, key, icon }));
}

/** The bar's items and the rest; when only one would be left over it takes the last slot,
 * since a "Lainnya" holding a single item is a detour. */
export function splitMenu(items, size = BAR_SIZE) {
  if (items.length <= size + 1) return { bar: items, more: [] };
  return { bar: items.slice(0, size), more: items.slice(size) };
}

/** The href of the destination `hash` belongs to: the longest that is a prefix of the path
 * ('#/' only for itself), so #/admin/audit is Jejak audit, not Admin. */
export function currentHref(hash, hrefs) {
  let path = (hash || '#/').split('?')[0];
  for (const [prefix, target] of ALIASES) if (path.startsWith(prefix)) path = target;
  const matches = hrefs.filter((href) => (href === '#/' ? path === '#/' || path === '#'
    : path === href || path.startsWith(`${href}/`)));
  return matches.sort((a, b) => b.length - a.length)[0] ?? null;
}
