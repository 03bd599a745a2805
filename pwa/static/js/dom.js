// Building DOM without innerHTML: record data always enters as text nodes (a name typed at
// Posyandu can never become markup), and handlers are attached in code, as the CSP demands.

const SVG_NS = 'http://www.w3.org/2000/svg';
// Set as properties (live state); everything else is an attribute (for, aria-*, role, ...).
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'indeterminate']);

function build(element, props, children) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (PROPERTIES.has(key) && !(element instanceof SVGElement)) {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** h('button', {class: 'primary', onclick}, 'Simpan') */
export function h(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

/** svg('circle', {cx: 4, cy: 4, r: 2}) */
export function svg(tag, props, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

let counter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}
