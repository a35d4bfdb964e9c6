/**
 * The reachability page's script as shipped (dist/media/reachability/main.js, built by
 * `npm run build`) in a fake DOM: it builds the page from the extension's messages and
 * posts back what the user does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { reachabilityContent } from '../../../client/src/views/reachability/content';
import { NO_FILTERS, type ReachFilters, type ReachView } from '../../../client/src/views/reachability/filters';
import { reachabilityToolbar } from '../../../client/src/views/reachability/toolbar';
import type { PageMessage } from '../../../client/src/webview/page-message';
import { h } from '../../../client/src/webview/view-node';
import { loadPage, type FakeElement } from '../fake-dom';
import { MODEL } from './model';

const SCRIPT = resolve(__dirname, '../../../../dist/media/reachability/main.js');

/** The page message the panel posts (panel.ts postPage). */
function page(filters: ReachFilters = NO_FILTERS, view: ReachView = 'matrix'): PageMessage {
  const toolbar = reachabilityToolbar({ title: 'NetPol Reachability', scope: 'whole workspace', filters, view });
  return { type: 'page', bodyClass: `view-${view}`, body: [toolbar, h('main', { id: 'content', 'aria-live': 'polite' }, reachabilityContent({ model: MODEL, filters }))] };
}

test('the page asks for its state, then builds the toolbar and the content from the messages', () => {
  const p = loadPage(SCRIPT);
  assert.deepEqual(p.take(), [{ type: 'ready' }]);
  assert.equal(p.document.body.childNodes.length, 0, 'an empty page until the extension answers');
  p.post(page({ ...NO_FILTERS, namespace: 'shop' }, 'graph'));
  const body = p.document.body;
  assert.equal(body.className, 'view-graph');
  assert.equal(body.querySelector('h1')?.textContent, 'NetPol Reachability whole workspace');
  assert.deepEqual(body.querySelectorAll('input[data-filter]').map((i) => [i.getAttribute('data-filter'), i.value]), [['namespace', 'shop'], ['workload', ''], ['port', '']]);
  assert.equal(body.querySelectorAll('table').length, 1);
  assert.equal(body.querySelectorAll('tbody')[0].querySelectorAll('tr').length, 5);
  const svg = body.querySelectorAll('svg')[0];
  assert.equal(svg.namespaceURI, 'http://www.w3.org/2000/svg', 'SVG elements in the SVG namespace');
  assert.ok(svg.querySelectorAll('rect').every((r) => r.namespaceURI === svg.namespaceURI));
  assert.equal(body.querySelectorAll('g[data-open]').length, MODEL.endpoints.length);
  assert.equal(p.take().length, 0);
});

test('filters are sent once typing pauses, or at once on Enter; the content is replaced, the inputs stay', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const p = loadPage(SCRIPT);
  p.take();
  p.post(page());
  const [namespace, , port] = p.document.body.querySelectorAll('input[data-filter]');
  namespace.value = 'sh';
  namespace.dispatch('input');
  t.mock.timers.tick(150);
  namespace.value = 'shop';
  namespace.dispatch('input');
  t.mock.timers.tick(150);
  assert.deepEqual(p.take(), [], 'still typing');
  t.mock.timers.tick(50);
  assert.deepEqual(p.take(), [{ type: 'filter', filters: { namespace: 'shop', workload: '', port: '' } }]);
  port.value = '80';
  port.dispatch('input');
  port.dispatch('keydown', { key: 'Enter' });
  assert.deepEqual(p.take(), [{ type: 'filter', filters: { namespace: 'shop', workload: '', port: '80' } }]);
  t.mock.timers.tick(1000);
  assert.deepEqual(p.take(), [], 'Enter cancelled the pending send');

  const filters = { ...NO_FILTERS, port: 'nope' };
  p.post({ type: 'content', content: reachabilityContent({ model: MODEL, filters }) });
  assert.equal(p.document.body.querySelectorAll('input[data-filter]')[0], namespace, 'the same input element (focus and caret kept)');
  assert.equal(namespace.value, 'shop');
  assert.match(p.document.getElementById('port-error')?.textContent ?? '', /Port filter ignored/);
  assert.equal(port.getAttribute('aria-invalid'), 'true');
  p.post({ type: 'content', content: reachabilityContent({ model: MODEL, filters: NO_FILTERS }) });
  assert.equal(port.getAttribute('aria-invalid'), 'false');
});

test('clicks and keys: view, fit, export, refresh, open a workload, explain a connection', () => {
  const p = loadPage(SCRIPT);
  p.take();
  p.post(page());
  const body = p.document.body;
  const one = (selector: string, pick: (e: FakeElement) => boolean = () => true) => {
    const found = body.querySelectorAll(selector).filter(pick);
    assert.ok(found.length > 0, selector);
    return found[0];
  };
  const graph = one('button[data-view]', (b) => b.getAttribute('data-view') === 'graph');
  assert.equal(graph.dispatch('click').defaultPrevented, true);
  assert.ok(body.classList.contains('view-graph') && !body.classList.contains('view-matrix'));
  assert.deepEqual(body.querySelectorAll('button[data-view]').map((b) => b.getAttribute('aria-pressed')), ['false', 'true']);
  const fit = one('button[data-fit]');
  fit.dispatch('click');
  assert.ok(body.classList.contains('graph-fit'));
  assert.equal(fit.getAttribute('aria-pressed'), 'true');
  fit.dispatch('click');
  assert.ok(!body.classList.contains('graph-fit'));
  one('button[data-export]', (b) => b.getAttribute('data-export') === 'dot').dispatch('click');
  one('button[data-refresh]').dispatch('click');
  // A click on the text of a graph node, Enter on a matrix cell, Space on a name.
  one('g[data-open]', (g) => g.getAttribute('data-open') === 'shop/web[Deployment]').querySelectorAll('text')[0].dispatch('click');
  const cell = one('td[data-explain-from]', (td) => td.getAttribute('data-explain-to') === 'shop/db[StatefulSet]');
  assert.equal(cell.dispatch('keydown', { key: 'Enter' }).defaultPrevented, true);
  one('span[data-open]', (s) => s.getAttribute('data-open') === '{ingress-controller}').dispatch('keydown', { key: ' ' });
  assert.equal(one('button[data-refresh]').dispatch('keydown', { key: 'Enter' }).defaultPrevented, false, 'a button clicks itself');
  assert.equal(one('h1').dispatch('click').defaultPrevented, false, 'nothing of ours');
  assert.deepEqual(p.take(), [
    { type: 'view', view: 'graph' },
    { type: 'export', format: 'dot' },
    { type: 'refresh' },
    { type: 'open', id: 'shop/web[Deployment]' },
    { type: 'explain', from: cell.getAttribute('data-explain-from'), to: 'shop/db[StatefulSet]' },
    { type: 'open', id: '{ingress-controller}' },
  ]);
});

test('messages that are not the page\'s change nothing', () => {
  const p = loadPage(SCRIPT);
  p.take();
  p.post(page());
  const before = p.document.html();
  for (const m of [null, 'page', { type: 'update', html: '<img src=x onerror=alert(1)>' }, { type: 'page', body: 'x' }, { type: 'content' }]) p.post(m);
  assert.equal(p.document.html(), before);
});
