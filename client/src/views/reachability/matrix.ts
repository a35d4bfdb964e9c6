/** The source × destination matrix of the filtered connections, and its table. */
import type { ReachEndpoint } from '../../../../server/src/protocol';
import { h, type ViewNode } from '../../webview/view-node';
import { groupOf, shortLabel } from './endpoints';
import type { FilteredReachability } from './filters';

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

/**
 * The table: destination namespaces spanning their columns, then one column per
 * destination; a row per source. A name opens its definition, an allowed cell explains
 * the connection.
 */
export function matrixTable(m: Matrix): ViewNode[] {
  const spans: { group: string; n: number }[] = [];
  for (const d of m.destinations) {
    const g = groupOf(d);
    if (spans.length > 0 && spans[spans.length - 1].group === g) spans[spans.length - 1].n++;
    else spans.push({ group: g, n: 1 });
  }
  const open = (e: ReachEndpoint, className: string) => h('span', { class: className, 'data-open': e.id, tabindex: 0, role: 'link' }, shortLabel(e));
  const head = h(
    'thead',
    null,
    h('tr', null, h('th', { class: 'corner', rowspan: 2, scope: 'col' }, h('span', { class: 'muted' }, 'from ↓ to →')), spans.map((s) => h('th', { class: 'group', colspan: s.n, scope: 'colgroup' }, s.group))),
    h('tr', null, m.destinations.map((d) => h('th', { class: 'dst', scope: 'col', title: d.id }, open(d, 'link vertical')))),
  );
  const rows = m.sources.map((s, r) =>
    h(
      'tr',
      null,
      h('th', { class: 'src', scope: 'row', title: s.id }, h('span', { class: 'group-tag' }, groupOf(s)), ' ', open(s, 'link')),
      m.destinations.map((d, k) => {
        const conn = m.cells[r][k];
        if (conn === undefined) return h('td', { class: 'cell none' });
        const all = /^all connections$/i.test(conn);
        const attrs = { class: `cell allowed${all ? ' all' : ''}`, 'data-explain-from': s.id, 'data-explain-to': d.id, tabindex: 0, role: 'button', title: `${s.id} → ${d.id}: ${conn} (click to explain)` };
        return h('td', attrs, all ? 'all' : conn);
      }),
    ),
  );
  const table = h('table', { class: 'matrix' }, head, h('tbody', null, rows));
  if (!m.truncated) return [table];
  return [table, h('p', { class: 'muted' }, `The matrix shows the first ${m.sources.length} sources and ${m.destinations.length} destinations: filter to see the others.`)];
}
