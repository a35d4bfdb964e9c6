import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_FILTERS, applyFilters } from '../../../client/src/views/reachability/filters';
import { buildMatrix, matrixTable } from '../../../client/src/views/reachability/matrix';
import { toHtml } from '../view-tree';
import { MODEL } from './model';

test('the matrix has sources as rows, destinations as columns and the ports in the cells', () => {
  const m = buildMatrix(applyFilters(MODEL, NO_FILTERS));
  assert.deepEqual(m.sources.map((e) => e.id), ['{ingress-controller}', 'monitoring/prometheus[Deployment]', 'shop/backend[Deployment]', 'shop/db[StatefulSet]', 'shop/web[Deployment]']);
  assert.deepEqual(m.destinations.map((e) => e.id), ['shop/backend[Deployment]', 'shop/db[StatefulSet]', 'shop/web[Deployment]', '0.0.0.0-255.255.255.255[External]']);
  const cell = (s: string, d: string) => m.cells[m.sources.findIndex((e) => e.id === s)][m.destinations.findIndex((e) => e.id === d)];
  assert.equal(cell('shop/web[Deployment]', 'shop/backend[Deployment]'), 'TCP 80,8080-8090,UDP 53');
  assert.equal(cell('shop/db[StatefulSet]', 'shop/db[StatefulSet]'), 'All Connections');
  assert.equal(cell('shop/web[Deployment]', 'shop/db[StatefulSet]'), undefined);
  assert.equal(m.truncated, false);
  const small = buildMatrix(applyFilters(MODEL, NO_FILTERS), 2);
  assert.equal(small.sources.length, 2);
  assert.equal(small.truncated, true);
});

test('the table: namespace headers, names that open, allowed cells that explain', () => {
  const html = toHtml(matrixTable(buildMatrix(applyFilters(MODEL, NO_FILTERS))));
  assert.match(html, /^<table class="matrix"><thead><tr><th class="corner" rowspan="2" scope="col"><span class="muted">from ↓ to →<\/span><\/th><th class="group" colspan="3" scope="colgroup">shop<\/th><th class="group" colspan="1" scope="colgroup">external<\/th><\/tr>/);
  assert.match(html, /<th class="dst" scope="col" title="shop\/backend\[Deployment\]"><span class="link vertical" data-open="shop\/backend\[Deployment\]" tabindex="0" role="link">backend\[Deployment\]<\/span><\/th>/);
  assert.match(html, /<th class="src" scope="row" title="monitoring\/prometheus\[Deployment\]"><span class="group-tag">monitoring<\/span> <span class="link" data-open="monitoring\/prometheus\[Deployment\]" tabindex="0" role="link">prometheus\[Deployment\]<\/span><\/th>/);
  assert.match(html, /<td class="cell allowed" data-explain-from="monitoring\/prometheus\[Deployment\]" data-explain-to="shop\/db\[StatefulSet\]" tabindex="0" role="button" title="monitoring\/prometheus\[Deployment\] → shop\/db\[StatefulSet\]: TCP 9187 \(click to explain\)">TCP 9187<\/td>/);
  assert.match(html, /<td class="cell allowed all" data-explain-from="shop\/db\[StatefulSet\]" data-explain-to="shop\/db\[StatefulSet\]"[^>]*>all<\/td>/);
  assert.match(html, /<td class="cell none"><\/td>/);
  assert.doesNotMatch(html, /filter to see the others/);
  assert.match(toHtml(matrixTable(buildMatrix(applyFilters(MODEL, NO_FILTERS), 2))), /<\/table><p class="muted">The matrix shows the first 2 sources and 2 destinations: filter to see the others.<\/p>$/);
});
