import { textLine } from '../../base/escape';
import type { ConnSet, Protocol } from '../../base/ports';
import type { Span } from '../../base/span';
import type { Explanation, SideExplanation, TierExplanation } from '../../reach/explain';
import { tieNote } from '../../reach/ties';

/**
 * `netpol explain`'s text: the verdict, then each side's isolating policies and the rules
 * that admit the other side, with where they are (`location`: `file:line`). `names` are
 * already safe for a line; policy names and places are made so here.
 */
export function formatExplanationText(
  ex: Explanation,
  names: { readonly from: string; readonly to: string },
  query: { readonly port: number; readonly protocol: Protocol } | undefined,
  location: (span: Span | undefined) => string,
): string {
  const lines: string[] = [];
  const subject = `${names.from} => ${names.to}${query ? ` on ${query.protocol} ${query.port}` : ''}`;
  const verdict = query ? (ex.verdict ? 'ALLOWED' : 'DENIED') : ex.allowed.isEmpty() ? 'DENIED' : 'ALLOWED';
  lines.push(`${subject}: ${verdict}`);
  lines.push(`allowed connections: ${ex.allowed.toString()}`);
  lines.push('');
  lines.push(...sideText(ex.egress, `egress of ${names.from}`, location));
  lines.push('');
  lines.push(...sideText(ex.ingress, `ingress of ${names.to}`, location));
  return lines.join('\n') + '\n';
}

function sideText(side: SideExplanation, title: string, location: (span: Span | undefined) => string): string[] {
  if (side.external) return [`${title}: outside the cluster, no NetworkPolicy applies`];
  if (side.tiers) return tiersText(side, side.tiers, title, location);
  if (!side.isolated) return [`${title}: not isolated (no NetworkPolicy selects it with policyType ${side.direction}), everything allowed`];
  const lines = [`${title}: isolated by ${side.policies.length} ${side.policies.length === 1 ? 'policy' : 'policies'}; allows ${side.allowed.toString()}`];
  for (const p of side.policies) {
    lines.push(`  ${textLine(`${p.policy.namespace}/${p.policy.name}`)} (${textLine(location(p.span))})`);
    if (p.matchingRules.length === 0) lines.push(`    no ${side.direction.toLowerCase()} rule matches the other side`);
    for (const r of p.matchingRules) {
      lines.push(`    ${side.direction.toLowerCase()} rule #${r.rule.index + 1} (${textLine(location(r.span))}) allows ${describe(r.ports)}`);
    }
  }
  return lines;
}

const VERB = { Allow: 'allows', Deny: 'denies', Pass: 'passes' } as const;

/** A side the cluster tiers take part in: each tier in evaluation order, who decided what, and what was never consulted. */
function tiersText(side: SideExplanation, tiers: TierExplanation, title: string, location: (span: Span | undefined) => string): string[] {
  const lines = [`${title}: decided through the cluster tiers; allows ${side.allowed.toString()}`];
  const decisionLines = (tier: 'Admin' | 'Baseline') => {
    const own = tiers.decisions.filter((d) => d.tier === tier);
    if (own.length === 0) return [`    no rule matches`];
    return own.flatMap((d) => {
      const p = d.policy;
      const rank = p.priority === undefined ? 'no priority: last of its tier' : `priority ${p.priority}`;
      const rule = `${side.direction.toLowerCase()} rule #${d.rule.index + 1}${d.rule.name ? ` ${JSON.stringify(d.rule.name)}` : ''}`;
      const line = `    ${p.kind} ${textLine(p.name)} (${rank}, ${textLine(location(p.span))}): ${rule} (${textLine(location(d.rule.span))}) ${VERB[d.verdict]} ${d.conns.toString()}`;
      if (!d.tiedWith || p.priority === undefined) return [line];
      return [line, `      ${tieNote(textLine(p.name), d.tiedWith.map((x) => `${x.kind} ${textLine(x.name)}`), p.priority)}`];
    });
  };
  lines.push('  Admin tier:', ...decisionLines('Admin'));
  if (!tiers.toNetworkPolicies.isEmpty()) {
    if (tiers.networkPoliciesDecide) {
      lines.push(`  NetworkPolicy tier (decides ${tiers.toNetworkPolicies.toString()}):`);
      for (const l of sideText({ ...side, tiers: undefined, isolated: true }, 'isolated', location).slice(1)) lines.push(`  ${l}`);
    } else lines.push(`  NetworkPolicy tier: no NetworkPolicy selects the pod with policyType ${side.direction}; passes on ${tiers.toNetworkPolicies.toString()}`);
  }
  if (tiers.toBaseline) {
    lines.push(`  Baseline tier (given ${tiers.toBaseline.toString()}):`, ...decisionLines('Baseline'));
    if (!tiers.byDefault.isEmpty()) lines.push(`  default: allows ${tiers.byDefault.toString()} (no tier decided it)`);
  }
  for (const n of tiers.notConsulted) lines.push(`  not consulted: ${n}`);
  return lines;
}

function describe(c: ConnSet): string {
  return c.isEmpty() ? 'nothing (its ports do not resolve on the destination)' : c.toString();
}
