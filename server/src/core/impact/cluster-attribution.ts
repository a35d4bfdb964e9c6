/**
 * Which changed cluster-level policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
 * ClusterNetworkPolicy) and rules make each flow of a change impact change. A flow's
 * side (egress at the source pod, ingress at the destination pod) runs through the tiers
 * as the verdicts do; a rule of a changed policy that takes some of the gained ports
 * with Allow/Accept or Pass now, or some of the lost ports with Deny or Pass now, is
 * responsible; so is one of the baseline that took some of the gained ports with Deny or
 * Pass, or some of the lost ports with Allow/Accept or Pass. Pure.
 */
import { ConnSet } from '../base/ports';
import { clusterRuleCovers } from '../rules/support/cluster';
import type { ClusterPolicy, ClusterRule, PolicyType } from '../model/types';
import type { Reachability } from '../reach/engine';
import { walkTier, type CompiledClusterPolicy, type CompiledClusterRule } from '../reach/tiers';
import { indexByName } from './attribution';
import type { DiffEntry } from './diff';
import type { ClusterPolicyChange, ClusterResponsible, ResponsibleRole } from './types';
import { parseIp } from '../base/ip';

const CONTROLLER = '{ingress-controller}';

/** `AdminNetworkPolicy deny-dev`: a cluster policy's key (cluster-scoped: kind and name). */
export function clusterPolicyKey(p: ClusterPolicy): string {
  return `${p.kind} ${p.name}`;
}

/** Changed cluster policies paired by kind and name: added, modified, deleted. */
export function pairClusterChanges(onlyBefore: readonly CompiledClusterPolicy[], onlyAfter: readonly CompiledClusterPolicy[]): ClusterPolicyChange[] {
  const beforeByKey = new Map<string, ClusterPolicy>();
  for (const cp of onlyBefore) if (!beforeByKey.has(clusterPolicyKey(cp.policy))) beforeByKey.set(clusterPolicyKey(cp.policy), cp.policy);
  const out: ClusterPolicyChange[] = [];
  const paired = new Set<string>();
  for (const cp of onlyAfter) {
    const key = clusterPolicyKey(cp.policy);
    const old = paired.has(key) ? undefined : beforeByKey.get(key);
    if (old) paired.add(key);
    out.push({ key, status: old ? 'modified' : 'added', ...(old ? { before: old } : {}), after: cp.policy, opened: 0, closed: 0 });
  }
  for (const [key, p] of beforeByKey) if (!paired.has(key)) out.push({ key, status: 'deleted', before: p, opened: 0, closed: 0 });
  return out;
}

type Side = { readonly classes: readonly number[] } | { readonly range: { family: 4 | 6; start: bigint; end: bigint } } | undefined;

export class ClusterAttribution {
  constructor(
    private readonly before: Reachability,
    private readonly after: Reachability,
    private readonly onlyBefore: ReadonlySet<CompiledClusterPolicy>,
    private readonly onlyAfter: ReadonlySet<CompiledClusterPolicy>,
    private readonly currentByKey: ReadonlyMap<string, ClusterPolicy>,
  ) {}

  of(e: DiffEntry): ClusterResponsible[] {
    const out: ClusterResponsible[] = [];
    const add = (role: ResponsibleRole, policy: ClusterPolicy, rule: ClusterRule) => {
      if (out.some((o) => o.rule === rule && o.role === role)) return;
      const current = role === 'allows' || role === 'isolates' ? policy : this.currentByKey.get(clusterPolicyKey(policy));
      out.push({ role, policy, rule, ...(current ? { current } : {}) });
    };
    if (this.onlyAfter.size > 0) {
      this.walk(this.after, e, this.onlyAfter, (r, taken) => {
        if (r.verdict !== 'Deny' && !taken.intersect(e.gained).isEmpty()) add('allows', r.policy, r.rule);
        if (r.verdict !== 'Allow' && !taken.intersect(e.lost).isEmpty()) add('isolates', r.policy, r.rule);
      });
    }
    if (this.onlyBefore.size > 0) {
      this.walk(this.before, e, this.onlyBefore, (r, taken) => {
        if (r.verdict !== 'Deny' && !taken.intersect(e.lost).isEmpty()) add('no-longer-allows', r.policy, r.rule);
        if (r.verdict !== 'Allow' && !taken.intersect(e.gained).isEmpty()) add('no-longer-isolates', r.policy, r.rule);
      });
    }
    return out;
  }

  /** Runs each side of the flow through its tiers on `reach`, calling `visit` for the rules of `changed` policies that take some connections. */
  private walk(reach: Reachability, e: DiffEntry, changed: ReadonlySet<CompiledClusterPolicy>, visit: (r: { policy: ClusterPolicy; rule: ClusterRule; verdict: CompiledClusterRule['verdict'] }, taken: ConnSet) => void): void {
    const byName = indexByName(reach);
    const src = side(reach, byName, e.src);
    const dst = side(reach, byName, e.dst);
    const t = reach.tiers;
    const classes = reach.table.classes;
    for (const [direction, self, other] of [['Ingress', dst, src], ['Egress', src, dst]] as const) {
      if (!self || !('classes' in self) || !other) continue;
      for (const c of self.classes) {
        const admin = direction === 'Ingress' ? t.adminIngressOf[c] : t.adminEgressOf[c];
        const baseline = direction === 'Ingress' ? t.baselineIngressOf[c] : t.baselineEgressOf[c];
        if (!admin?.some((p) => changed.has(p)) && !baseline?.some((p) => changed.has(p))) continue;
        const isolated = direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c);
        const pairs: [(r: CompiledClusterRule) => boolean, (typeof classes)[number] | undefined][] =
          'range' in other
            ? direction === 'Egress'
              ? [[(r) => clusterRuleCovers(r, other.range), undefined]]
              : []
            : other.classes.map((oc) => [(r: CompiledClusterRule) => r.classes.has(oc), direction === 'Ingress' ? classes[c] : classes[oc]]);
        for (const [matches, d] of pairs) {
          const onRule = (p: CompiledClusterPolicy, r: CompiledClusterRule, taken: ConnSet) => {
            if (changed.has(p)) visit({ policy: p.policy, rule: r.rule, verdict: r.verdict }, taken);
          };
          const a = walkTier(admin, direction as PolicyType, matches, d, ConnSet.ALL, onRule);
          if (!isolated) walkTier(baseline, direction as PolicyType, matches, d, a.undecided.union(a.passed), onRule);
        }
      }
    }
  }
}

function side(reach: Reachability, byName: Map<string, number>, name: string): Side {
  if (name === CONTROLLER) return { classes: [reach.ingressControllerClass] };
  if (name.endsWith('[External]')) {
    const [from, to] = name.slice(0, -'[External]'.length).split('-');
    const a = parseIp(from ?? '');
    const b = parseIp(to ?? '');
    if (!a || !b || a.family !== b.family) return undefined;
    return { range: { family: a.family, start: a.value, end: b.value } };
  }
  const wi = byName.get(name);
  return wi === undefined ? undefined : { classes: reach.table.workloadClasses[wi] };
}
