import { ConnSet, NO_PORTS, portRange, unionPorts, type PortRanges, type Protocol } from '../base/ports';
import { backendTargets } from './connections';
import type { Reachability } from './engine';
import { selectorMatches } from './selectors';

/** What the Services and Ingresses of the workspace route to one workload: its pod ports, and who routes there. */
export interface Routed {
  readonly ports: ConnSet;
  /** `Service ns/name`, `Ingress ns/name`, in the model's order. */
  readonly by: readonly string[];
}

const byReach = new WeakMap<Reachability, Map<number, Routed>>();

/**
 * Workload index -> the ports (any protocol) that Services or Ingresses of the workspace
 * route to, once per reachability. The change impact marks a lost flow to such a port as
 * likely breakage; fixes keep those flows open.
 */
export function routedByWorkload(reach: Reachability): Map<number, Routed> {
  let out = byReach.get(reach);
  if (out) return out;
  out = new Map();
  const { model } = reach;
  const add = (wi: number, c: ConnSet, by: string) => {
    const prev = out!.get(wi);
    out!.set(wi, { ports: (prev?.ports ?? ConnSet.NONE).union(c), by: prev ? (prev.by.includes(by) ? prev.by : [...prev.by, by]) : [by] });
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
        add(wi, ConnSet.of(byProto.TCP, byProto.UDP, byProto.SCTP), `Service ${svc.namespace}/${svc.name}`);
      }
    }
  }
  for (const ing of model.ingresses) for (const [wi, ports] of backendTargets(reach, ing)) add(wi, ConnSet.of(ports, NO_PORTS, NO_PORTS), `${ing.kind} ${ing.namespace}/${ing.name}`);
  byReach.set(reach, out);
  return out;
}
