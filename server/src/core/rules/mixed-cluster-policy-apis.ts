import type { ClusterPolicy } from '../model/types';
import type { Reachability } from '../reach/engine';
import type { CompiledClusterPolicy, CompiledTiers } from '../reach/tiers';
import { workloadList } from './support/traffic';
import type { WorkspaceRule } from './types';

/** A v1alpha1 and a v1alpha2 policy of one tier whose subjects share pods of the workspace. */
interface Mix {
  readonly policy: ClusterPolicy;
  readonly others: readonly ClusterPolicy[];
  /** Pod classes both select (for the message). */
  readonly shared: readonly number[];
}

/**
 * An AdminNetworkPolicy or BaselineAdminNetworkPolicy (`policy.networking.k8s.io/v1alpha1`)
 * and a ClusterNetworkPolicy (`v1alpha2`) of the same tier that select the same pods.
 * v1alpha2 replaces the v1alpha1 kinds ("ClusterNetworkPolicy combines the previously
 * separate AdminNetworkPolicy and BaselineAdminNetworkPolicy resources into a single CRD
 * with a tier field", network-policy-api v0.2.0); they are separate CRDs, a cluster usually
 * has one of the two installed and its network plugin implements one, and no source
 * defines an order between them. The analysis merges them by tier and priority
 * (docs/semantics.md), so verdicts where both decide rest on that choice.
 *
 * Info: a workspace may hold both on purpose during a migration, and nothing is broken
 * in the manifests themselves. No fix: which API the cluster runs is not in the workspace.
 */
export const mixedClusterPolicyApis: WorkspaceRule = {
  meta: {
    id: 'mixed-cluster-policy-apis',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'A v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy and a v1alpha2 ClusterNetworkPolicy of one tier select the same pods: a cluster usually runs one of the two APIs, and none defines an order between them.',
  },
  check(ctx) {
    const { reach } = ctx.analysis;
    if (reach.tiers.empty) return;
    for (const m of mixesOf(reach)) {
      const src = m.policy.source;
      if (!src) continue;
      const span = src.reader.span(src.reader.get(src.map, 'kind'));
      if (!span) continue;
      const v1 = m.policy.kind !== 'ClusterNetworkPolicy';
      const others = m.others.map((p) => `${p.kind} ${p.name}`).join(', ');
      ctx.report({
        message:
          `${m.policy.kind} ${m.policy.name} (policy.networking.k8s.io/${v1 ? 'v1alpha1' : 'v1alpha2'}) and ${others} (${v1 ? 'v1alpha2' : 'v1alpha1'}) are both ${m.policy.tier}-tier policies for ${workloadList(reach, m.shared)}. ` +
          'ClusterNetworkPolicy (v1alpha2) replaces AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1); they are installed as separate CRDs, a cluster usually runs one of the two APIs, and neither defines an order between them. ' +
          `This analysis assumes both apply, merged by priority${m.policy.tier === 'Baseline' ? ' (the BaselineAdminNetworkPolicy after every Baseline ClusterNetworkPolicy)' : ''}. ` +
          'Check which API the cluster\'s network plugin implements (kubectl get crd clusternetworkpolicies.policy.networking.k8s.io adminnetworkpolicies.policy.networking.k8s.io) and keep the policies of that one.',
        span,
        path: 'kind',
      });
    }
  },
};

const cache = new WeakMap<CompiledTiers, readonly Mix[]>();

function mixesOf(reach: Reachability): readonly Mix[] {
  let found = cache.get(reach.tiers);
  if (!found) {
    found = compute(reach);
    cache.set(reach.tiers, found);
  }
  return found;
}

function compute(reach: Reachability): Mix[] {
  const classes = reach.table.classes;
  const out: Mix[] = [];
  for (const tier of [reach.tiers.admin, reach.tiers.baseline]) {
    const v2 = tier.filter((cp) => cp.policy.kind === 'ClusterNetworkPolicy');
    const v1 = tier.filter((cp) => cp.policy.kind !== 'ClusterNetworkPolicy');
    if (v1.length === 0 || v2.length === 0) continue;
    const pods = (cp: CompiledClusterPolicy) => new Set(cp.subject.filter((c) => !classes[c].virtual));
    const sets = new Map(tier.map((cp) => [cp, pods(cp)]));
    for (const cp of tier) {
      const mine = sets.get(cp)!;
      const shared = new Set<number>();
      const others: ClusterPolicy[] = [];
      for (const o of cp.policy.kind === 'ClusterNetworkPolicy' ? v1 : v2) {
        const both = [...sets.get(o)!].filter((c) => mine.has(c));
        if (both.length === 0) continue;
        others.push(o.policy);
        for (const c of both) shared.add(c);
      }
      if (others.length > 0) out.push({ policy: cp.policy, others, shared: [...shared].sort((a, b) => a - b) });
    }
  }
  return out;
}
