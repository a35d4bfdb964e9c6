import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_FILTERS, applyFilters } from '../../../client/src/views/reachability/filters';
import { GRAPH, layoutGraph } from '../../../client/src/views/reachability/graph-layout';
import { graphSvg } from '../../../client/src/views/reachability/graph-svg';
import type { ReachConnection, ReachabilityResult } from '../../../server/src/protocol';
import { toHtml } from '../view-tree';
import { MODEL } from './model';

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
  assert.match(toHtml(graphSvg(big)), /^<svg class="graph" /);
  assert.match(toHtml(graphSvg(layoutGraph(applyFilters(MODEL, NO_FILTERS)))), /^<svg class="graph labels" /);
});

test('the SVG holds names as text, links nodes to their definition and edges to explain', () => {
  const model: ReachabilityResult = { endpoints: [], connections: [{ src: 'a/<b>&"x"[Pod]', dst: 'a/c[Pod]', conn: 'TCP 80' }] };
  const tree = graphSvg(layoutGraph(applyFilters(model, NO_FILTERS)));
  const svg = toHtml(tree);
  assert.ok(!svg.includes('<b>'));
  assert.match(svg, /<g class="node kind-workload" data-open="a\/&lt;b&gt;&amp;&quot;x&quot;\[Pod\]" tabindex="0" role="button"><rect x="\d+" y="\d+" width="180" height="28" rx="4"><\/rect><text x="\d+" y="\d+">&lt;b&gt;&amp;&quot;x&quot;\[Pod\]<\/text>/);
  assert.match(svg, /data-open="a\/&lt;b&gt;&amp;&quot;x&quot;\[Pod\]"/);
  assert.match(svg, /data-explain-from="a\/&lt;b&gt;/);
  assert.match(svg, /marker-end="url\(#np-arrow\)"/);
  assert.match(svg, /<title>a\/&lt;b&gt;&amp;&quot;x&quot;\[Pod\] → a\/c\[Pod\]: TCP 80<\/title>/);
  assert.ok(!/style=/.test(svg), 'no style attributes (the CSP allows none)');
  assert.match(svg, /^<svg class="graph labels" width="\d+" height="\d+" viewBox="0 0 \d+ \d+" role="img" aria-label="Reachability graph: 2 endpoints, 1 connections"><defs><marker id="np-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"><\/path><\/marker><\/defs><g class="column">/);
});
