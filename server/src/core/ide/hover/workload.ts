import type { Analysis } from '../../analysis/analyze';
import type { Workload } from '../../model/types';
import { connectionIndex, isolatingPolicies } from '../../reach/lookups';
import { code, connectionLines, plural, policyLink, summarize, text, type Locate } from './format';

/**
 * A workload: how it is isolated (by which policies), who can reach it on which
 * ports, and what it can reach. The lists are `netpol reach`'s lines for it.
 */
export function workloadHover(analysis: Analysis, index: number, locate: Locate): string {
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
  return out.join('\n');
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
