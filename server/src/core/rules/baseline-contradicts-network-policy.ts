import { ConnSet } from '../base/ports';
import type { ClusterPolicy, ClusterRule, NetworkPolicy, PolicyType } from '../model/types';
import { resolvePorts } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import type { PodClass } from '../reach/classes';
import { walkTier, type CompiledClusterPolicy, type CompiledClusterRule, type CompiledTiers } from '../reach/tiers';
import { clusterRuleCovers, clusterRuleKeySpan, clusterRulePeers, clusterRangeText } from './support/cluster';
import { summarize } from './support/isolation';
import { workloadList } from './support/traffic';
import type { WorkspaceRule } from './types';

/** One connection set the finding names. */
interface Example {
  readonly subject: number;
  readonly peer: string;
  readonly conn: ConnSet;
}

type Contradiction =
  /** An Allow/Accept that NetworkPolicies isolating its pods deny first (they come before the Baseline tier). */
  | { readonly kind: 'overruled'; readonly policy: ClusterPolicy; readonly rule: ClusterRule; readonly namespaces: readonly string[]; readonly example: Example }
  /** A Deny at one end of connections a NetworkPolicy at the other end explicitly allows. */
  | { readonly kind: 'cancels'; readonly policy: ClusterPolicy; readonly rule: ClusterRule; readonly allowing: NetworkPolicy; readonly example: Example };


/**
 * A Baseline-tier rule (BaselineAdminNetworkPolicy `default`, ClusterNetworkPolicy `tier:
 * Baseline`) that contradicts the NetworkPolicies of the workspace. NetworkPolicies sit
 * above the Baseline tier: a pod a NetworkPolicy isolates in a direction never reaches
 * it, so a Baseline rule only speaks for pods no NetworkPolicy isolates in its direction.
 * Two contradictions (docs/rules/baseline-contradicts-network-policy.md):
 * - overruled: an Allow/Accept for pods that NetworkPolicies isolate in its direction and
 *   that those NetworkPolicies deny (some of) what it allows: it does not apply there,
 *   and the traffic it names is denied (a namespace default deny wins);
 * - cancels: a Deny at one end of connections that a NetworkPolicy at the other end
 *   explicitly allows (ingress at the destination, egress at the source): the end this
 *   rule applies to has no NetworkPolicy of that direction, so the Baseline decides it
 *   there and the namespace's allowance has no effect.
 * What the Admin tier decides first is left out.
 *
 * No fix: the way out depends on who should decide (an Admin-tier Allow overrides the
 * namespaces, a NetworkPolicy in the namespace keeps them in charge, or the rule is
 * narrowed), and each opens or closes traffic the workspace shows no evidence for.
 */
export const baselineContradictsNetworkPolicy: WorkspaceRule = {
  meta: {
    id: 'baseline-contradicts-network-policy',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: "A Baseline-tier rule that contradicts the workspace's NetworkPolicies: an Allow their default deny overrules, or a Deny that cancels what a NetworkPolicy explicitly allows at the other end.",
  },
  check(ctx) {
    const { reach } = ctx.analysis;
    if (reach.tiers.baseline.length === 0) return;
    for (const c of contradictionsOf(reach)) {
      const at = clusterRuleKeySpan(c.policy, c.rule);
      if (!at) continue;
      const dir = c.rule.direction.toLowerCase();
      const e = c.example;
      const subject = workloadList(reach, [e.subject], 1);
      const flow = c.rule.direction === 'Ingress' ? `from ${e.peer} to ${subject}` : `from ${subject} to ${e.peer}`;
      const allow = c.policy.kind === 'ClusterNetworkPolicy' ? 'Accept' : 'Allow';
      const message =
        c.kind === 'overruled'
          ? `This Baseline ${allow} rule does not apply in ${c.namespaces.length === 1 ? 'namespace' : 'namespaces'} ${summarize(c.namespaces)}: NetworkPolicies isolate its pods there for ${dir}, and NetworkPolicies come before the Baseline tier, so what it allows is denied there (${e.conn.toString()} ${flow}). ` +
            `To allow it whatever the namespaces say, make it an Admin-tier ${allow}; to let the namespaces decide, allow it in their NetworkPolicies. This is judged on the workloads and NetworkPolicies of the workspace.`
          : `This Baseline Deny rule cancels what NetworkPolicy ${c.allowing.namespace}/${c.allowing.name} explicitly allows: ${e.conn.toString()} ${flow} is allowed by it at the ${c.rule.direction === 'Ingress' ? 'source (egress)' : 'destination (ingress)'}, but no NetworkPolicy isolates ${subject} for ${dir}, so this Baseline rule decides its ${dir} and denies it: the connection fails. ` +
            `If the connection is wanted, give ${subject} a NetworkPolicy for ${dir} that allows it (NetworkPolicies come before the Baseline tier), or narrow this rule; if not, remove the allowance. This is judged on the workloads and NetworkPolicies of the workspace.`;
      ctx.report({ message, span: at.span, path: at.path });
    }
  },
};

/** Per tiers and compiled NetworkPolicies: both keep their identity while unchanged. */
const cache = new WeakMap<CompiledTiers, WeakMap<object, readonly Contradiction[]>>();

function contradictionsOf(reach: Reachability): readonly Contradiction[] {
  let byPolicies = cache.get(reach.tiers);
  if (!byPolicies) cache.set(reach.tiers, (byPolicies = new WeakMap()));
  let found = byPolicies.get(reach.compiled);
  if (!found) {
    found = compute(reach);
    byPolicies.set(reach.compiled, found);
  }
  return found;
}

function compute(reach: Reachability): Contradiction[] {
  const out: Contradiction[] = [];
  const t = reach.tiers;
  for (const cp of t.baseline) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = direction === 'Ingress' ? cp.ingress : cp.egress;
      for (const r of rules) {
        if (r.verdict === 'Pass') continue;
        // (Only an Allow's ranges: a Deny cancels what NetworkPolicies allow between pods.)
        const reached = clusterRulePeers(reach, r, cp.subject.length, r.verdict === 'Allow');
        if (!reached) continue;
        const { classes: peers, ranges } = reached;
        const found = r.verdict === 'Allow' ? overruled(reach, cp, r, direction, peers, ranges) : cancels(reach, cp, r, direction, peers);
        if (found) out.push(found);
      }
    }
  }
  return out;
}

/** What rule r of a Baseline policy takes of the traffic between subject class c and a peer, after the Admin tier (as if no NetworkPolicy isolated c). */
function takenBy(reach: Reachability, r: CompiledClusterRule, c: number, direction: PolicyType, matches: (x: CompiledClusterRule) => boolean, dst: PodClass | undefined): ConnSet {
  const t = reach.tiers;
  const admin = direction === 'Ingress' ? t.adminIngressOf[c] : t.adminEgressOf[c];
  const baseline = direction === 'Ingress' ? t.baselineIngressOf[c] : t.baselineEgressOf[c];
  const a = admin.length > 0 ? walkTier(admin, direction, matches, dst, ConnSet.ALL) : undefined;
  const rest = a ? a.undecided.union(a.passed) : ConnSet.ALL;
  if (rest.isEmpty()) return ConnSet.NONE;
  let taken = ConnSet.NONE;
  walkTier(baseline, direction, matches, dst, rest, (_p: CompiledClusterPolicy, x, conn) => {
    if (x === r) taken = conn;
  });
  return taken;
}

function overruled(
  reach: Reachability,
  cp: CompiledClusterPolicy,
  r: CompiledClusterRule,
  direction: PolicyType,
  peers: readonly number[],
  ranges: Reachability['destinationRanges'],
): Contradiction | undefined {
  const classes = reach.table.classes;
  const namespaces = new Set<string>();
  let example: Example | undefined;
  for (const c of cp.subject) {
    if (classes[c].virtual) continue;
    const isolated = direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c);
    if (!isolated || namespaces.has(classes[c].namespace)) continue;
    const judge = (matches: (x: CompiledClusterRule) => boolean, dst: PodClass | undefined, np: () => ConnSet, peer: () => string): boolean => {
      const taken = takenBy(reach, r, c, direction, matches, dst);
      if (taken.isEmpty()) return false;
      const denied = taken.subtract(np());
      if (denied.isEmpty()) return false;
      namespaces.add(classes[c].namespace);
      example ??= { subject: c, peer: peer(), conn: denied };
      return true;
    };
    let hit = false;
    for (const oc of peers) {
      if (oc === c) continue;
      const dst = direction === 'Ingress' ? classes[c] : classes[oc];
      const np = () => (direction === 'Ingress' ? reach.npIngressFromClass(c, oc) : reach.npEgressToClass(c, oc));
      if ((hit = judge((x) => x.classes.has(oc), dst, np, () => workloadList(reach, [oc], 1)))) break;
    }
    if (hit) continue;
    for (const range of ranges) {
      if (judge((x) => clusterRuleCovers(x, range), undefined, () => reach.npEgressToRange(c, range), () => clusterRangeText(range))) break;
    }
  }
  if (!example) return undefined;
  return { kind: 'overruled', policy: cp.policy, rule: r.rule, namespaces: [...namespaces].sort(), example };
}

function cancels(reach: Reachability, cp: CompiledClusterPolicy, r: CompiledClusterRule, direction: PolicyType, peers: readonly number[]): Contradiction | undefined {
  const classes = reach.table.classes;
  for (const c of cp.subject) {
    if (classes[c].virtual) continue;
    // A pod a NetworkPolicy isolates in this direction never reaches the Baseline tier.
    if (direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c)) continue;
    for (const oc of peers) {
      if (oc === c) continue;
      // The other end must be isolated the other way, by a NetworkPolicy that explicitly admits c.
      const otherIsolated = direction === 'Ingress' ? reach.isEgressIsolated(oc) : reach.isIngressIsolated(oc);
      if (!otherIsolated) continue;
      const dst = direction === 'Ingress' ? classes[c] : classes[oc];
      const taken = takenBy(reach, r, c, direction, (x) => x.classes.has(oc), dst);
      if (taken.isEmpty()) continue;
      // What the other end lets through (through every tier) and owes to its NetworkPolicies.
      const other = direction === 'Ingress' ? reach.egressToClass(oc, c).intersect(reach.npEgressToClass(oc, c)) : reach.ingressFromClass(oc, c).intersect(reach.npIngressFromClass(oc, c));
      const cancelled = taken.intersect(other);
      if (cancelled.isEmpty()) continue;
      const allowing = allowingPolicy(reach, oc, c, direction === 'Ingress' ? 'Egress' : 'Ingress', cancelled, dst);
      if (!allowing) continue;
      return { kind: 'cancels', policy: cp.policy, rule: r.rule, allowing, example: { subject: c, peer: workloadList(reach, [oc], 1), conn: cancelled } };
    }
  }
  return undefined;
}

/** The first NetworkPolicy isolating class `at` in `direction` whose rule admits `peer` on some of `conn`. */
function allowingPolicy(reach: Reachability, at: number, peer: number, direction: PolicyType, conn: ConnSet, dst: PodClass): NetworkPolicy | undefined {
  const policies = direction === 'Ingress' ? reach.compiled.ingressOf[at] : reach.compiled.egressOf[at];
  for (const p of policies) {
    for (const rule of direction === 'Ingress' ? p.ingress : p.egress) {
      if ((rule.allPeers || rule.classes.has(peer)) && !resolvePorts(rule.ports, dst).intersect(conn).isEmpty()) return p.policy;
    }
  }
  return undefined;
}
