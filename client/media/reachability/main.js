// @ts-check
/**
 * The reachability page: shows what the extension posts (the toolbar, then the summary,
 * matrix and graph) and posts back what the user does: the filters as they are typed,
 * the view, a click on a workload (`open`) or a connection (`explain`), an export, a
 * refresh. The extension validates every message (views/reachability/messages.ts).
 */
import { eventElement, showPageMessage } from '../common/page.js';

const vscode = acquireVsCodeApi();
/** Typing pauses this long before the filters are sent. */
const FILTER_DELAY_MS = 200;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/** @param {EventTarget | null} target */
function isFilterInput(target) {
  const element = eventElement(target);
  return element !== null && element.tagName === 'INPUT' && element.hasAttribute('data-filter');
}

function sendFilters() {
  clearTimeout(timer);
  timer = undefined;
  /** @type {Record<string, string>} */
  const filters = { namespace: '', workload: '', port: '' };
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[data-filter]'))) {
    filters[input.getAttribute('data-filter') ?? ''] = input.value;
  }
  vscode.postMessage({ type: 'filter', filters });
}

/** @param {string} view `matrix` or `graph` */
function setView(view) {
  document.body.classList.remove('view-matrix', 'view-graph');
  document.body.classList.add(`view-${view}`);
  for (const button of document.querySelectorAll('button[data-view]')) button.setAttribute('aria-pressed', String(button.getAttribute('data-view') === view));
}

/** @param {Element} button */
function toggleFit(button) {
  const on = button.getAttribute('aria-pressed') !== 'true';
  document.body.classList.toggle('graph-fit', on);
  button.setAttribute('aria-pressed', String(on));
}

/**
 * What a click, Enter or Space on the target does; false when it is nothing of ours.
 * @param {EventTarget | null} target
 */
function activate(target) {
  const element = eventElement(target);
  if (!element) return false;
  const view = element.closest('[data-view]');
  if (view) {
    const name = view.getAttribute('data-view') ?? '';
    setView(name);
    vscode.postMessage({ type: 'view', view: name });
    return true;
  }
  const fit = element.closest('[data-fit]');
  if (fit) {
    toggleFit(fit);
    return true;
  }
  const exported = element.closest('[data-export]');
  if (exported) {
    vscode.postMessage({ type: 'export', format: exported.getAttribute('data-export') });
    return true;
  }
  if (element.closest('[data-refresh]')) {
    vscode.postMessage({ type: 'refresh' });
    return true;
  }
  const open = element.closest('[data-open]');
  if (open) {
    vscode.postMessage({ type: 'open', id: open.getAttribute('data-open') });
    return true;
  }
  const explain = element.closest('[data-explain-from]');
  if (explain) {
    vscode.postMessage({ type: 'explain', from: explain.getAttribute('data-explain-from'), to: explain.getAttribute('data-explain-to') });
    return true;
  }
  return false;
}

document.addEventListener('input', (e) => {
  if (!isFilterInput(e.target)) return;
  clearTimeout(timer);
  timer = setTimeout(sendFilters, FILTER_DELAY_MS);
});
document.addEventListener('keydown', (e) => {
  if (isFilterInput(e.target)) {
    if (e.key === 'Enter') sendFilters();
    return;
  }
  const tag = eventElement(e.target)?.tagName;
  // Buttons click themselves on Enter and Space.
  if ((e.key === 'Enter' || e.key === ' ') && tag !== 'BUTTON' && activate(e.target)) e.preventDefault();
});
document.addEventListener('click', (e) => {
  if (activate(e.target)) e.preventDefault();
});
window.addEventListener('message', (e) => {
  if (!showPageMessage(e.data)) return;
  // The port input is marked invalid while the content says the filter was ignored.
  document.getElementById('f-port')?.setAttribute('aria-invalid', String(document.getElementById('port-error') !== null));
});
vscode.postMessage({ type: 'ready' });
