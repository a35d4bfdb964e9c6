import type { Analysis } from '../../analysis/analyze';
import type { Workload } from '../../model/types';
import { connectionIndex, isolatingPolicies } from '../../reach/lookups';
import { capLines, code, connectionLines, link, plural, policyLink, summarize, text, type Locate } from './format';
import { endName } from '../../evidence/evidence';
import type { EvidencedFlow, Evidence, FlowEnd } from '../../evidence/types';

/**
 * A workload: how it is isolated (by which policies), who can reach it on which
 * ports, and what it can reach. The lists are `netpol reach`'s lines for it.
 */
export function workloadHover(analysis: Analysis, index: number, locate: Locate, evidence?: Evidence): string {
  const { reach, model } = analysis;
  const w: Workload = model.workloads[index];
  const conns = connectionIndex(reach);
  const into = conns.into.get(index) ?? [];
  const from = conns.from.get(index) ?? [];
  const out: string[] = [`**${text(w.kind)}** ${code(`${w.namespace}/${w.name}`)}`, ''];
  out.push(`- ${isolationLine(analysis, index, 'Ingress', locate)}`);
  out.push(`- ${isolationLine(analysis, index, 'Egress', locate)}`);
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
    const open = direction === 'Ingress' ? 'accepts connections from anywhere' : 'may connect anywhere';
    return `${direction}: not isolated (no NetworkPolicy selects it for ${direction}): ${open}`;
  }
  const links = summarize(policies.map((p) => policyLink(p.policy, locate)));
  return `${direction}: isolated ${all ? '' : '(some of its pods) '}by ${links}`;
}
