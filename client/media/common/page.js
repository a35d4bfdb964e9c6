// @ts-check
/** What every NetPol page does with the extension's messages (client/src/webview/page-message.ts). */
import { render } from './render.js';

/** @typedef {import('../../src/webview/page-message').PageMessage} PageMessage */

/**
 * Shows a page message: the whole body, or the children of `#content`.
 * @param {unknown} data a message from the extension
 * @returns {boolean} whether it was one (other messages are the view's)
 */
export function showPageMessage(data) {
  if (typeof data !== 'object' || data === null) return false;
  const m = /** @type {PageMessage} */ (data);
  if (m.type === 'page' && Array.isArray(m.body)) {
    document.body.className = typeof m.bodyClass === 'string' ? m.bodyClass : '';
    document.body.replaceChildren(...m.body.map((node) => render(node)));
    return true;
  }
  if (m.type === 'content' && Array.isArray(m.content)) {
    document.getElementById('content')?.replaceChildren(...m.content.map((node) => render(node)));
    return true;
  }
  return false;
}

/**
 * The element an event happened on (a click on a text node counts for its element).
 * @param {EventTarget | null} target
 * @returns {Element | null}
 */
export function eventElement(target) {
  const node = /** @type {Node | null} */ (target);
  if (!node) return null;
  return node.nodeType === 1 ? /** @type {Element} */ (node) : node.parentElement;
}
