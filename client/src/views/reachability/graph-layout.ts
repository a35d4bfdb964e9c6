/**
 * The layout of the reachability graph: one column per namespace, nodes stacked, edges
 * routed so that none crosses a node. Coordinates only; content.ts draws them.
 */
import type { ReachConnection, ReachEndpoint } from '../../../../server/src/protocol';
import { groupOf, shortLabel } from './endpoints';
import type { FilteredReachability } from './filters';

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: ReachEndpoint['kind'];
  readonly column: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphEdge {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
  /** SVG path data (a cubic Bézier). */
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
}

export interface GraphColumn {
  readonly title: string;
  readonly x: number;
  readonly width: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly GraphColumn[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Whether edge labels are always shown (few edges) or only on hover. */
  readonly edgeLabels: boolean;
  readonly truncated: boolean;
  /** Column backgrounds span [columnTop, columnBottom]. */
  readonly columnTop: number;
  readonly columnBottom: number;
}

export const GRAPH = {
  nodeWidth: 180,
  nodeHeight: 28,
  columnGap: 120,
  rowGap: 14,
  padding: 16,
  header: 26,
  /** Room right of the last column for self-loops and same-column arcs. */
  tail: 60,
  /** Long edges run on horizontal lanes above (forward) or below (backward) the nodes. */
  laneGap: 6,
  lanePad: 12,
  maxLanes: 24,
  maxNodes: 300,
  maxEdgeLabels: 16,
  /** Characters of a node label that fit in nodeWidth at the view's font size. */
  labelChars: 25,
} as const;

const round = (n: number) => Math.round(n * 10) / 10;
type Pt = readonly [number, number];

/**
 * Columns by namespace (ingress controller first, external addresses last), one row per
 * endpoint in display order. Edges between neighbouring columns are Béziers across the
 * gap (source's right side to destination's left side, or back); edges that skip columns
 * run orthogonally on their own lane above the nodes (left to right) or below them (right
 * to left), their vertical legs in the gaps, so no edge crosses a node; edges within a
 * column arc on its right; self-connections are loops. Anchors are offset up for outgoing
 * and down for incoming edges so that A→B and B→A do not overlap.
 */
export function layoutGraph(f: FilteredReachability): GraphLayout {
  const G = GRAPH;
  const endpoints = f.endpoints.slice(0, G.maxNodes);
  const groups: string[] = [];
  for (const e of endpoints) if (!groups.includes(groupOf(e))) groups.push(groupOf(e));
  const column = new Map<string, number>();
  const row = new Map<string, number>();
  const rows = groups.map(() => 0);
  for (const e of endpoints) {
    const c = groups.indexOf(groupOf(e));
    column.set(e.id, c);
    row.set(e.id, rows[c]++);
  }
  const kept = f.connections.filter((c) => column.has(c.src) && column.has(c.dst));
  const span = (c: ReachConnection) => column.get(c.dst)! - column.get(c.src)!;
  // Lanes: shorter spans nearer the nodes, so that arcs nest rather than cross.
  const lanes = new Map<ReachConnection, number>();
  const assign = (list: ReachConnection[]) => {
    list.sort((a, b) => Math.abs(span(a)) - Math.abs(span(b)) || column.get(a.src)! - column.get(b.src)! || row.get(a.src)! - row.get(b.src)!);
    list.forEach((c, i) => lanes.set(c, i % G.maxLanes));
    return Math.min(list.length, G.maxLanes);
  };
  const topLanes = assign(kept.filter((c) => span(c) >= 2));
  const bottomLanes = assign(kept.filter((c) => span(c) <= -2));
  const columnTop = G.padding;
  const nodesTop = columnTop + G.header + (topLanes > 0 ? G.lanePad + topLanes * G.laneGap : 0);
  const maxRows = Math.max(0, ...rows);
  const nodesBottom = nodesTop + Math.max(0, maxRows * (G.nodeHeight + G.rowGap) - G.rowGap);
  const columnBottom = nodesBottom + 8 + (bottomLanes > 0 ? G.lanePad + bottomLanes * G.laneGap : 0);
  const colX = (i: number) => G.padding + i * (G.nodeWidth + G.columnGap);

  const byId = new Map<string, GraphNode>();
  const nodes: GraphNode[] = endpoints.map((e) => {
    const node: GraphNode = {
      id: e.id,
      label: truncate(shortLabel(e), G.labelChars),
      kind: e.kind,
      column: column.get(e.id)!,
      x: colX(column.get(e.id)!),
      y: nodesTop + row.get(e.id)! * (G.nodeHeight + G.rowGap),
      width: G.nodeWidth,
      height: G.nodeHeight,
    };
    byId.set(e.id, node);
    return node;
  });
  const edges = kept.map((c) => {
    const lane = lanes.get(c);
    const laneY = lane === undefined ? 0 : span(c) > 0 ? nodesTop - G.lanePad - lane * G.laneGap : nodesBottom + 8 + G.lanePad + lane * G.laneGap;
    return edge(byId.get(c.src)!, byId.get(c.dst)!, c.conn, lane ?? 0, laneY);
  });
  const columns = groups.map((title, i) => ({ title, x: colX(i), width: G.nodeWidth }));
  const width = groups.length === 0 ? 2 * G.padding : colX(groups.length - 1) + G.nodeWidth + G.tail + G.padding;
  const height = groups.length === 0 ? 2 * G.padding : columnBottom + G.padding;
  return { width, height, columns, nodes, edges, edgeLabels: edges.length <= G.maxEdgeLabels, truncated: endpoints.length < f.endpoints.length, columnTop, columnBottom };
}

/** At most n characters, the last one an ellipsis when cut. */
export function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

const pt = (p: Pt) => `${round(p[0])},${round(p[1])}`;

/** A polyline with rounded corners (radius r, shrunk on short legs). */
export function roundedPath(points: readonly Pt[], r: number): string {
  let d = `M${pt(points[0])}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [p, q, n] = [points[i - 1], points[i], points[i + 1]];
    const inLen = Math.hypot(q[0] - p[0], q[1] - p[1]);
    const outLen = Math.hypot(n[0] - q[0], n[1] - q[1]);
    const k = Math.min(r, inLen / 2, outLen / 2);
    if (k <= 0) continue;
    const a: Pt = [q[0] - ((q[0] - p[0]) / inLen) * k, q[1] - ((q[1] - p[1]) / inLen) * k];
    const b: Pt = [q[0] + ((n[0] - q[0]) / outLen) * k, q[1] + ((n[1] - q[1]) / outLen) * k];
    d += ` L${pt(a)} Q${pt(q)} ${pt(b)}`;
  }
  return `${d} L${pt(points[points.length - 1])}`;
}

function edge(s: GraphNode, d: GraphNode, conn: string, lane: number, laneY: number): GraphEdge {
  const G = GRAPH;
  const out = s.y + s.height / 2 - 4;
  const inn = d.y + d.height / 2 + 4;
  const base = { src: s.id, dst: d.id, conn };
  const bezier = (p: readonly [Pt, Pt, Pt, Pt]) => {
    const [a, b, c, e] = p;
    const mid = (i: 0 | 1) => (a[i] + 3 * b[i] + 3 * c[i] + e[i]) / 8;
    return { ...base, path: `M${pt(a)} C${pt(b)} ${pt(c)} ${pt(e)}`, labelX: round(mid(0)), labelY: round(mid(1) - 3) };
  };
  const spanCols = d.column - s.column;
  if (s === d) {
    const x = s.x + s.width;
    return bezier([[x, s.y + 6], [x + 40, s.y - 10], [x + 40, s.y + s.height + 10], [x, s.y + s.height - 6]]);
  }
  if (spanCols === 0) {
    const x = s.x + s.width;
    const k = Math.min(G.columnGap * 0.6, 24 + Math.abs(d.y - s.y) * 0.25);
    return bezier([[x, out], [x + k, out], [x + k, inn], [x + 6, inn]]);
  }
  if (spanCols === 1 || spanCols === -1) {
    const x0 = spanCols > 0 ? s.x + s.width : s.x;
    const x3 = spanCols > 0 ? d.x : d.x + d.width;
    const k = (x3 - x0) / 2;
    return bezier([[x0, out], [x0 + k, out], [x3 - k, inn], [x3, inn]]);
  }
  // Skips columns: along a lane, vertical legs spread across the gaps.
  const spread = ((lane % 9) - 4) * 6;
  const points: Pt[] =
    spanCols > 0
      ? [[s.x + s.width, out], [s.x + s.width + G.columnGap / 2 + spread, out], [s.x + s.width + G.columnGap / 2 + spread, laneY], [d.x - G.columnGap / 2 + spread, laneY], [d.x - G.columnGap / 2 + spread, inn], [d.x, inn]]
      : [[s.x, out], [s.x - G.columnGap / 2 + spread, out], [s.x - G.columnGap / 2 + spread, laneY], [d.x + d.width + G.columnGap / 2 + spread, laneY], [d.x + d.width + G.columnGap / 2 + spread, inn], [d.x + d.width, inn]];
  return { ...base, path: roundedPath(points, 6), labelX: round((points[2][0] + points[3][0]) / 2), labelY: round(laneY - 3) };
}
