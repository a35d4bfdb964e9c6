import { ConnSet } from '../base/ports';
import type { ClusterPolicy, PolicyType } from '../model/types';
import type { PodClass } from './classes';
import type { Reachability } from './engine';
import { walkTier, type ClusterVerdict, type CompiledClusterPolicy, type CompiledClusterRule } from './tiers';

/**
 * Verdicts that rest on the tie rule. The API: "If two (or more) policies in the same
 * tier with the same priority could match a connection, then the implementation can
 * apply any of the matching policies"; the engine applies ties in name order
 * (tiers.ts, clusterOrder). A verdict decided by one of the tied policies holds for
 * that order only when another of them would decide it differently.
 */

/**
 * The policies of `list` tied with `decider` (same tier list, same priority) that would
 * decide part of `taken` differently if applied first. A tied policy before the decider
 * in name order left `taken` undecided, so it never counts.
 */
export function tieRivals(
  list: readonly CompiledClusterPolicy[],
  decider: CompiledClusterPolicy,
  verdict: ClusterVerdict,
  direction: PolicyType,
  matches: (r: CompiledClusterRule) => boolean,
  dst: PodClass | undefined,
  taken: ConnSet,
): CompiledClusterPolicy[] {
  const priority = decider.policy.priority;
  if (priority === undefined) return [];
  const out: CompiledClusterPolicy[] = [];
  for (const other of list) {
    if (other === decider || other.policy.priority !== priority) continue;
    const o = walkTier([other], direction, matches, dst, taken);
    const differs = verdict === 'Allow' ? o.denied.union(o.passed) : verdict === 'Deny' ? o.allowed.union(o.passed) : o.allowed.union(o.denied);
    if (!differs.isEmpty()) out.push(other);
  }
  return out;
}

/** The explanation's words for a verdict decided in a tie (`decider` and `rivals` already formatted). */
export function tieNote(decider: string, rivals: readonly string[], priority: number): string {
  return `decided by ${decider} (tie with ${rivals.join(' and ')} at priority ${priority}: the API leaves the order undefined; this analysis uses name order, the cluster may not)`;
}

/** A policy that decides some connections of a workload's side where a tied policy would decide them differently. */
export interface SideTie {
  readonly decider: ClusterPolicy;
  readonly rivals: readonly ClusterPolicy[];
}

/** Above this many (own class × peer) pairs, sideTies gives up (a hover must stay fast). */
const MAX_PAIRS = 20_000;

/**
 * The ties that decide connections of a workload's side (its pod classes, one
 * direction), against the peers the tied policies' rules name: what equal-priority-conflict
 * reports, seen from one workload. Empty when no tier list of its classes holds two
 * policies of one priority, or when there are too many pairs to look at.
 */
export function sideTies(reach: Reachability, direction: PolicyType, selfClasses: readonly number[]): SideTie[] {
  const t = reach.tiers;
  if (t.empty) return [];
  const classes = reach.table.classes;
  const found = new Map<CompiledClusterPolicy, Set<CompiledClusterPolicy>>();
  const work: { c: number; admin: readonly CompiledClusterPolicy[]; baseline: readonly CompiledClusterPolicy[]; peers: Set<number>; ranges: typeof reach.destinationRanges }[] = [];
  let pairs = 0;
  for (const c of selfClasses) {
    const admin = (direction === 'Ingress' ? t.adminIngressOf[c] : t.adminEgressOf[c]) ?? [];
    const baseline = (direction === 'Ingress' ? t.baselineIngressOf[c] : t.baselineEgressOf[c]) ?? [];
    const tied = [...tiedIn(admin), ...tiedIn(baseline)];
    if (tied.length === 0) continue;
    const peers = new Set<number>();
    let networks = false;
    for (const cp of tied) {
      for (const r of direction === 'Ingress' ? cp.ingress : cp.egress) {
        for (const oc of r.classes.members) if (oc !== c && !classes[oc].virtual) peers.add(oc);
        if (r.ips.size > 0) networks = true;
      }
    }
    const ranges = networks && direction === 'Egress' ? reach.destinationRanges.filter((range) => tied.some((cp) => cp.egress.some((r) => r.ips.get(range.family)?.containsRange(range.start, range.end)))) : [];
    pairs += peers.size + ranges.length;
    if (pairs > MAX_PAIRS) return [];
    work.push({ c, admin, baseline, peers, ranges });
  }
  for (const { c, admin, baseline, peers, ranges } of work) {
    const walk = (matches: (r: CompiledClusterRule) => boolean, dst: PodClass | undefined) => {
      const record = (list: readonly CompiledClusterPolicy[]) => (p: CompiledClusterPolicy, r: CompiledClusterRule, taken: ConnSet) => {
        const rivals = tieRivals(list, p, r.verdict, direction, matches, dst, taken);
        if (rivals.length === 0) return;
        let set = found.get(p);
        if (!set) found.set(p, (set = new Set()));
        for (const x of rivals) set.add(x);
      };
      const a = walkTier(admin, direction, matches, dst, ConnSet.ALL, record(admin));
      const rest = a.undecided.union(a.passed);
      const isolated = direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c);
      if (!isolated && !rest.isEmpty()) walkTier(baseline, direction, matches, dst, rest, record(baseline));
    };
    for (const oc of peers) walk((r) => r.classes.has(oc), direction === 'Ingress' ? classes[c] : classes[oc]);
    for (const range of ranges) walk((r) => r.ips.get(range.family)?.containsRange(range.start, range.end) ?? false, undefined);
  }
  const order = [...t.admin, ...t.baseline];
  return [...found]
    .sort(([x], [y]) => order.indexOf(x) - order.indexOf(y))
    .map(([p, rivals]) => ({ decider: p.policy, rivals: order.filter((o) => rivals.has(o)).map((o) => o.policy) }));
}

/** The policies of a tier list that share their priority with another of the list. */
function tiedIn(list: readonly CompiledClusterPolicy[]): CompiledClusterPolicy[] {
  const count = new Map<number, number>();
  for (const cp of list) if (cp.policy.priority !== undefined) count.set(cp.policy.priority, (count.get(cp.policy.priority) ?? 0) + 1);
  return list.filter((cp) => cp.policy.priority !== undefined && (count.get(cp.policy.priority) ?? 0) > 1);
}
