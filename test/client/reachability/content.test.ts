import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachabilityContent } from '../../../client/src/views/reachability/content';
import { NO_FILTERS } from '../../../client/src/views/reachability/filters';
import { parseReachMessage } from '../../../client/src/views/reachability/messages';
import { reachabilityToolbar } from '../../../client/src/views/reachability/toolbar';
import { toHtml } from '../view-tree';
import { MODEL } from './model';

test('the toolbar: title and scope, the filters with their values, view and export buttons', () => {
  const html = toHtml(reachabilityToolbar({ title: 'NetPol Reachability', scope: 'namespace shop', filters: { namespace: 'sh', workload: 'a"><script>', port: '' }, view: 'graph' }));
  assert.match(html, /^<header class="toolbar"><h1>NetPol Reachability <span class="muted scope">namespace shop<\/span><\/h1>/);
  assert.match(html, /<label class="filter" for="f-namespace" title="Connections from or to these namespaces[^"]*"><span>Namespace<\/span><input id="f-namespace" data-filter="namespace" type="text" value="sh" placeholder="e.g. shop, staging" spellcheck="false" autocomplete="off"><\/input><\/label>/);
  assert.match(html, /<input id="f-workload" data-filter="workload" type="text" value="a&quot;&gt;&lt;script&gt;"/);
  assert.match(html, /<input id="f-port" data-filter="port" type="text" value=""/);
  assert.match(html, /<button type="button" data-view="matrix" aria-pressed="false">Matrix<\/button><button type="button" data-view="graph" aria-pressed="true">Graph<\/button><button type="button" data-fit aria-pressed="false"/);
  assert.deepEqual([...html.matchAll(/data-export="([a-z]+)"/g)].map((m) => m[1]), ['mermaid', 'dot', 'csv']);
  assert.match(html, /<button type="button" data-refresh title="Ask the server again">Refresh<\/button>/);
});

test('content states: waiting, error, empty scope, nothing matching, results', () => {
  const content = (p: Parameters<typeof reachabilityContent>[0]) => toHtml(reachabilityContent(p));
  assert.equal(content({ filters: NO_FILTERS }), '<p class="muted" role="status">Waiting for the NetPol analysis…</p>');
  assert.equal(content({ filters: NO_FILTERS, error: 'boom <x>' }), '<p class="error" role="alert">boom &lt;x&gt;</p>');
  assert.match(content({ filters: NO_FILTERS, model: { endpoints: [], connections: [] } }), /<p class="muted empty">No connection is allowed in this scope.<\/p>$/);
  assert.match(content({ filters: { ...NO_FILTERS, workload: 'zzz' }, model: MODEL }), /<p class="muted empty">No connection matches the filters.<\/p>$/);
  const html = content({ filters: { ...NO_FILTERS, namespace: 'monitoring' }, model: MODEL });
  assert.match(html, /^<p class="summary" role="status">1 connection \(of 7\) between 2 endpoints. <span class="muted">Click a workload to open its definition, a connection to explain it.<\/span><\/p>/);
  assert.match(html, /<section class="matrix-view" aria-label="Matrix"><table class="matrix">/);
  assert.match(html, /<th class="group" colspan="1" scope="colgroup">shop<\/th>/);
  assert.match(html, /data-explain-from="monitoring\/prometheus\[Deployment\]" data-explain-to="shop\/db\[StatefulSet\]"[^>]*>TCP 9187<\/td>/);
  assert.match(html, /<section class="graph-view" aria-label="Graph"><svg class="graph labels"/);
  assert.match(content({ filters: NO_FILTERS, model: MODEL }), /^<p class="summary" role="status">7 connections between 6 endpoints. /);
  assert.match(content({ filters: { ...NO_FILTERS, port: 'x' }, model: MODEL }), /<p class="error" id="port-error">Port filter ignored: &quot;x&quot; is not a port filter/);
});

test('messages from the webview are validated', () => {
  assert.deepEqual(parseReachMessage({ type: 'filter', filters: { namespace: 'a', workload: 'b', port: '80' } }), { type: 'filter', filters: { namespace: 'a', workload: 'b', port: '80' } });
  assert.equal(parseReachMessage({ type: 'filter', filters: { namespace: 1, workload: '', port: '' } }), undefined);
  assert.deepEqual(parseReachMessage({ type: 'view', view: 'graph' }), { type: 'view', view: 'graph' });
  assert.equal(parseReachMessage({ type: 'view', view: 'pie' }), undefined);
  assert.deepEqual(parseReachMessage({ type: 'open', id: 'a/b[Pod]' }), { type: 'open', id: 'a/b[Pod]' });
  assert.deepEqual(parseReachMessage({ type: 'explain', from: 'a', to: 'b' }), { type: 'explain', from: 'a', to: 'b' });
  assert.equal(parseReachMessage({ type: 'explain', from: 'a' }), undefined);
  assert.deepEqual(parseReachMessage({ type: 'export', format: 'dot' }), { type: 'export', format: 'dot' });
  assert.equal(parseReachMessage({ type: 'export', format: 'png' }), undefined);
  assert.deepEqual(parseReachMessage({ type: 'ready' }), { type: 'ready' });
  assert.equal(parseReachMessage(null), undefined);
  assert.equal(parseReachMessage('refresh'), undefined);
  assert.equal(parseReachMessage({ type: 'open', id: 'x'.repeat(10_000) }), undefined);
});
