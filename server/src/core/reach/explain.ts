import { ConnSet, type Protocol } from '../base/ports';
import type { ClusterPolicy, ClusterRule, NetworkPolicy, PolicyRule, Workload } from '../model/types';
import { walkTier, type ClusterVerdict, type CompiledClusterPolicy, type CompiledClusterRule } from './tiers';
import { tieRivals } from './ties';
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
  /** Set when a cluster-level policy (Admin or Baseline tier) has rules for this side. */
  readonly tiers?: TierExplanation;
}

/** A rule of a cluster-level policy that decided part of the traffic: the first of its tier to match those ports. */
export interface TierDecision {
  readonly tier: 'Admin' | 'Baseline';
  readonly policy: ClusterPolicy;
  readonly rule: ClusterRule;
  readonly verdict: ClusterVerdict;
  readonly conns: ConnSet;
  /**
   * Policies of the same tier and priority that would decide part of these connections
   * differently: the API leaves the order of ties undefined, the engine uses name order.
   */
  readonly tiedWith?: readonly ClusterPolicy[];
}

/** How one side went through the tiers: Admin → NetworkPolicies → Baseline → allow. */
export interface TierExplanation {
  /** The Admin tier's decisions, then the Baseline tier's, in evaluation order. */
  readonly decisions: readonly TierDecision[];
  /** What the Admin tier left to the NetworkPolicies (undecided or passed). */
  readonly toNetworkPolicies: ConnSet;
  /** Whether the NetworkPolicies decided that (they isolate the pod in this direction). */
  readonly networkPoliciesDecide: boolean;
  /** What reached the Baseline tier; undefined when it was never consulted. */
  readonly toBaseline?: ConnSet;
  /** Allowed because no tier decided it (Kubernetes' default). */
  readonly byDefault: ConnSet;
  /** The tiers never consulted, each with the reason. */
  readonly notConsulted: readonly string[];
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
  const tiers = explainTiers(reach, direction, classes, other);
  if (tiers) return { direction, isolated, external: false, policies, allowed: tiers.allowed, tiers: tiers.explanation };
  return { direction, isolated, external: false, policies, allowed };
}

/**
 * The side's way through the cluster tiers, when a cluster-level policy has rules for
 * it: who decided what, and which tiers were never consulted. The verdict is the
 * engine's (ingressFromClass and the like); the decisions retrace it rule by rule.
 */
function explainTiers(
  reach: Reachability,
  direction: 'Ingress' | 'Egress',
  selfClasses: readonly number[],
  other: ExplainEndpoint,
): { allowed: ConnSet; explanation: TierExplanation } | undefined {
  const t = reach.tiers;
  const has = (c: number) => (direction === 'Ingress' ? reach.hasClusterIngress(c) : reach.hasClusterEgress(c));
  if (!selfClasses.some(has)) return undefined;
  const classes = reach.table.classes;
  const otherClasses = other.type === 'workload' ? reach.table.workloadClasses[other.index] : [undefined];
  const decisions: TierDecision[] = [];
  let allowed = ConnSet.NONE;
  let toNetworkPolicies = ConnSet.NONE;
  let toBaseline: ConnSet | undefined;
  let byDefault = ConnSet.NONE;
  let networkPoliciesDecide = false;
  for (const c of selfClasses) {
    for (const oc of otherClasses) {
      const matches = (r: CompiledClusterRule) => {
        if (oc !== undefined) return r.classes.has(oc);
        if (other.type !== 'ip' || direction === 'Ingress') return false;
        const set = r.ips.get(other.range.family);
        return set !== undefined && set.containsRange(other.range.start, other.range.end);
      };
      const dst = direction === 'Ingress' ? classes[c] : oc === undefined ? undefined : classes[oc];
      const admin = direction === 'Ingress' ? t.adminIngressOf[c] ?? [] : t.adminEgressOf[c] ?? [];
      const baseline = direction === 'Ingress' ? t.baselineIngressOf[c] ?? [] : t.baselineEgressOf[c] ?? [];
      const decide = (tier: 'Admin' | 'Baseline', list: readonly CompiledClusterPolicy[]) => (p: CompiledClusterPolicy, r: CompiledClusterRule, taken: ConnSet) => {
        const rivals = tieRivals(list, p, r.verdict, direction, matches, dst, taken);
        decisions.push({ tier, policy: p.policy, rule: r.rule, verdict: r.verdict, conns: taken, ...(rivals.length > 0 ? { tiedWith: rivals.map((x) => x.policy) } : {}) });
      };
      const a = walkTier(admin, direction, matches, dst, ConnSet.ALL, decide('Admin', admin));
      const rest = a.undecided.union(a.passed);
      toNetworkPolicies = toNetworkPolicies.union(rest);
      const isolated = direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c);
      if (isolated) networkPoliciesDecide = true;
      else if (!rest.isEmpty()) {
        toBaseline = (toBaseline ?? ConnSet.NONE).union(rest);
        const b = walkTier(baseline, direction, matches, dst, rest, decide('Baseline', baseline));
        byDefault = byDefault.union(b.undecided).union(b.passed);
      }
      if (oc !== undefined) allowed = allowed.union(direction === 'Ingress' ? reach.ingressFromClass(c, oc) : reach.egressToClass(c, oc));
      else if (other.type === 'ip') allowed = allowed.union(direction === 'Ingress' ? reach.ingressFromRange(c, other.range) : reach.egressToRange(c, other.range));
    }
  }
  const notConsulted: string[] = [];
  if (toNetworkPolicies.isEmpty()) notConsulted.push('NetworkPolicy and Baseline tiers: the Admin tier decided every connection');
  else if (networkPoliciesDecide && toBaseline === undefined) notConsulted.push('Baseline tier: the NetworkPolicies isolate the pod, and decide what the Admin tier left');
  return { allowed, explanation: { decisions, toNetworkPolicies, networkPoliciesDecide, ...(toBaseline ? { toBaseline } : {}), byDefault, notConsulted } };
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
