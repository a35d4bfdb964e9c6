import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { contentSecurityPolicy, escapeAttr, makeNonce } from '../../../client/src/views/webview-html';
import type { ReachConnection, ReachEndpoint, ReachabilityResult } from '../../../server/src/lsp/protocol';
import { compareEndpoints, endpointFromId } from '../../../client/src/views/reachability/endpoints';
import { exportConnections, toCsv, toDot, toMermaid } from '../../../client/src/views/reachability/export';
import { NO_FILTERS, applyFilters } from '../../../client/src/views/reachability/filters';
import { GRAPH, layoutGraph } from '../../../client/src/views/reachability/graph-layout';
import { REACH_SCRIPT, renderGraphSvg, renderReachabilityContent, renderReachabilityHtml } from '../../../client/src/views/reachability/html';
import { filtersForLens } from '../../../client/src/views/reachability/lens';
import { buildMatrix } from '../../../client/src/views/reachability/matrix';
import { parseReachMessage } from '../../../client/src/views/reachability/messages';
import { connAllows, parseConn, parsePortFilter } from '../../../client/src/views/reachability/ports';

const ROOT = resolve(__dirname, '../../../..');

const ep = (id: string, kind: ReachEndpoint['kind'] = 'workload'): ReachEndpoint => {
  const e = endpointFromId(id);
  return { ...e, kind, label: e.kind === 'workload' ? id.slice(id.indexOf('/') + 1) : e.label, location: kind === 'workload' ? { uri: `file:///ws/${id.split('/')[0]}.yaml`, line: 3 } : undefined };
};

const MODEL: ReachabilityResult = {
  endpoints: [
    ep('shop/web[Deployment]'),
    ep('shop/backend[Deployment]'),
    ep('shop/db[StatefulSet]'),
    ep('monitoring/prometheus[Deployment]'),
    ep('0.0.0.0-255.255.255.255[External]', 'ip'),
    { id: '{ingress-controller}', label: 'ingress controller', kind: 'ingress-controller' },
  ],
  connections: [
    { src: '{ingress-controller}', dst: 'shop/web[Deployment]', conn: 'TCP 8080' },
    { src: 'shop/web[Deployment]', dst: 'shop/backend[Deployment]', conn: 'TCP 80,8080-8090,UDP 53' },
    { src: 'shop/backend[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' },
    { src: 'shop/backend[Deployment]', dst: 'shop/web[Deployment]', conn: 'SCTP 9000' },
    { src: 'monitoring/prometheus[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 9187' },
    { src: 'shop/db[StatefulSet]', dst: '0.0.0.0-255.255.255.255[External]', conn: 'All Connections' },
    { src: 'shop/db[StatefulSet]', dst: 'shop/db[StatefulSet]', conn: 'All Connections' },
  ],
};

test('the pure view modules import neither vscode nor the language client', () => {
  for (const f of ['webview-html.ts', 'reachability/html.ts', 'reachability/filters.ts', 'reachability/graph-layout.ts', 'explain/html.ts']) {
    const src = readFileSync(resolve(ROOT, 'client/src/views', f), 'utf8');
    const imports = ts.preProcessFile(src, true, true).importedFiles.map((i) => i.fileName);
    const bad = imports.filter((s) => /^vscode/.test(s) || (!s.startsWith('.') && !s.startsWith('node:')));
    assert.deepEqual(bad, [], `${f} imports ${bad.join(', ')}`);
  }
});

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

test('the graph puts one column per namespace and edges between the right sides', () => {
  const layout = layoutGraph(applyFilters(MODEL, NO_FILTERS));
  assert.deepEqual(layout.columns.map((c) => c.title), ['ingress controller', 'monitoring', 'shop', 'external']);
  const node = (id: string) => layout.nodes.find((n) => n.id === id)!;
  assert.equal(node('shop/web[Deployment]').column, 2);
  assert.equal(node('shop/web[Deployment]').label, 'web[Deployment]');
  assert.equal(node('shop/backend[Deployment]').x, node('shop/db[StatefulSet]').x, 'same namespace, same column');
  assert.ok(node('shop/db[StatefulSet]').y > node('shop/backend[Deployment]').y, 'stacked by label');
  // No two nodes overlap; everything is inside the drawing.
  for (const a of layout.nodes) {
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= layout.width && a.y + a.height <= layout.height, `${a.id} inside`);
    for (const b of layout.nodes) {
      if (a === b) continue;
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      assert.ok(!overlap, `${a.id} and ${b.id} overlap`);
    }
  }
  assert.equal(layout.edges.length, MODEL.connections.length);
  const ends = (path: string) => {
    const pts = samplePath(path);
    return [pts[0], pts[pts.length - 1]];
  };
  // Forward edges leave the source's right side and enter the destination's left side.
  const w = node('shop/web[Deployment]');
  const ic = node('{ingress-controller}');
  const [a, b] = ends(layout.edges.find((e) => e.src === '{ingress-controller}')!.path);
  assert.equal(a[0], ic.x + ic.width);
  assert.ok(a[1] > ic.y && a[1] < ic.y + ic.height);
  assert.equal(b[0], w.x);
  assert.ok(b[1] > w.y && b[1] < w.y + w.height);
  // Backward edges (db → external is forward; external is last): the other way round.
  // A→B and B→A do not share a path.
  const ab = layout.edges.find((e) => e.src === 'shop/web[Deployment]' && e.dst === 'shop/backend[Deployment]')!;
  const ba = layout.edges.find((e) => e.src === 'shop/backend[Deployment]' && e.dst === 'shop/web[Deployment]')!;
  assert.notEqual(ab.path, ba.path);
  assert.equal(layout.edgeLabels, true);
  for (const e of layout.edges) assert.ok(Number.isFinite(e.labelX) && Number.isFinite(e.labelY));
  assertEdgesAvoidNodes(layout);
});

test('edges that skip columns, go back or stay in a column never cross a node', () => {
  // Four namespaces, several rows each, edges in every direction and span.
  const ids = ['a', 'b', 'c', 'd'].flatMap((ns) => [1, 2, 3].map((i) => `${ns}/w${i}[Pod]`));
  const connections: ReachConnection[] = [];
  for (const [i, src] of ids.entries()) for (const [j, dst] of ids.entries()) if ((i * 7 + j * 3) % 5 === 0) connections.push({ src, dst, conn: 'TCP 80' });
  const layout = layoutGraph(applyFilters({ endpoints: [], connections }, NO_FILTERS));
  assert.ok(layout.edges.length > 20);
  assert.ok(connections.some((c) => c.src[0] < c.dst[0] && c.dst.charCodeAt(0) - c.src.charCodeAt(0) >= 2), 'some forward edges skip columns');
  assert.ok(connections.some((c) => c.src.charCodeAt(0) - c.dst.charCodeAt(0) >= 2), 'some backward edges skip columns');
  assertEdgesAvoidNodes(layout);
});

/** Points along an SVG path made of absolute M, L, C and Q commands. */
function samplePath(d: string): [number, number][] {
  const tokens = d.match(/[MLCQ]|-?\d+(?:\.\d+)?/g) ?? [];
  const out: [number, number][] = [];
  let cur: [number, number] = [0, 0];
  let i = 0;
  const num = () => Number(tokens[i++]);
  const p = (): [number, number] => [num(), num()];
  while (i < tokens.length) {
    const cmd = tokens[i++];
    if (cmd === 'M') {
      cur = p();
      out.push(cur);
    } else if (cmd === 'L') {
      const to = p();
      for (let t = 0.1; t <= 1.0001; t += 0.1) out.push([cur[0] + (to[0] - cur[0]) * t, cur[1] + (to[1] - cur[1]) * t]);
      cur = to;
    } else if (cmd === 'C' || cmd === 'Q') {
      const ctrl = cmd === 'C' ? [p(), p()] : [p()];
      const to = p();
      const pts = [cur, ...ctrl, to];
      for (let t = 0.05; t <= 1.0001; t += 0.05) {
        let q = pts;
        while (q.length > 1) q = q.slice(1).map((x, k): [number, number] => [q[k][0] + (x[0] - q[k][0]) * t, q[k][1] + (x[1] - q[k][1]) * t]);
        out.push(q[0]);
      }
      cur = to;
    } else {
      assert.fail(`unexpected path command ${cmd} in ${d}`);
    }
  }
  return out;
}

function assertEdgesAvoidNodes(layout: ReturnType<typeof layoutGraph>): void {
  for (const e of layout.edges) {
    const pts = samplePath(e.path);
    for (const [x, y] of pts) {
      assert.ok(x >= 0 && y >= 0 && x <= layout.width && y <= layout.height, `${e.src} → ${e.dst} leaves the drawing at ${x},${y}`);
      for (const n of layout.nodes) {
        const inside = x > n.x + 1 && x < n.x + n.width - 1 && y > n.y + 1 && y < n.y + n.height - 1;
        assert.ok(!inside, `${e.src} → ${e.dst} crosses ${n.id} at ${Math.round(x)},${Math.round(y)}`);
      }
    }
  }
}

test('the graph of nothing is an empty drawing, and big graphs are cut', () => {
  const empty = layoutGraph(applyFilters({ endpoints: [], connections: [] }, NO_FILTERS));
  assert.deepEqual([empty.nodes.length, empty.edges.length, empty.columns.length], [0, 0, 0]);
  const many: ReachConnection[] = [];
  for (let i = 0; i < GRAPH.maxNodes + 10; i++) many.push({ src: `ns${i % 7}/w${i}[Pod]`, dst: 'ns0/w0[Pod]', conn: 'TCP 80' });
  const big = layoutGraph(applyFilters({ endpoints: [], connections: many }, NO_FILTERS));
  assert.equal(big.nodes.length, GRAPH.maxNodes);
  assert.equal(big.truncated, true);
  assert.equal(big.edgeLabels, false, 'too many edges for labels: on hover only');
  assert.match(renderGraphSvg(big), /^<svg class="graph" /);
  assert.match(renderGraphSvg(layoutGraph(applyFilters(MODEL, NO_FILTERS))), /^<svg class="graph labels" /);
});

test('the SVG escapes names, links nodes to their definition and edges to explain', () => {
  const model: ReachabilityResult = { endpoints: [], connections: [{ src: 'a/<b>&"x"[Pod]', dst: 'a/c[Pod]', conn: 'TCP 80' }] };
  const svg = renderGraphSvg(layoutGraph(applyFilters(model, NO_FILTERS)));
  assert.ok(!svg.includes('<b>'));
  assert.match(svg, /data-open="a\/&lt;b&gt;&amp;&quot;x&quot;\[Pod\]"/);
  assert.match(svg, /data-explain-from="a\/&lt;b&gt;/);
  assert.match(svg, /marker-end="url\(#np-arrow\)"/);
  assert.match(svg, /<title>a\/&lt;b&gt;&amp;&quot;x&quot;\[Pod\] → a\/c\[Pod\]: TCP 80<\/title>/);
  assert.ok(!/style=/.test(svg), 'no style attributes (the CSP allows none)');
});

test('exports are exactly what `netpol reach --format csv|dot|mermaid` prints', () => {
  const cli = (format: string) => {
    const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'reach', 'examples', '--format', format, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const rows = JSON.parse(cli('json')) as ReachConnection[];
  assert.ok(rows.length > 10);
  assert.equal(toCsv(rows), cli('csv'));
  assert.equal(toDot(rows), cli('dot'));
  assert.equal(toMermaid(rows), cli('mermaid'));
});

test('export formats carry their language and file extension', () => {
  const c = [{ src: 'a/b[Pod]', dst: '{ingress-controller}', conn: 'TCP 80,UDP 53' }];
  assert.deepEqual(
    (['mermaid', 'dot', 'csv'] as const).map((f) => [exportConnections(c, f).language, exportConnections(c, f).extension]),
    [['mermaid', 'mmd'], ['dot', 'dot'], ['csv', 'csv']],
  );
  assert.equal(toCsv(c), 'src,dst,conn\na/b[Pod],{ingress-controller},"TCP 80,UDP 53"\n');
  assert.match(toDot(c), /n1 \[label="\{ingress-controller\}", shape=hexagon\];/);
  assert.equal(toMermaid([{ src: 'a/"q"[Pod]', dst: 'a/b[Pod]', conn: 'TCP 1' }]), 'flowchart LR\n  n0["a/#quot;q#quot;[Pod]"]\n  n1["a/b[Pod]"]\n  n0 -->|"TCP 1"| n1\n');
});

test('the page has a strict CSP, a nonce on its only script and style, and theme colours', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
  assert.notEqual(nonce, makeNonce());
  const html = renderReachabilityHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, title: 'NetPol Reachability', scope: 'whole workspace', filters: { namespace: 'sh', workload: '', port: '' }, view: 'graph', model: MODEL });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.equal(csp, escapeAttr(contentSecurityPolicy('https://x.vscode-cdn.net', nonce)));
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'(;|$)`));
  assert.match(csp, new RegExp(`style-src https://x.vscode-cdn.net 'nonce-${nonce}'(;|$)`));
  assert.ok(!/unsafe-inline|unsafe-eval|https?:\/\/(?!x\.vscode-cdn)/.test(csp));
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [` nonce="${nonce}"`]);
  const styles = [...html.matchAll(/<style\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(styles, [` nonce="${nonce}"`]);
  assert.ok(!/\sstyle="|\son[a-z]+="|<link\b|src="http|href="http/.test(html), 'no inline styles, handlers or remote resources');
  assert.match(html, /var\(--vscode-editor-foreground|var\(--vscode-foreground\)/);
  assert.match(html, /<body class="view-graph">/);
  assert.match(html, /id="f-namespace" data-filter="namespace" type="text" value="sh"/);
  const quoted = renderReachabilityHtml({ cspSource: 'x', nonce, title: 'T', scope: 's', filters: { namespace: 'a"><script>', workload: '', port: '' }, view: 'matrix' });
  assert.match(quoted, /value="a&quot;&gt;&lt;script&gt;"/);
  assert.match(html, /<table class="matrix">/);
  assert.match(html, /<svg class="graph[ "]/);
  for (const f of ['mermaid', 'dot', 'csv']) assert.match(html, new RegExp(`data-export="${f}"`));
});

test('content states: waiting, error, empty scope, nothing matching, results', () => {
  assert.match(renderReachabilityContent({ filters: NO_FILTERS }), /Waiting for the NetPol analysis/);
  assert.match(renderReachabilityContent({ filters: NO_FILTERS, error: 'boom <x>' }), /class="error" role="alert">boom &lt;x&gt;/);
  assert.match(renderReachabilityContent({ filters: NO_FILTERS, model: { endpoints: [], connections: [] } }), /No connection is allowed in this scope/);
  assert.match(renderReachabilityContent({ filters: { ...NO_FILTERS, workload: 'zzz' }, model: MODEL }), /No connection matches the filters/);
  const html = renderReachabilityContent({ filters: { ...NO_FILTERS, namespace: 'monitoring' }, model: MODEL });
  assert.match(html, /1 connection \(of 7\) between 2 endpoints/);
  assert.match(html, /<th class="group" colspan="1" scope="colgroup">shop<\/th>/);
  assert.match(html, /data-explain-from="monitoring\/prometheus\[Deployment\]" data-explain-to="shop\/db\[StatefulSet\]"[^>]*>TCP 9187<\/td>/);
  assert.match(renderReachabilityContent({ filters: { ...NO_FILTERS, port: 'x' }, model: MODEL }), /id="port-error">Port filter ignored/);
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

// ---- the webview script, run against a minimal fake DOM ---------------------------------------------

class FakeElement {
  readonly listeners = new Map<string, ((e: unknown) => void)[]>();
  value = '';
  innerHTML = '';
  readonly classes = new Set<string>();
  readonly classList = {
    add: (...c: string[]) => c.forEach((x) => this.classes.add(x)),
    contains: (c: string) => this.classes.has(c),
    remove: (...c: string[]) => c.forEach((x) => this.classes.delete(x)),
  };
  constructor(
    readonly tagName: string,
    readonly attrs: Record<string, string> = {},
    readonly parentElement: FakeElement | null = null,
  ) {}
  getAttribute(n: string): string | null {
    return this.attrs[n] ?? null;
  }
  setAttribute(n: string, v: string): void {
    this.attrs[n] = v;
  }
  addEventListener(t: string, f: (e: unknown) => void): void {
    this.listeners.set(t, [...(this.listeners.get(t) ?? []), f]);
  }
  fire(t: string, e: Record<string, unknown> = {}): void {
    for (const f of this.listeners.get(t) ?? []) f({ target: this, preventDefault: () => undefined, ...e });
  }
  /** Supports the selectors the script uses: `[attr]`, `tag[attr]`. */
  closest(sel: string): FakeElement | null {
    const m = /^([a-z]*)\[([a-z-]+)\]$/.exec(sel);
    assert.ok(m, `unsupported selector ${sel}`);
    if ((!m[1] || this.tagName.toLowerCase() === m[1]) && m[2] in this.attrs) return this;
    return this.parentElement ? this.parentElement.closest(sel) : null;
  }
}

test('the webview script posts debounced filters, clicks and exports, and applies updates', async () => {
  const posted: unknown[] = [];
  const body = new FakeElement('BODY');
  const content = new FakeElement('MAIN', { id: 'content' }, body);
  const inputs = ['namespace', 'workload', 'port'].map((k) => new FakeElement('INPUT', { 'data-filter': k }, body));
  const views = ['matrix', 'graph'].map((v) => new FakeElement('BUTTON', { 'data-view': v }, body));
  const exportDot = new FakeElement('BUTTON', { 'data-export': 'dot' }, body);
  const fit = new FakeElement('BUTTON', { 'data-fit': '', 'aria-pressed': 'false' }, body);
  const node = new FakeElement('g', { 'data-open': 'shop/web[Deployment]' }, body);
  const nodeText = new FakeElement('text', {}, node);
  const cell = new FakeElement('TD', { 'data-explain-from': 'a', 'data-explain-to': 'b' }, body);
  const doc = new FakeElement('#document');
  const win = new FakeElement('#window');
  const documentApi = {
    body,
    addEventListener: doc.addEventListener.bind(doc),
    getElementById: (id: string) => (id === 'content' ? content : id === 'f-port' ? inputs[2] : null),
    querySelectorAll: (sel: string) => (sel === 'input[data-filter]' ? inputs : sel === 'button[data-view]' ? views : []),
  };
  vm.runInNewContext(REACH_SCRIPT, {
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))) }),
    document: documentApi,
    window: { addEventListener: win.addEventListener.bind(win) },
    setTimeout,
    clearTimeout,
  });
  assert.deepEqual(posted.splice(0), [{ type: 'ready' }]);
  inputs[0].value = 'sh';
  inputs[0].fire('input');
  inputs[0].value = 'shop';
  inputs[0].fire('input');
  assert.deepEqual(posted, [], 'debounced');
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(posted.splice(0), [{ type: 'filter', filters: { namespace: 'shop', workload: '', port: '' } }]);
  inputs[2].value = '80';
  inputs[2].fire('keydown', { key: 'Enter' });
  assert.deepEqual(posted.splice(0), [{ type: 'filter', filters: { namespace: 'shop', workload: '', port: '80' } }]);
  doc.fire('click', { target: views[1] });
  assert.ok(body.classes.has('view-graph') && !body.classes.has('view-matrix'));
  assert.equal(views[1].getAttribute('aria-pressed'), 'true');
  assert.equal(views[0].getAttribute('aria-pressed'), 'false');
  doc.fire('click', { target: fit });
  assert.ok(body.classes.has('graph-fit'));
  assert.equal(fit.getAttribute('aria-pressed'), 'true');
  doc.fire('click', { target: fit });
  assert.ok(!body.classes.has('graph-fit'));
  doc.fire('click', { target: exportDot });
  doc.fire('click', { target: nodeText });
  doc.fire('keydown', { target: cell, key: 'Enter' });
  assert.deepEqual(posted.splice(0), [
    { type: 'view', view: 'graph' },
    { type: 'export', format: 'dot' },
    { type: 'open', id: 'shop/web[Deployment]' },
    { type: 'explain', from: 'a', to: 'b' },
  ]);
  win.fire('message', { data: { type: 'update', html: '<p>new</p>' } });
  assert.equal(content.innerHTML, '<p>new</p>');
  win.fire('message', { data: { type: 'filters', filters: { namespace: 'x', workload: 'y', port: '' } } });
  assert.deepEqual(inputs.map((i) => i.value), ['x', 'y', '']);
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(posted, [], 'no stray timers');
});
