/**
 * Pure rendering of the reachability view: filters, the source × destination matrix,
 * the SVG graph layout, the Mermaid/DOT/CSV exports and the webview's HTML. No `vscode`
 * import (unit-tested under plain Node); reachability-panel.ts does the editor side.
 */
import { formatRows } from '../../../server/src/core/ide/formats/connlist';
import { escapeHtml, renderPage } from './html';
import { PROTOCOLS, type Protocol, type ReachConnection, type ReachEndpoint, type ReachabilityResult } from './protocol';

// ---- filters ---------------------------------------------------------------------------------------

/** The three text inputs of the view; empty means "no filter". */
export interface ReachFilters {
  /**
   * Comma-separated namespaces: a connection stays when its source or destination is in
   * one. A term that names a namespace exactly matches only it; other terms are substrings.
   */
  readonly namespace: string;
  /**
   * Comma-separated endpoints: a term that names one exactly (`shop/web`, `shop/web[Deployment]`)
   * matches only it; other terms are substrings of ids and labels (`web`, `db`, `[External]`).
   */
  readonly workload: string;
  /** `80`, `TCP`, `TCP 80`, `tcp/80`, `80/UDP`: connections that admit it. */
  readonly port: string;
}

export const NO_FILTERS: ReachFilters = { namespace: '', workload: '', port: '' };

export type ReachView = 'matrix' | 'graph';

export interface PortQuery {
  readonly protocol?: Protocol;
  readonly port?: number;
}

export type PortFilter = { readonly ok: true; readonly query?: PortQuery } | { readonly ok: false; readonly message: string };

/** Parses the port filter; an empty text is no filter. */
export function parsePortFilter(text: string): PortFilter {
  const t = text.trim();
  if (t === '') return { ok: true };
  const parts = t.split(/[\s/:]+/).filter((p) => p !== '');
  let protocol: Protocol | undefined;
  let port: number | undefined;
  for (const p of parts) {
    const upper = p.toUpperCase();
    if ((PROTOCOLS as readonly string[]).includes(upper) && protocol === undefined) {
      protocol = upper as Protocol;
    } else if (/^\d+$/.test(p) && port === undefined) {
      const n = Number(p);
      if (n < 1 || n > 65535) return { ok: false, message: `port ${p} is outside 1-65535` };
      port = n;
    } else {
      return { ok: false, message: `"${text.trim()}" is not a port filter (e.g. 80, TCP, TCP 80, 53/UDP)` };
    }
  }
  return { ok: true, query: { protocol, port } };
}

export type ParsedConn = 'all' | ReadonlyMap<Protocol, readonly (readonly [number, number])[]>;

/**
 * Parses netpol-analyzer's connection string: `All Connections`, `No Connections`, or
 * `PROTO ports` items joined with `,` where ports are `N` or `A-B` (`TCP 80,8080-8090,UDP 53`).
 */
export function parseConn(conn: string): ParsedConn {
  const c = conn.trim();
  if (/^all connections$/i.test(c)) return 'all';
  const out = new Map<Protocol, [number, number][]>();
  if (/^no connections$/i.test(c) || c === '') return out;
  let current: Protocol | undefined;
  for (const raw of c.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const m = /^(TCP|UDP|SCTP)\b\s*(.*)$/i.exec(item);
    let ports = item;
    if (m) {
      current = m[1].toUpperCase() as Protocol;
      ports = m[2].trim();
      if (!out.has(current)) out.set(current, []);
      if (ports === '') {
        out.get(current)?.push([1, 65535]);
        continue;
      }
    }
    if (!current) continue;
    const r = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(ports);
    if (!r) continue;
    const lo = Number(r[1]);
    out.get(current)?.push([lo, r[2] === undefined ? lo : Number(r[2])]);
  }
  return out;
}

/** Whether a connection string admits the query (protocol and/or port). */
export function connAllows(conn: string, query: PortQuery): boolean {
  const parsed = parseConn(conn);
  if (parsed === 'all') return true;
  const protocols = query.protocol ? [query.protocol] : PROTOCOLS;
  return protocols.some((p) => {
    const ranges = parsed.get(p) ?? [];
    return query.port === undefined ? ranges.length > 0 : ranges.some(([lo, hi]) => query.port! >= lo && query.port! <= hi);
  });
}

function terms(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

export interface FilteredReachability {
  /** Endpoints of the kept connections, in display order (see {@link compareEndpoints}). */
  readonly endpoints: readonly ReachEndpoint[];
  readonly connections: readonly ReachConnection[];
  /** Connections before filtering. */
  readonly total: number;
  /** Set when the port filter does not parse (it is then ignored). */
  readonly portError?: string;
}

/** Group (graph column, matrix header) of an endpoint. */
export function groupOf(e: ReachEndpoint): string {
  if (e.kind === 'ip') return 'external';
  if (e.namespace) return e.namespace;
  return e.kind === 'ingress-controller' ? 'ingress controller' : '(no namespace)';
}

function groupRank(e: ReachEndpoint): number {
  if (e.kind === 'ingress-controller') return 0;
  if (e.kind === 'ip') return 2;
  return 1;
}

/** Ingress controller first, then namespaces alphabetically, then external addresses; by label within. */
export function compareEndpoints(a: ReachEndpoint, b: ReachEndpoint): number {
  return groupRank(a) - groupRank(b) || cmp(groupOf(a), groupOf(b)) || cmp(a.label, b.label) || cmp(a.id, b.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An endpoint the server named in a connection but did not list: described from its id. */
export function endpointFromId(id: string): ReachEndpoint {
  if (id.endsWith('[External]')) return { id, label: id.slice(0, -'[External]'.length), kind: 'ip' };
  if (id === '{ingress-controller}') return { id, label: 'ingress controller', kind: 'ingress-controller' };
  const slash = id.indexOf('/');
  return slash > 0 ? { id, label: id.slice(slash + 1), namespace: id.slice(0, slash), kind: 'workload' } : { id, label: id, kind: 'workload' };
}

export function endpointIndex(model: ReachabilityResult): Map<string, ReachEndpoint> {
  const byId = new Map<string, ReachEndpoint>();
  for (const e of model.endpoints) byId.set(e.id, e);
  for (const c of model.connections) for (const id of [c.src, c.dst]) if (!byId.has(id)) byId.set(id, endpointFromId(id));
  return byId;
}

export function applyFilters(model: ReachabilityResult, filters: ReachFilters): FilteredReachability {
  const byId = endpointIndex(model);
  const ns = terms(filters.namespace);
  const wl = terms(filters.workload);
  const port = parsePortFilter(filters.port);
  const query = port.ok ? port.query : undefined;
  const nsOf = (e: ReachEndpoint) => (e.namespace ?? groupOf(e)).toLowerCase();
  const names = (e: ReachEndpoint) => {
    const id = e.id.toLowerCase();
    const bare = id.replace(/\[[^\]]*\]$/, '');
    return bare === id ? [id] : [id, bare];
  };
  const allNs = new Set([...byId.values()].map(nsOf));
  const allNames = new Set([...byId.values()].flatMap(names));
  const nsExact = ns.filter((t) => allNs.has(t));
  const nsSub = ns.filter((t) => !allNs.has(t));
  const wlExact = wl.filter((t) => allNames.has(t));
  const wlSub = wl.filter((t) => !allNames.has(t));
  const nsMatch = (e: ReachEndpoint) => nsExact.includes(nsOf(e)) || nsSub.some((t) => nsOf(e).includes(t));
  const wlMatch = (e: ReachEndpoint) =>
    names(e).some((n) => wlExact.includes(n)) || wlSub.some((t) => e.id.toLowerCase().includes(t) || e.label.toLowerCase().includes(t));
  const connections = model.connections.filter((c) => {
    const src = byId.get(c.src)!;
    const dst = byId.get(c.dst)!;
    if (ns.length > 0 && !nsMatch(src) && !nsMatch(dst)) return false;
    if (wl.length > 0 && !wlMatch(src) && !wlMatch(dst)) return false;
    return !query || connAllows(c.conn, query);
  });
  const used = new Set<string>();
  for (const c of connections) used.add(c.src).add(c.dst);
  const endpoints = [...used].map((id) => byId.get(id)!).sort(compareEndpoints);
  return { endpoints, connections, total: model.connections.length, ...(port.ok ? {} : { portError: port.message }) };
}

// ---- code lens presets ---------------------------------------------------------------------------

/** Argument of `netpol.explainWorkload` (from the code lenses). */
export interface ExplainWorkloadArgs {
  readonly uri?: string;
  /** A workload id (`shop/web[Deployment]`) or a policy id (`shop/allow-web`). */
  readonly id: string;
  /** `Deployment`, `workload`, `NetworkPolicy`, `policy`… */
  readonly kind?: string;
  /** For a policy: ids of the workloads it selects, when the lens knows them. */
  readonly workloads?: readonly string[];
}

/** The filters that show a workload's connections, or those of what a policy selects. */
export function filtersForLens(args: ExplainWorkloadArgs): Partial<ReachFilters> {
  const isPolicy = /policy/i.test(args.kind ?? '');
  if (!isPolicy) return { workload: args.id };
  if (args.workloads && args.workloads.length > 0) return { workload: args.workloads.join(', ') };
  const slash = args.id.indexOf('/');
  return slash > 0 ? { namespace: args.id.slice(0, slash) } : { workload: args.id };
}

// ---- matrix ----------------------------------------------------------------------------------------

export interface Matrix {
  readonly sources: readonly ReachEndpoint[];
  readonly destinations: readonly ReachEndpoint[];
  /** cells[row][column]: the connection string, or undefined when nothing is allowed. */
  readonly cells: readonly (readonly (string | undefined)[])[];
  /** True when sources or destinations were cut at `max`. */
  readonly truncated: boolean;
}

export function buildMatrix(f: FilteredReachability, max = 150): Matrix {
  const srcIds = new Set(f.connections.map((c) => c.src));
  const dstIds = new Set(f.connections.map((c) => c.dst));
  const allSources = f.endpoints.filter((e) => srcIds.has(e.id));
  const allDestinations = f.endpoints.filter((e) => dstIds.has(e.id));
  const sources = allSources.slice(0, max);
  const destinations = allDestinations.slice(0, max);
  const row = new Map(sources.map((e, i) => [e.id, i]));
  const col = new Map(destinations.map((e, i) => [e.id, i]));
  const cells: (string | undefined)[][] = sources.map(() => destinations.map(() => undefined));
  for (const c of f.connections) {
    const r = row.get(c.src);
    const k = col.get(c.dst);
    if (r !== undefined && k !== undefined) cells[r][k] = cells[r][k] ? `${cells[r][k]},${c.conn}` : c.conn;
  }
  return { sources, destinations, cells, truncated: allSources.length > max || allDestinations.length > max };
}

// ---- graph layout ----------------------------------------------------------------------------------

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
      label: truncate(e.kind === 'workload' && e.namespace ? stripNamespace(e) : e.label, G.labelChars),
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

function stripNamespace(e: ReachEndpoint): string {
  const prefix = `${e.namespace}/`;
  return e.label.startsWith(prefix) ? e.label.slice(prefix.length) : e.label;
}

function truncate(s: string, n: number): string {
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

export function renderGraphSvg(layout: GraphLayout): string {
  const G = GRAPH;
  const parts: string[] = [];
  parts.push(
    `<svg class="graph${layout.edgeLabels ? ' labels' : ''}" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Reachability graph: ${layout.nodes.length} endpoints, ${layout.edges.length} connections">`,
    '<defs><marker id="np-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
  );
  for (const c of layout.columns) {
    parts.push(
      `<g class="column"><rect class="column-bg" x="${c.x - 8}" y="${layout.columnTop}" width="${c.width + 16}" height="${layout.columnBottom - layout.columnTop}" rx="6"/>` +
        `<text class="column-title" x="${c.x + c.width / 2}" y="${layout.columnTop + 17}" text-anchor="middle">${escapeHtml(truncate(c.title, G.labelChars))}</text></g>`,
    );
  }
  parts.push('<g class="edges">');
  for (const e of layout.edges) {
    const title = `${e.src} → ${e.dst}: ${e.conn}`;
    parts.push(
      `<g class="edge" data-explain-from="${escapeHtml(e.src)}" data-explain-to="${escapeHtml(e.dst)}"><path d="${e.path}" marker-end="url(#np-arrow)"/>` +
        `<text class="edge-label" x="${e.labelX}" y="${e.labelY}" text-anchor="middle">${escapeHtml(truncate(e.conn, 24))}</text>` +
        `<title>${escapeHtml(title)}</title></g>`,
    );
  }
  parts.push('</g><g class="nodes">');
  for (const n of layout.nodes) {
    parts.push(
      `<g class="node kind-${n.kind}" data-open="${escapeHtml(n.id)}" tabindex="0" role="button"><rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="4"/>` +
        `<text x="${n.x + 8}" y="${n.y + n.height / 2 + 4}">${escapeHtml(n.label)}</text><title>${escapeHtml(n.id)}</title></g>`,
    );
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}

// ---- exports ---------------------------------------------------------------------------------------

export type ExportFormat = 'mermaid' | 'dot' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['mermaid', 'dot', 'csv'];

export interface ExportedText {
  readonly content: string;
  /** VS Code language id (the panel falls back to plaintext when it is unknown). */
  readonly language: string;
  readonly extension: string;
}

/** Same text as `netpol reach --format csv|dot|mermaid` for the same connections. */
export function exportConnections(connections: readonly ReachConnection[], format: ExportFormat): ExportedText {
  switch (format) {
    case 'csv':
      return { content: toCsv(connections), language: 'csv', extension: 'csv' };
    case 'dot':
      return { content: toDot(connections), language: 'dot', extension: 'dot' };
    case 'mermaid':
      return { content: toMermaid(connections), language: 'mermaid', extension: 'mmd' };
  }
}

/** CSV as `netpol reach --format csv` writes it (the core's formatter: formula-safe cells). */
export function toCsv(connections: readonly ReachConnection[]): string {
  return formatRows(connections, 'csv');
}

/** DOT as `netpol reach --format dot` writes it (escaped labels). */
export function toDot(connections: readonly ReachConnection[]): string {
  return formatRows(connections, 'dot');
}

/** Mermaid as `netpol reach --format mermaid` writes it (labels as entities, no HTML). */
export function toMermaid(connections: readonly ReachConnection[]): string {
  return formatRows(connections, 'mermaid');
}

// ---- webview messages ------------------------------------------------------------------------------

/** What the webview's script posts to the extension. */
export type ReachMessage =
  | { readonly type: 'filter'; readonly filters: ReachFilters }
  | { readonly type: 'view'; readonly view: ReachView }
  | { readonly type: 'open'; readonly id: string }
  | { readonly type: 'explain'; readonly from: string; readonly to: string }
  | { readonly type: 'export'; readonly format: ExportFormat }
  | { readonly type: 'refresh' }
  /** The page (re)loaded: the extension answers with the current content. */
  | { readonly type: 'ready' };

const str = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length <= max;

/** Validates a message from the webview (which is not trusted more than any page). */
export function parseReachMessage(m: unknown): ReachMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'filter': {
      const f = o.filters as Record<string, unknown> | undefined;
      if (typeof f !== 'object' || f === null || !str(f.namespace) || !str(f.workload) || !str(f.port)) return undefined;
      return { type: 'filter', filters: { namespace: f.namespace, workload: f.workload, port: f.port } };
    }
    case 'view':
      return o.view === 'matrix' || o.view === 'graph' ? { type: 'view', view: o.view } : undefined;
    case 'open':
      return str(o.id) ? { type: 'open', id: o.id } : undefined;
    case 'explain':
      return str(o.from) && str(o.to) ? { type: 'explain', from: o.from, to: o.to } : undefined;
    case 'export':
      return (EXPORT_FORMATS as readonly unknown[]).includes(o.format) ? { type: 'export', format: o.format as ExportFormat } : undefined;
    case 'refresh':
    case 'ready':
      return { type: o.type };
    default:
      return undefined;
  }
}

// ---- HTML ------------------------------------------------------------------------------------------

export interface ReachabilityPage {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  /** "whole workspace" or "namespace shop". */
  readonly scope: string;
  readonly filters: ReachFilters;
  readonly view: ReachView;
  /** Absent while the first answer is awaited. */
  readonly model?: ReachabilityResult;
  readonly error?: string;
}

/** The dynamic part (replaced on every update without reloading the page). */
export function renderReachabilityContent(p: Pick<ReachabilityPage, 'model' | 'error' | 'filters'>): string {
  if (p.error) return `<p class="error" role="alert">${escapeHtml(p.error)}</p>`;
  if (!p.model) return '<p class="muted" role="status">Waiting for the NetPol analysis…</p>';
  const f = applyFilters(p.model, p.filters);
  const out: string[] = [];
  const filtered = f.connections.length !== f.total ? ` (of ${f.total})` : '';
  out.push(
    `<p class="summary" role="status">${f.connections.length} connection${f.connections.length === 1 ? '' : 's'}${filtered} between ${f.endpoints.length} endpoint${f.endpoints.length === 1 ? '' : 's'}.` +
      ' <span class="muted">Click a workload to open its definition, a connection to explain it.</span></p>',
  );
  if (f.portError) out.push(`<p class="error" id="port-error">Port filter ignored: ${escapeHtml(f.portError)}</p>`);
  if (f.connections.length === 0) {
    out.push(`<p class="muted empty">${f.total === 0 ? 'No connection is allowed in this scope.' : 'No connection matches the filters.'}</p>`);
    return out.join('\n');
  }
  out.push('<section class="matrix-view" aria-label="Matrix">', renderMatrixTable(buildMatrix(f)), '</section>');
  const layout = layoutGraph(f);
  out.push('<section class="graph-view" aria-label="Graph">');
  if (layout.truncated) out.push(`<p class="muted">Only the first ${layout.nodes.length} endpoints are drawn: filter to see the others.</p>`);
  out.push(renderGraphSvg(layout), '</section>');
  return out.join('\n');
}

export function renderMatrixTable(m: Matrix): string {
  const out: string[] = ['<table class="matrix">', '<thead>'];
  // First header row: destination namespaces spanning their columns.
  const spans: { group: string; n: number }[] = [];
  for (const d of m.destinations) {
    const g = groupOf(d);
    if (spans.length > 0 && spans[spans.length - 1].group === g) spans[spans.length - 1].n++;
    else spans.push({ group: g, n: 1 });
  }
  out.push(
    '<tr><th class="corner" rowspan="2" scope="col"><span class="muted">from ↓ to →</span></th>' +
      spans.map((s) => `<th class="group" colspan="${s.n}" scope="colgroup">${escapeHtml(s.group)}</th>`).join('') +
      '</tr>',
  );
  out.push(
    '<tr>' +
      m.destinations
        .map((d) => `<th class="dst" scope="col" title="${escapeHtml(d.id)}"><span class="link vertical" data-open="${escapeHtml(d.id)}" tabindex="0" role="link">${escapeHtml(shortLabel(d))}</span></th>`)
        .join('') +
      '</tr>',
    '</thead>',
    '<tbody>',
  );
  m.sources.forEach((s, r) => {
    const cells = m.destinations.map((d, k) => {
      const conn = m.cells[r][k];
      if (conn === undefined) return '<td class="cell none"></td>';
      const all = /^all connections$/i.test(conn);
      return (
        `<td class="cell allowed${all ? ' all' : ''}" data-explain-from="${escapeHtml(s.id)}" data-explain-to="${escapeHtml(d.id)}" tabindex="0" role="button" title="${escapeHtml(`${s.id} → ${d.id}: ${conn} (click to explain)`)}">` +
        `${escapeHtml(all ? 'all' : conn)}</td>`
      );
    });
    out.push(
      `<tr><th class="src" scope="row" title="${escapeHtml(s.id)}"><span class="group-tag">${escapeHtml(groupOf(s))}</span> <span class="link" data-open="${escapeHtml(s.id)}" tabindex="0" role="link">${escapeHtml(shortLabel(s))}</span></th>${cells.join('')}</tr>`,
    );
  });
  out.push('</tbody>', '</table>');
  if (m.truncated) out.push(`<p class="muted">The matrix shows the first ${m.sources.length} sources and ${m.destinations.length} destinations: filter to see the others.</p>`);
  return out.join('\n');
}

function shortLabel(e: ReachEndpoint): string {
  return e.kind === 'workload' && e.namespace ? stripNamespace(e) : e.label;
}

export function renderReachabilityHtml(p: ReachabilityPage): string {
  const input = (id: string, key: keyof ReachFilters, label: string, placeholder: string, help: string) =>
    `<label class="filter" for="${id}" title="${escapeHtml(help)}"><span>${label}</span><input id="${id}" data-filter="${key}" type="text" value="${escapeHtml(p.filters[key])}" placeholder="${escapeHtml(placeholder)}" spellcheck="false" autocomplete="off"></label>`;
  const viewButton = (v: ReachView, label: string) => `<button type="button" data-view="${v}" aria-pressed="${p.view === v}">${label}</button>`;
  const body = `<header class="toolbar">
<h1>${escapeHtml(p.title)} <span class="muted scope">${escapeHtml(p.scope)}</span></h1>
<div class="row">
${input('f-namespace', 'namespace', 'Namespace', 'e.g. shop, staging', 'Connections from or to these namespaces (comma-separated; a full name matches exactly, a part matches every namespace containing it)')}
${input('f-workload', 'workload', 'Workload', 'e.g. shop/web, db', 'Connections from or to these endpoints (comma-separated; ns/name or ns/name[Kind] matches exactly, a part matches every name containing it)')}
${input('f-port', 'port', 'Port', 'e.g. 80, TCP 8080, 53/UDP', 'Connections that admit this port and/or protocol')}
</div>
<div class="row">
<span class="group-buttons" role="group" aria-label="View">${viewButton('matrix', 'Matrix')}${viewButton('graph', 'Graph')}<button type="button" data-fit aria-pressed="false" title="Scale the graph to the width of the panel">Fit width</button></span>
<span class="group-buttons" role="group" aria-label="Export">Export:
<button type="button" data-export="mermaid" title="Open the shown connections as a Mermaid flowchart">Mermaid</button>
<button type="button" data-export="dot" title="Open the shown connections as a Graphviz DOT graph">DOT</button>
<button type="button" data-export="csv" title="Open the shown connections as CSV">CSV</button></span>
<button type="button" data-refresh title="Ask the server again">Refresh</button>
</div>
</header>
<main id="content" aria-live="polite">
${renderReachabilityContent(p)}
</main>`;
  return renderPage({ cspSource: p.cspSource, nonce: p.nonce, title: p.title, bodyClass: `view-${p.view}`, css: REACH_CSS, body, script: REACH_SCRIPT });
}

const REACH_CSS = `
.toolbar { position: sticky; top: 0; background: var(--vscode-editor-background); padding: 8px 0; z-index: 1;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.toolbar h1 { font-size: 1.2em; margin: 0 0 8px; font-weight: 600; }
.toolbar .scope { font-weight: normal; }
.row { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-bottom: 6px; }
.filter { display: inline-flex; gap: 6px; align-items: center; }
.filter input { width: 14em; }
.group-buttons { display: inline-flex; gap: 4px; align-items: center; }
.summary { margin: 10px 0; }
body.view-matrix .graph-view, body.view-graph .matrix-view, body.view-matrix [data-fit] { display: none; }
.matrix-view { overflow: auto; }
table.matrix { border-collapse: collapse; font-size: 0.95em; }
table.matrix th, table.matrix td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8884)); padding: 3px 6px; }
table.matrix th { font-weight: normal; text-align: left; white-space: nowrap; }
table.matrix th.group { text-align: center; color: var(--vscode-descriptionForeground); }
table.matrix th.dst { vertical-align: bottom; }
table.matrix .vertical { writing-mode: vertical-rl; transform: rotate(180deg); display: inline-block; max-height: 14em; overflow: hidden; text-overflow: ellipsis; }
.group-tag { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
td.cell { font-family: var(--vscode-editor-font-family); white-space: nowrap; text-align: center; }
td.cell.allowed { cursor: pointer; background: var(--vscode-diffEditor-insertedTextBackground, #3c73); color: var(--vscode-foreground); }
td.cell.allowed.all { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
td.cell.allowed:hover { outline: 1px solid var(--vscode-focusBorder); }
.graph-view { overflow: auto; }
svg.graph { font-family: var(--vscode-font-family); font-size: 12px; }
svg.graph .column-bg { fill: var(--vscode-sideBar-background, transparent); stroke: var(--vscode-panel-border, #8884); }
svg.graph .column-title { fill: var(--vscode-descriptionForeground); font-weight: 600; }
svg.graph .node { cursor: pointer; }
svg.graph .node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-charts-blue, var(--vscode-focusBorder)); stroke-width: 1.2; }
svg.graph .node.kind-ip rect { stroke: var(--vscode-charts-orange); stroke-dasharray: 4 2; }
svg.graph .node.kind-ingress-controller rect { stroke: var(--vscode-charts-purple); }
svg.graph .node text { fill: var(--vscode-editorWidget-foreground, var(--vscode-foreground)); }
svg.graph .node:hover rect, svg.graph .node:focus rect { stroke: var(--vscode-focusBorder); stroke-width: 2; }
svg.graph .edge { cursor: pointer; }
svg.graph .edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, #888); stroke-width: 1.2; }
svg.graph .arrowhead { fill: var(--vscode-editorLineNumber-foreground, #888); }
svg.graph .edge:hover path { stroke: var(--vscode-focusBorder); stroke-width: 2.2; }
svg.graph .edge-label { fill: var(--vscode-descriptionForeground); font-size: 10px; font-family: var(--vscode-editor-font-family);
  paint-order: stroke; stroke: var(--vscode-editor-background); stroke-width: 3px; visibility: hidden; }
svg.graph.labels .edge-label, svg.graph .edge:hover .edge-label { visibility: visible; }
svg.graph .edge:hover .edge-label { fill: var(--vscode-foreground); }
body.graph-fit svg.graph { max-width: 100%; height: auto; }
`;

/**
 * The webview's script (plain ES2020, inline with the nonce). Filters are debounced and
 * sent to the extension, which answers with the new content; clicks on workloads and
 * connections become `open` / `explain` messages.
 */
export const REACH_SCRIPT = `(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const content = document.getElementById('content');
  const inputs = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  let timer;
  function filters() {
    const f = { namespace: '', workload: '', port: '' };
    inputs.forEach(function (i) { f[i.getAttribute('data-filter')] = i.value; });
    return f;
  }
  function sendFilters() {
    clearTimeout(timer);
    timer = undefined;
    vscode.postMessage({ type: 'filter', filters: filters() });
  }
  inputs.forEach(function (i) {
    i.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(sendFilters, 200); });
    i.addEventListener('keydown', function (e) { if (e.key === 'Enter') sendFilters(); });
  });
  function setView(view) {
    document.body.classList.remove('view-matrix', 'view-graph');
    document.body.classList.add('view-' + view);
    Array.prototype.forEach.call(document.querySelectorAll('button[data-view]'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-view') === view));
    });
  }
  function activate(target) {
    const t = target && target.closest ? target : target && target.parentElement;
    if (!t || !t.closest) return false;
    const view = t.closest('[data-view]');
    if (view) { setView(view.getAttribute('data-view')); vscode.postMessage({ type: 'view', view: view.getAttribute('data-view') }); return true; }
    const fit = t.closest('[data-fit]');
    if (fit) {
      const on = fit.getAttribute('aria-pressed') !== 'true';
      if (on) document.body.classList.add('graph-fit');
      else document.body.classList.remove('graph-fit');
      fit.setAttribute('aria-pressed', String(on));
      return true;
    }
    const exp = t.closest('[data-export]');
    if (exp) { vscode.postMessage({ type: 'export', format: exp.getAttribute('data-export') }); return true; }
    if (t.closest('[data-refresh]')) { vscode.postMessage({ type: 'refresh' }); return true; }
    const open = t.closest('[data-open]');
    if (open) { vscode.postMessage({ type: 'open', id: open.getAttribute('data-open') }); return true; }
    const explain = t.closest('[data-explain-from]');
    if (explain) {
      vscode.postMessage({ type: 'explain', from: explain.getAttribute('data-explain-from'), to: explain.getAttribute('data-explain-to') });
      return true;
    }
    return false;
  }
  document.addEventListener('click', function (e) { if (activate(e.target)) e.preventDefault(); });
  document.addEventListener('keydown', function (e) {
    if ((e.key === 'Enter' || e.key === ' ') && e.target && e.target.tagName !== 'INPUT' && e.target.tagName !== 'BUTTON' && activate(e.target)) e.preventDefault();
  });
  window.addEventListener('message', function (e) {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'update' && typeof m.html === 'string') content.innerHTML = m.html;
    if (m.type === 'filters' && m.filters) {
      inputs.forEach(function (i) { const v = m.filters[i.getAttribute('data-filter')]; if (typeof v === 'string') i.value = v; });
    }
    if (m.type === 'view' && (m.view === 'matrix' || m.view === 'graph')) setView(m.view);
    if (m.type === 'update' || m.type === 'filters') {
      const port = document.getElementById('f-port');
      if (port) port.setAttribute('aria-invalid', String(!!document.getElementById('port-error')));
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;
