// @ts-check
/**
 * The explain page: shows what the extension posts (the toolbar, then the verdict and
 * both sides) and posts back a click on a file:line link (`open`) or a toolbar action.
 * The extension validates every message and opens only the locations it showed
 * (views/explain/messages.ts, links.ts).
 */
import { eventElement, showPageMessage } from '../common/page.js';

const vscode = acquireVsCodeApi();

document.addEventListener('click', (e) => {
  const element = eventElement(e.target);
  if (!element) return;
  const link = element.closest('[data-uri]');
  if (link) {
    e.preventDefault();
    vscode.postMessage({ type: 'open', uri: link.getAttribute('data-uri'), line: Number(link.getAttribute('data-line')) });
    return;
  }
  const action = element.closest('[data-action]');
  if (action) vscode.postMessage({ type: action.getAttribute('data-action') });
});
window.addEventListener('message', (e) => showPageMessage(e.data));
vscode.postMessage({ type: 'ready' });
