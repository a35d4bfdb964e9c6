/** The source × destination matrix of the filtered connections. */
import type { ReachEndpoint } from '../../../../server/src/lsp/protocol';
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
