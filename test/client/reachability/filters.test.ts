import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEndpoints } from '../../../client/src/views/reachability/endpoints';
import { NO_FILTERS, applyFilters } from '../../../client/src/views/reachability/filters';
import { filtersForLens } from '../../../client/src/views/reachability/lens';
import { connAllows, parseConn, parsePortFilter } from '../../../client/src/views/reachability/ports';
import type { ReachabilityResult } from '../../../server/src/protocol';
import { MODEL } from './model';

test('parseConn reads netpol-analyzer connection strings', () => {
  assert.equal(parseConn('All Connections'), 'all');
  assert.deepEqual([...(parseConn('No Connections') as Map<string, unknown>)], []);
  assert.deepEqual(
    [...(parseConn('SCTP 7,TCP 80,8080-8090,UDP 53') as Map<string, unknown>)],
    [
      ['SCTP', [[7, 7]]],
      ['TCP', [[80, 80], [8080, 8090]]],
      ['UDP', [[53, 53]]],
    ],
  );
  assert.deepEqual([...(parseConn('TCP') as Map<string, unknown>)], [['TCP', [[1, 65535]]]]);
});

test('the port filter accepts a port, a protocol or both, in either order', () => {
  assert.deepEqual(parsePortFilter(''), { ok: true });
  assert.deepEqual(parsePortFilter(' 80 '), { ok: true, query: { protocol: undefined, port: 80 } });
  assert.deepEqual(parsePortFilter('tcp'), { ok: true, query: { protocol: 'TCP', port: undefined } });
  assert.deepEqual(parsePortFilter('TCP 8080'), { ok: true, query: { protocol: 'TCP', port: 8080 } });
  assert.deepEqual(parsePortFilter('53/udp'), { ok: true, query: { protocol: 'UDP', port: 53 } });
  assert.deepEqual(parsePortFilter('sctp:9000'), { ok: true, query: { protocol: 'SCTP', port: 9000 } });
  assert.equal(parsePortFilter('70000').ok, false);
  assert.equal(parsePortFilter('http').ok, false);
  assert.equal(parsePortFilter('80 81').ok, false);
});

test('connAllows checks protocol and port ranges', () => {
  const c = 'TCP 80,8080-8090,UDP 53';
  assert.equal(connAllows(c, { port: 8085 }), true);
  assert.equal(connAllows(c, { port: 53 }), true);
  assert.equal(connAllows(c, { protocol: 'TCP', port: 53 }), false);
  assert.equal(connAllows(c, { protocol: 'UDP' }), true);
  assert.equal(connAllows(c, { protocol: 'SCTP' }), false);
  assert.equal(connAllows('All Connections', { protocol: 'SCTP', port: 1 }), true);
  assert.equal(connAllows('No Connections', { port: 1 }), false);
});

test('endpoints sort ingress controller first, namespaces alphabetically, external last', () => {
  const sorted = [...MODEL.endpoints].sort(compareEndpoints).map((e) => e.id);
  assert.deepEqual(sorted, [
    '{ingress-controller}',
    'monitoring/prometheus[Deployment]',
    'shop/backend[Deployment]',
    'shop/db[StatefulSet]',
    'shop/web[Deployment]',
    '0.0.0.0-255.255.255.255[External]',
  ]);
});

test('filters: namespace, workload (comma-separated) and port combine; no filter keeps everything', () => {
  assert.equal(applyFilters(MODEL, NO_FILTERS).connections.length, MODEL.connections.length);
  const mon = applyFilters(MODEL, { ...NO_FILTERS, namespace: 'MONITOR' });
  assert.deepEqual(mon.connections.map((c) => c.src + '>' + c.dst), ['monitoring/prometheus[Deployment]>shop/db[StatefulSet]']);
  assert.deepEqual(mon.endpoints.map((e) => e.id), ['monitoring/prometheus[Deployment]', 'shop/db[StatefulSet]']);
  const ext = applyFilters(MODEL, { ...NO_FILTERS, namespace: 'external' });
  assert.deepEqual(ext.connections.map((c) => c.dst), ['0.0.0.0-255.255.255.255[External]']);
  const wl = applyFilters(MODEL, { ...NO_FILTERS, workload: 'web, prometheus' });
  assert.equal(wl.connections.length, 4);
  const port = applyFilters(MODEL, { ...NO_FILTERS, port: 'udp 53' });
  assert.deepEqual(
    port.connections.map((c) => c.conn),
    ['TCP 80,8080-8090,UDP 53', 'All Connections', 'All Connections'],
  );
  const both = applyFilters(MODEL, { namespace: 'shop', workload: 'backend', port: '5432' });
  assert.deepEqual(both.connections.map((c) => c.dst), ['shop/db[StatefulSet]']);
  const bad = applyFilters(MODEL, { ...NO_FILTERS, port: 'nope' });
  assert.equal(bad.connections.length, MODEL.connections.length, 'a bad port filter is ignored');
  assert.match(bad.portError ?? '', /not a port filter/);
});

test('a filter term that names a namespace or an endpoint exactly matches only it', () => {
  const model: ReachabilityResult = {
    endpoints: [],
    connections: [
      { src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' },
      { src: 'shop/web-admin[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' },
      { src: 'shop-staging/web[Deployment]', dst: 'shop-staging/db[StatefulSet]', conn: 'TCP 5432' },
    ],
  };
  const srcs = (f: Partial<typeof NO_FILTERS>) => applyFilters(model, { ...NO_FILTERS, ...f }).connections.map((c) => c.src);
  assert.deepEqual(srcs({ workload: 'shop/web' }), ['shop/web[Deployment]'], 'ns/name names one workload');
  assert.deepEqual(srcs({ workload: 'SHOP/WEB[Deployment]' }), ['shop/web[Deployment]'], 'so does its id');
  assert.deepEqual(srcs({ workload: 'shop/we' }), ['shop/web[Deployment]', 'shop/web-admin[Deployment]'], 'a prefix is a substring');
  assert.deepEqual(srcs({ workload: 'web' }), ['shop/web[Deployment]', 'shop/web-admin[Deployment]', 'shop-staging/web[Deployment]']);
  assert.deepEqual(srcs({ namespace: 'shop' }), ['shop/web[Deployment]', 'shop/web-admin[Deployment]'], 'a namespace name is exact');
  assert.deepEqual(srcs({ namespace: 'sho' }).length, 3, 'a partial name is a substring');
  assert.deepEqual(srcs({ namespace: 'staging, shop' }).length, 3, 'terms combine');
});

test('connections naming unlisted endpoints still render (described from their ids)', () => {
  const f = applyFilters({ endpoints: [], connections: [{ src: 'a/x[Pod]', dst: '10.0.0.0-10.255.255.255[External]', conn: 'TCP 1' }] }, NO_FILTERS);
  assert.deepEqual(
    f.endpoints.map((e) => [e.id, e.kind, e.namespace, e.label]),
    [
      ['a/x[Pod]', 'workload', 'a', 'x[Pod]'],
      ['10.0.0.0-10.255.255.255[External]', 'ip', undefined, '10.0.0.0-10.255.255.255'],
    ],
  );
});

test('code lens presets: a workload filters to itself, a policy to what it selects or its namespace', () => {
  assert.deepEqual(filtersForLens({ id: 'shop/web[Deployment]', kind: 'Deployment' }), { workload: 'shop/web[Deployment]' });
  assert.deepEqual(filtersForLens({ id: 'shop/web[Deployment]', kind: 'workload' }), { workload: 'shop/web[Deployment]' });
  assert.deepEqual(filtersForLens({ id: 'shop/allow-web', kind: 'NetworkPolicy', workloads: ['shop/web[Deployment]', 'shop/db[StatefulSet]'] }), { workload: 'shop/web[Deployment], shop/db[StatefulSet]' });
  assert.deepEqual(filtersForLens({ id: 'shop/allow-web', kind: 'policy' }), { namespace: 'shop' });
  // What the server's lenses send: `ns/name` for a workload.
  const lens = applyFilters(MODEL, { ...NO_FILTERS, ...filtersForLens({ uri: 'file:///ws/shop.yaml', id: 'shop/db', kind: 'workload' }) });
  assert.deepEqual(lens.endpoints.map((e) => e.id), ['monitoring/prometheus[Deployment]', 'shop/backend[Deployment]', 'shop/db[StatefulSet]', '0.0.0.0-255.255.255.255[External]']);
  // The preset filters select what they should.
  const f = applyFilters(MODEL, { ...NO_FILTERS, ...filtersForLens({ id: 'shop/web[Deployment]', kind: 'Deployment' }) });
  assert.ok(f.connections.every((c) => c.src === 'shop/web[Deployment]' || c.dst === 'shop/web[Deployment]'));
  assert.equal(f.connections.length, 3);
});
