// @ts-check
/**
 * Makes the extension's view trees (client/src/webview/view-node.ts) into DOM nodes. A
 * string only ever becomes a text node; an element or an attribute that is not on the
 * lists is left out, and `href` is kept only as `#`: whatever a name from a file holds,
 * the page shows it as text.
 */
import { ATTRIBUTES, HTML_TAGS, SVG_TAGS } from '../../src/webview/view-node';

/** @typedef {import('../../src/webview/view-node').ViewNode} ViewNode */

const SVG_NS = 'http://www.w3.org/2000/svg';
/** @type {ReadonlySet<string>} */
const HTML_ELEMENTS = new Set(HTML_TAGS);
/** @type {ReadonlySet<string>} */
const SVG_ELEMENTS = new Set(SVG_TAGS);
/** @type {ReadonlySet<string>} */
const ALLOWED_ATTRIBUTES = new Set(ATTRIBUTES);

/**
 * @param {ViewNode} node
 * @param {boolean} [inSvg] under an `svg` element (its children are SVG too)
 * @returns {Node}
 */
export function render(node, inSvg = false) {
  if (typeof node === 'string') return document.createTextNode(node);
  const svg = inSvg || node.tag === 'svg';
  if (!(svg ? SVG_ELEMENTS : HTML_ELEMENTS).has(node.tag)) return document.createDocumentFragment();
  const element = svg ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (!ALLOWED_ATTRIBUTES.has(name) || value === false || value === undefined || value === null) continue;
    if (name === 'href' && value !== '#') continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of node.children ?? []) element.appendChild(render(child, svg));
  return element;
}
