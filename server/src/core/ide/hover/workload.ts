import type { Analysis } from '../../analysis/analyze';
import type { ClusterPolicy, Workload } from '../../model/types';
import { connectionsOf, isolatingPolicies } from '../../reach/lookups';
import { capLines, code, connectionLines, link, plural, policyLink, summarize, text, type Locate } from './format';
import type { CompiledClusterPolicy } from '../../reach/tiers';
import { sideTies, tieNote } from '../../reach/ties';
import { endName } from '../../evidence/evidence';
import type { EvidencedFlow, Evidence, FlowEnd } from '../../evidence/types';

/**
 * A workload: how it is isolated (by which policies), who can reach it on which
 * ports, and what it can reach. The lists are `netpol reach`'s lines for it.
 */
export function workloadHover(analysis: Analysis, index: number, locate: Locate, evidence?: Evidence): string {
  const { reach, model } = analysis;
  const w: Workload = model.workloads[index];
  const into = connectionsOf(reach, index, 'into');
  const from = connectionsOf(reach, index, 'from');
  const out: string[] = [`**${text(w.kind)}** ${code(`${w.namespace}/${w.name}`)}`, ''];
  for (const direction of ['Ingress', 'Egress'] as const) {
    out.push(`- ${isolationLine(analysis, index, direction, locate)}`);
    const tiers = tierLine(analysis, index, direction, locate);
    if (tiers) out.push(`- ${tiers}`);
    for (const tie of sideTies(reach, direction, reach.table.workloadClasses[index] ?? [])) {
      const name = (p: ClusterPolicy) => `${p.kind} ${link(p.name, p.span, locate)}`;
      out.push(`- ${direction}: some connections are ${tieNote(name(tie.decider), tie.rivals.map(name), tie.decider.priority ?? 0)}`);
    }
  }
  out.push('');
  if (into.length === 0) out.push('**Reachable from**: nothing');
  else out.push(`**Reachable from** ${plural(into.length, 'source')}:`, '', ...connectionLines(into, (c) => c.src));
  out.push('');
  if (from.length === 0) out.push('**Can reach**: nothing');
  else out.push(`**Can reach** ${plural(from.length, 'destination')}:`, '', ...connectionLines(from, (c) => c.dst));
  if (evidence) out.push('', ...evidenceLines(evidence, index, locate));
  return out.join('\n');
}

/**
 * What the manifests say this workload needs: its evidenced callers and callees, each
 * with a link to the evidence (the DNS baseline is one line, not a callee per port).
 */
function evidenceLines(evidence: Evidence, index: number, locate: Locate): string[] {
  const isMe = (e: FlowEnd) => e.type === 'workload' && e.index === index;
  const line = (other: FlowEnd, f: EvidencedFlow) => `- ${code(endName(other))} on ${f.protocol} ${f.port}: ${link(f.what, f.where, locate)}`;
  const callers = evidence.flows.filter((f) => isMe(f.dst) && f.kind !== 'dns').map((f) => line(f.src, f));
  const callees = evidence.flows.filter((f) => isMe(f.src) && f.kind !== 'dns').map((f) => line(f.dst, f));
  const dns = evidence.flows.some((f) => isMe(f.src) && f.kind === 'dns');
  const out: string[] = [];
  if (callers.length === 0) out.push('**Evidenced callers**: none in the manifests');
  else out.push(`**Evidenced callers** (${plural(callers.length, 'flow')}):`, '', ...capLines(callers, (n) => `- and ${n} more`));
  out.push('');
  if (callees.length === 0) out.push(`**Evidenced callees**: ${dns ? 'the cluster DNS only' : 'none in the manifests'}`);
  else out.push(`**Evidenced callees** (${plural(callees.length, 'flow')}${dns ? ', and the cluster DNS' : ''}):`, '', ...capLines(callees, (n) => `- and ${n} more`));
  return out;
}

/** `Ingress: isolated by [ns/a](…), [ns/b](…)` or `Ingress: not isolated …`. */
export function isolationLine(analysis: Analysis, index: number, direction: 'Ingress' | 'Egress', locate: Locate): string {
  const { policies, all } = isolatingPolicies(analysis.reach, index, direction);
  if (policies.length === 0) {
    const tiered = clusterPoliciesOf(analysis, index, direction);
    const open =
      tiered.admin.length + tiered.baseline.length > 0
        ? 'what the cluster tiers leave is allowed'
        : direction === 'Ingress'
          ? 'accepts connections from anywhere'
          : 'may connect anywhere';
    return `${direction}: not isolated (no NetworkPolicy selects it for ${direction}): ${open}`;
  }
  const links = summarize(policies.map((p) => policyLink(p.policy, locate)));
  return `${direction}: isolated ${all ? '' : '(some of its pods) '}by ${links}`;
}

/** The cluster-level policies with rules for a workload's side, per tier, in evaluation order. */
function clusterPoliciesOf(analysis: Analysis, index: number, direction: 'Ingress' | 'Egress'): { admin: CompiledClusterPolicy[]; baseline: CompiledClusterPolicy[] } {
  const { reach } = analysis;
  const t = reach.tiers;
  if (t.empty) return { admin: [], baseline: [] };
  const admin = new Set<CompiledClusterPolicy>();
  const baseline = new Set<CompiledClusterPolicy>();
  for (const c of reach.table.workloadClasses[index] ?? []) {
    for (const p of direction === 'Ingress' ? t.adminIngressOf[c] : t.adminEgressOf[c]) admin.add(p);
    for (const p of direction === 'Ingress' ? t.baselineIngressOf[c] : t.baselineEgressOf[c]) baseline.add(p);
  }
  const order = (list: readonly CompiledClusterPolicy[], set: Set<CompiledClusterPolicy>) => list.filter((p) => set.has(p));
  return { admin: order(t.admin, admin), baseline: order(t.baseline, baseline) };
}

/**
 * The tiers a workload's side goes through, when cluster-level policies have rules for
 * it: `Ingress tiers: Admin [a](…) (priority 10) → NetworkPolicies (isolated) → Baseline [default](…)`.
 * Traffic from outside the cluster never meets the cluster tiers on ingress.
 */
function tierLine(analysis: Analysis, index: number, direction: 'Ingress' | 'Egress', locate: Locate): string | undefined {
  const { admin, baseline } = clusterPoliciesOf(analysis, index, direction);
  if (admin.length + baseline.length === 0) return undefined;
  const named = (p: CompiledClusterPolicy) => `${link(p.policy.name, p.policy.span, locate)} (${p.policy.kind}${p.policy.priority === undefined ? '' : `, priority ${p.policy.priority}`})`;
  const isolated = isolatingPolicies(analysis.reach, index, direction).policies.length > 0;
  const steps = [
    admin.length > 0 ? `Admin ${summarize(admin.map(named))}` : 'Admin: none',
    isolated ? 'NetworkPolicies (isolated: they decide what the Admin tier leaves; Baseline never consulted)' : 'NetworkPolicies: none',
  ];
  if (!isolated) steps.push(baseline.length > 0 ? `Baseline ${summarize(baseline.map(named))}` : 'Baseline: none', 'then allowed');
  const outside = direction === 'Ingress' ? ' (connections from outside the cluster skip the cluster tiers)' : '';
  return `${direction} tiers: ${steps.join(' → ')}${outside}`;
}
