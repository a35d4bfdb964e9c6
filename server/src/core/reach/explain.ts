import { ConnSet, type Protocol } from '../base/ports';
import type { NetworkPolicy, PolicyRule, Workload } from '../model/types';
import type { Span } from '../base/span';
import { resolvePorts, type CompiledPolicy, type CompiledRule } from './compile';
import type { IpRange, Reachability } from './engine';

/** One side of a connection: the source's egress or the destination's ingress. */
export interface SideExplanation {
  readonly direction: 'Ingress' | 'Egress';
  /** False: no policy selects the pod for this direction, everything is allowed. */
  readonly isolated: boolean;
  /** True when this side is outside the cluster (no policy of ours applies). */
  readonly external: boolean;
  readonly policies: readonly PolicyExplanation[];
  readonly allowed: ConnSet;
}

export interface PolicyExplanation {
  readonly policy: NetworkPolicy;
  readonly span?: Span;
  /** Rules whose peers match the other side, with the ports each allows. */
  readonly matchingRules: readonly { readonly rule: PolicyRule; readonly span?: Span; readonly ports: ConnSet }[];
}

export type ExplainEndpoint = { readonly type: 'workload'; readonly index: number } | { readonly type: 'ip'; readonly range: IpRange };

export interface Explanation {
  readonly allowed: ConnSet;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
  /** When a port was asked for: is that port allowed? */
  readonly verdict?: boolean;
}

/**
 * Why a connection is (not) allowed: which policies isolate each side and which of
 * their rules admit the other side. Uses the same compiled rules as the verdicts.
 */
export function explainConnection(
  reach: Reachability,
  from: ExplainEndpoint,
  to: ExplainEndpoint,
  query?: { port: number; protocol: Protocol },
): Explanation {
  const egress = from.type === 'workload' ? explainSide(reach, 'Egress', from.index, to) : externalSide('Egress');
  const ingress = to.type === 'workload' ? explainSide(reach, 'Ingress', to.index, from) : externalSide('Ingress');
  const allowed = egress.allowed.intersect(ingress.allowed);
  return { allowed, egress, ingress, ...(query ? { verdict: allowed.allows(query.protocol, query.port) } : {}) };
}

function externalSide(direction: 'Ingress' | 'Egress'): SideExplanation {
  return { direction, isolated: false, external: true, policies: [], allowed: ConnSet.ALL };
}

function explainSide(reach: Reachability, direction: 'Ingress' | 'Egress', self: number, other: ExplainEndpoint): SideExplanation {
  const classes = reach.table.workloadClasses[self];
  const byPolicy = new Map<CompiledPolicy, Map<CompiledRule, ConnSet>>();
  let allowed = ConnSet.NONE;
  let isolated = false;
  for (const c of classes) {
    const policies = direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c];
    if (policies.length === 0) {
      allowed = ConnSet.ALL;
      continue;
    }
    isolated = true;
    for (const p of policies) {
      const rules = byPolicy.get(p) ?? new Map<CompiledRule, ConnSet>();
      byPolicy.set(p, rules);
      for (const r of direction === 'Ingress' ? p.ingress : p.egress) {
        const ports = ruleAllows(reach, r, direction, c, other);
        if (ports === undefined) continue;
        rules.set(r, (rules.get(r) ?? ConnSet.NONE).union(ports));
        allowed = allowed.union(ports);
      }
    }
  }
  const policies: PolicyExplanation[] = [...byPolicy].map(([p, rules]) => ({
    policy: p.policy,
    span: p.policy.span,
    matchingRules: [...rules].map(([r, ports]) => ({ rule: r.rule, span: r.rule.span, ports })),
  }));
  return { direction, isolated, external: false, policies, allowed };
}

/** Ports rule r allows between class `self` and `other`, or undefined when its peers do not match. */
function ruleAllows(reach: Reachability, r: CompiledRule, direction: 'Ingress' | 'Egress', self: number, other: ExplainEndpoint): ConnSet | undefined {
  const classes = reach.table.classes;
  if (other.type === 'ip') {
    const set = r.ips.get(other.range.family);
    if (!r.allPeers && !(set && set.containsRange(other.range.start, other.range.end))) return undefined;
    return resolvePorts(r.ports, direction === 'Ingress' ? classes[self] : undefined);
  }
  const otherClasses = reach.table.workloadClasses[other.index];
  let ports: ConnSet | undefined;
  for (const oc of otherClasses) {
    if (!r.allPeers && !r.classes.has(oc)) continue;
    const dst = direction === 'Ingress' ? classes[self] : classes[oc];
    ports = (ports ?? ConnSet.NONE).union(resolvePorts(r.ports, dst));
  }
  return ports;
}

/** Finds workloads by `ns/name` or `ns/name[Kind]`; `name` alone uses the default namespace. */
export function findWorkloads(workloads: readonly Workload[], ref: string, defaultNamespace: string): number[] {
  const m = /^(?:([^/]+)\/)?([^[\]/]+)(?:\[([A-Za-z]+)\])?$/.exec(ref.trim());
  if (!m) return [];
  const [, ns = defaultNamespace, name, kind] = m;
  const out: number[] = [];
  workloads.forEach((w, i) => {
    if (w.namespace === ns && w.name === name && (!kind || w.kind === kind)) out.push(i);
  });
  return out;
}
