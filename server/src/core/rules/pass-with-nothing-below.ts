import type { ClusterPolicy, ClusterRule } from '../model/types';
import { ConnSet } from '../base/ports';
import type { Reachability } from '../reach/engine';
import { walkTier, type CompiledClusterPolicy, type CompiledClusterRule, type CompiledTiers } from '../reach/tiers';
import { clusterRuleCovers, clusterRuleKeySpan, clusterRulePeers } from './support/cluster';
import { workloadList } from './support/traffic';
import type { WorkspaceRule } from './types';

/** An Admin-tier Pass rule whose passed traffic no lower tier decides. */
interface Undecided {
  readonly policy: ClusterPolicy;
  readonly rule: ClusterRule;
  /** The subject pod classes whose traffic it passes. */
  readonly subjects: readonly number[];
}


/**
 * An Admin-tier `Pass` rule (AdminNetworkPolicy, ClusterNetworkPolicy `tier: Admin`) whose
 * traffic nothing below decides: for every pod it applies to and every peer it matches in
 * the workspace, no NetworkPolicy isolates the pod in the rule's direction and no
 * Baseline rule allows or denies what it passes, so the traffic falls to the default:
 * allowed. Pass then means allow.
 *
 * Info, not a warning: the traffic gets what Kubernetes gives without any policy, and the
 * Pass may be exactly the exception the author meant (to skip a later Admin Deny). It is
 * worth knowing because a Pass is usually written to let the namespaces decide, and here
 * none of them does.
 *
 * No fix: the three ways out mean three different intents (Allow: final, NetworkPolicies
 * can no longer restrict it; a Baseline Deny: closed unless a namespace allows it;
 * NetworkPolicies in the namespaces: theirs to write), and the workspace does not say which.
 */
export const passWithNothingBelow: WorkspaceRule = {
  meta: {
    id: 'pass-with-nothing-below',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'An Admin-tier Pass rule whose traffic no NetworkPolicy and no Baseline rule decides: it falls to the default, so Pass means allow.',
  },
  check(ctx) {
    const { reach } = ctx.analysis;
    if (reach.tiers.admin.length === 0) return;
    for (const u of undecidedOf(reach)) {
      const at = clusterRuleKeySpan(u.policy, u.rule);
      if (!at) continue;
      const dir = u.rule.direction.toLowerCase();
      const baseline = reach.tiers.baseline.length > 0 ? 'no Baseline rule matches what it passes' : 'there is no Baseline-tier policy';
      ctx.report({
        message:
          `This ${dir} Pass rule hands its traffic to the tiers below, but nothing there decides it: no NetworkPolicy isolates the pods it applies to (${workloadList(reach, u.subjects)}) for ${dir}, and ${baseline}, so the traffic is allowed by the Kubernetes default: Pass here means allow. ` +
          `If the namespaces are meant to decide, give these pods NetworkPolicies for ${dir}; if the traffic should be denied unless a namespace allows it, add a Baseline Deny rule for it; if it should be allowed whatever the namespaces say, write ${u.policy.kind === 'ClusterNetworkPolicy' ? 'Accept' : 'Allow'} (final: NetworkPolicies can then no longer restrict it). ` +
          'This is judged on the workloads and NetworkPolicies of the workspace.',
        span: at.span,
        path: at.path,
      });
    }
  },
};

/** Per tiers and compiled NetworkPolicies (which pods they isolate): both keep their identity while unchanged. */
const cache = new WeakMap<CompiledTiers, WeakMap<object, readonly Undecided[]>>();

function undecidedOf(reach: Reachability): readonly Undecided[] {
  let byPolicies = cache.get(reach.tiers);
  if (!byPolicies) cache.set(reach.tiers, (byPolicies = new WeakMap()));
  let found = byPolicies.get(reach.compiled);
  if (!found) {
    found = compute(reach);
    byPolicies.set(reach.compiled, found);
  }
  return found;
}

function compute(reach: Reachability): Undecided[] {
  const out: Undecided[] = [];
  const t = reach.tiers;
  const classes = reach.table.classes;
  for (const cp of t.admin) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = direction === 'Ingress' ? cp.ingress : cp.egress;
      const adminOf = direction === 'Ingress' ? t.adminIngressOf : t.adminEgressOf;
      const baselineOf = direction === 'Ingress' ? t.baselineIngressOf : t.baselineEgressOf;
      const isolated = (c: number) => (direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c));
      for (const r of rules) {
        if (r.verdict !== 'Pass') continue;
        const reached = clusterRulePeers(reach, r, cp.subject.length, true);
        if (!reached) continue;
        const { classes: peers, ranges } = reached;
        const subjects = new Set<number>();
        let decidedBelow = false;
        const judge = (c: number, matches: (x: CompiledClusterRule) => boolean, dst: (typeof classes)[number] | undefined): void => {
          let passed: ConnSet | undefined;
          walkTier(adminOf[c], direction, matches, dst, ConnSet.ALL, (_p: CompiledClusterPolicy, x, taken) => {
            if (x === r) passed = taken;
          });
          if (!passed) return;
          subjects.add(c);
          if (isolated(c)) {
            decidedBelow = true;
            return;
          }
          const b = walkTier(baselineOf[c], direction, matches, dst, passed);
          if (!b.allowed.isEmpty() || !b.denied.isEmpty()) decidedBelow = true;
        };
        for (const c of cp.subject) {
          if (classes[c].virtual) continue;
          for (const oc of peers) {
            if (oc !== c) judge(c, (x) => x.classes.has(oc), direction === 'Ingress' ? classes[c] : classes[oc]);
            if (decidedBelow) break;
          }
          for (const range of ranges) {
            if (decidedBelow) break;
            judge(c, (x) => clusterRuleCovers(x, range), undefined);
          }
          if (decidedBelow) break;
        }
        if (!decidedBelow && subjects.size > 0) out.push({ policy: cp.policy, rule: r.rule, subjects: [...subjects].sort((a, b) => a - b) });
      }
    }
  }
  return out;
}
