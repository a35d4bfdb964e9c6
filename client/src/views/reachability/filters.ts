/**
 * The view's filters (namespace, workload, port) and what they keep of the server's
 * answer; the panel applies them on every keystroke, the server is not asked again.
 */
import type { ReachConnection, ReachEndpoint, ReachabilityResult } from '../../../../server/src/protocol';
import { compareEndpoints, endpointIndex, groupOf } from './endpoints';
import { connAllows, parsePortFilter } from './ports';

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
