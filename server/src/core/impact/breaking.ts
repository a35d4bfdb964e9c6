import type { Analysis } from '../analysis/analyze';
import { ConnSet, NO_PORTS, portRange, unionPorts, type PortRanges, type Protocol } from '../base/ports';
import { backendTargets, endpointName } from '../reach/connections';
import { selectorMatches } from '../reach/selectors';
import type { DiffEntry } from './diff';

/**
 * The "likely breakage" mark of a connectivity diff, shared by `netpol diff` and the
 * editor's change impact: a flow that loses ports a Service or Ingress routes to.
 */
/** workload name -> the ports (any protocol) that Services or Ingresses of the workspace route to. */
export function routedPorts(a: Analysis): Map<string, ConnSet> {
  const { reach, model } = a;
  const out = new Map<string, ConnSet>();
  const addTo = (wi: number, c: ConnSet) => {
    const name = endpointName(reach.index.endpoints[wi]);
    out.set(name, (out.get(name) ?? ConnSet.NONE).union(c));
  };
  for (const svc of model.services) {
    if (!svc.selector) continue;
    const selector = { matchLabels: svc.selector, matchExpressions: [], valid: true };
    for (const wi of reach.index.workloadsByNamespace.get(svc.namespace) ?? []) {
      for (const pod of model.workloads[wi].pods) {
        if (!selectorMatches(selector, pod.labels)) continue;
        const byProto: Record<Protocol, PortRanges> = { TCP: NO_PORTS, UDP: NO_PORTS, SCTP: NO_PORTS };
        for (const sp of svc.ports) {
          const target = sp.targetPort ?? sp.port;
          const port = typeof target === 'number' ? target : pod.ports.find((cp) => cp.name === target && cp.protocol === sp.protocol)?.port;
          if (port !== undefined) byProto[sp.protocol] = unionPorts(byProto[sp.protocol], portRange(port));
        }
        addTo(wi, ConnSet.of(byProto.TCP, byProto.UDP, byProto.SCTP));
      }
    }
  }
  for (const ing of model.ingresses) for (const [wi, ports] of backendTargets(reach, ing)) addTo(wi, ConnSet.of(ports, NO_PORTS, NO_PORTS));
  return out;
}

/** A pair loses connections on ports a Service/Ingress routes to (or the ingress controller loses any). */
export function isBreaking(e: DiffEntry, routed: Map<string, ConnSet>): boolean {
  if (e.lost.isEmpty()) return false;
  if (e.src === '{ingress-controller}') return true;
  const ports = routed.get(e.dst);
  return ports !== undefined && !ports.intersect(e.lost).isEmpty();
}
