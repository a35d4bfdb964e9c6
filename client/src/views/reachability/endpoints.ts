/**
 * The endpoints of the reachability answer as the view groups, orders and names them:
 * ingress controller, namespaces, external address ranges.
 */
import type { ReachEndpoint, ReachabilityResult } from '../../../../server/src/protocol';

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

/** The name shown inside its group: a workload without its namespace. */
export function shortLabel(e: ReachEndpoint): string {
  if (e.kind !== 'workload' || !e.namespace) return e.label;
  const prefix = `${e.namespace}/`;
  return e.label.startsWith(prefix) ? e.label.slice(prefix.length) : e.label;
}
