import type { Span } from '../base/span';
import type { ClusterPolicy, NetworkPolicy } from '../model/types';
import { resolvePorts, type CompiledPolicy } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import { walkTier, type CompiledClusterPolicy, type CompiledTiers } from '../reach/tiers';
import type { WorkspaceRule } from './types';

/** A NetworkPolicy rule the Admin tier decides before it, for every pod pair it matches. */
interface Overridden {
  readonly policy: NetworkPolicy;
  readonly direction: 'Ingress' | 'Egress';
  readonly index: number;
  /** The Admin policies that decided its traffic, in evaluation order. */
  readonly by: readonly ClusterPolicy[];
  /** Some of its traffic is denied there (else all of it is allowed there). */
  readonly denied: boolean;
}

/** Above this many (selected class × peer class) pairs per policy, the check leaves the policy alone. */
const MAX_PAIRS = 20_000;

/**
 * A NetworkPolicy rule that can never take effect: for every selected pod and every pod
 * its peers match (in the workspace), the Admin tier (AdminNetworkPolicy, Admin
 * ClusterNetworkPolicy) allows or denies every connection the rule allows before the
 * NetworkPolicies are consulted. Rules with ipBlocks or without peers are not judged
 * (ingress from addresses never meets the Admin tier).
 */
export const overriddenByAdminTier: WorkspaceRule = {
  meta: {
    id: 'overridden-by-admin-tier',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A NetworkPolicy rule whose traffic the Admin tier (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) always decides first: it never takes effect.',
  },
  check(ctx) {
    const { reach } = ctx.analysis;
    if (reach.tiers.admin.length === 0) return;
    for (const cp of reach.compiled.policies) {
      for (const o of overriddenRules(reach, cp)) {
        const at = ruleKeySpan(o.policy, o.direction, o.index);
        if (!at) continue;
        const dir = o.direction.toLowerCase();
        const names = o.by.map((p) => `${p.kind} ${p.name}${p.priority === undefined ? '' : ` (priority ${p.priority})`}`).join(', ');
        const what = o.denied
          ? `the Admin tier (${names}) decides every connection it allows before any NetworkPolicy is consulted, and denies at least some of them: what this rule allows does not flow`
          : `the Admin tier (${names}) allows every connection it allows before any NetworkPolicy is consulted: removing the rule would change nothing`;
        ctx.report({
          message: `This ${dir} rule never takes effect: ${what}. Change the Admin policy (a Pass rule hands the traffic to the NetworkPolicies), or remove the rule. This is judged on the workloads of the workspace.`,
          span: at.span,
          path: at.path,
        });
      }
    }
  },
};

/** Per tiers (the cluster policies against one class table) and compiled NetworkPolicy: both keep their identity while unchanged. */
const cache = new WeakMap<CompiledTiers, WeakMap<CompiledPolicy, readonly Overridden[]>>();

function overriddenRules(reach: Reachability, cp: CompiledPolicy): readonly Overridden[] {
  let byPolicy = cache.get(reach.tiers);
  if (!byPolicy) cache.set(reach.tiers, (byPolicy = new WeakMap()));
  let found = byPolicy.get(cp);
  if (!found) {
    found = compute(reach, cp);
    byPolicy.set(cp, found);
  }
  return found;
}

function compute(reach: Reachability, cp: CompiledPolicy): Overridden[] {
  const out: Overridden[] = [];
  const t = reach.tiers;
  const classes = reach.table.classes;
  for (const direction of ['Ingress', 'Egress'] as const) {
    const rules = direction === 'Ingress' ? cp.ingress : cp.egress;
    const adminOf = direction === 'Ingress' ? t.adminIngressOf : t.adminEgressOf;
    // A selected pod no Admin policy speaks for: every rule takes effect there.
    if (cp.selected.length === 0 || cp.selected.some((c) => adminOf[c].length === 0)) continue;
    rules.forEach((r, index) => {
      if (r.allPeers || r.ips.size > 0 || r.classes.size === 0) return;
      if (cp.selected.length * r.classes.size > MAX_PAIRS) return;
      const by = new Set<CompiledClusterPolicy>();
      let denied = false;
      let matched = false;
      for (const c of cp.selected) {
        for (const oc of r.classes.members) {
          if (oc === c) continue;
          const dst = direction === 'Ingress' ? classes[c] : classes[oc];
          const ports = resolvePorts(r.ports, dst);
          if (ports.isEmpty()) continue;
          matched = true;
          const a = walkTier(adminOf[c], direction, (x) => x.classes.has(oc), dst, ports, (p) => by.add(p));
          if (!a.undecided.union(a.passed).isEmpty()) return;
          if (!a.denied.isEmpty()) denied = true;
        }
      }
      if (!matched) return;
      out.push({ policy: cp.policy, direction, index, by: t.admin.filter((p) => by.has(p)).map((p) => p.policy), denied });
    });
  }
  return out;
}

/** The first key of the rule's mapping (one line), and the rule's path. */
function ruleKeySpan(policy: NetworkPolicy, direction: 'Ingress' | 'Egress', index: number): { span: Span; path: string } | undefined {
  const src = policy.source;
  if (!src) return undefined;
  const r = src.reader;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const node = r.items(r.get(r.map(r.get(src.map, 'spec')), key))[index];
  const map = r.map(node);
  const span = r.span(map?.items[0]?.key ?? node);
  return span ? { span, path: `spec.${key}[${index}]` } : undefined;
}

