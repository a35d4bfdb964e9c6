import type { Analysis } from '../analysis/analyze';
import { ConnSet } from '../base/ports';
import { endpointName } from '../reach/connections';
import { routedByWorkload } from '../reach/routed';
import type { DiffEntry } from './diff';

/**
 * The "likely breakage" mark of a connectivity diff, shared by `netpol diff` and the
 * editor's change impact: a flow that loses ports a Service or Ingress routes to.
 */
/** workload name -> the ports (any protocol) that Services or Ingresses of the workspace route to (reach/routed.ts). */
export function routedPorts(a: Analysis): Map<string, ConnSet> {
  const { reach } = a;
  const out = new Map<string, ConnSet>();
  for (const [wi, r] of routedByWorkload(reach)) {
    const name = endpointName(reach.index.endpoints[wi]);
    out.set(name, (out.get(name) ?? ConnSet.NONE).union(r.ports));
  }
  return out;
}

/** A pair loses connections on ports a Service/Ingress routes to (or the ingress controller loses any). */
export function isBreaking(e: DiffEntry, routed: Map<string, ConnSet>): boolean {
  if (e.lost.isEmpty()) return false;
  if (e.src === '{ingress-controller}') return true;
  const ports = routed.get(e.dst);
  return ports !== undefined && !ports.intersect(e.lost).isEmpty();
}
