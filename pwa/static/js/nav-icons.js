// Line icons for the navigation (24 × 24, drawn in the text colour): on a phone's bottom bar
// a shape is found faster than a word. Decorative: the label beside each one is the name.

import { svg } from './dom.js';

const PATHS = {
  home: ['M3 11l9-7 9 7', 'M5 10v10h5v-6h4v6h5V10'],
  posyandu: ['M4 20h16', 'M12 4v4', 'M6 8h12l-2 6H8z'],
  // a ticket with its number, for the service flow's queues
  flow: ['M3 7h18v4a2 2 0 0 0 0 4v4H3v-4a2 2 0 0 0 0-4z', 'M9 11h6', 'M9 15h4'],
  persons: ['M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z', 'M2.5 20c.5-4 3-6 6.5-6s6 2 6.5 6',
    'M16 4.5a3.5 3.5 0 0 1 0 6.5', 'M18 14c2 .6 3.2 2.5 3.5 6'],
  tasks: ['M9 6h11', 'M9 12h11', 'M9 18h11', 'M3.5 6l1.5 1.5L7.5 4.5', 'M3.5 12l1.5 1.5 2.5-3',
    'M3.5 18l1.5 1.5 2.5-3'],
  due: ['M4 6h16v14H4z', 'M4 10h16', 'M8 3v5', 'M16 3v5', 'M12 13v3l2 1'],
  pws: ['M4 20h16', 'M6 20v-6', 'M10 20v-10', 'M14 20v-8', 'M18 20v-13', 'M3 9l6-3 5 2 7-4'],
  review: ['M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
  admin: ['M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z', 'M9 12l2 2 4-4'],
  audit: ['M6 3h9l4 4v14H6z', 'M9 11h7', 'M9 15h7', 'M9 7h3'],
  sync: ['M4 12a8 8 0 0 1 14-5.3L20 9', 'M20 4v5h-5', 'M20 12a8 8 0 0 1-14 5.3L4 15', 'M4 20v-5h5'],
  settings: ['M4 7h10', 'M18 7h2', 'M4 17h4', 'M12 17h8', 'M16 5v4', 'M10 15v4'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  more: ['M5 12h.01', 'M12 12h.01', 'M19 12h.01'],
};

export function navIcon(name) {
  return svg('svg', {
    class: 'nav-icon', viewBox: '0 0 24 24', width: 24, height: 24, 'aria-hidden': 'true', focusable: 'false',
    fill: 'none', stroke: 'currentColor', 'stroke-width': name === 'more' ? 3.5 : 1.8,
    'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  }, (PATHS[name] ?? []).map((d) => svg('path', { d })));
}
