import type { Protocol } from '../../base/ports';
import type { Explanation, SideExplanation } from '../../reach/explain';
import type { Span } from '../../base/span';

/**
 * The JSON form of an explanation, shared by `netpol explain --format json` and the
 * editor's `netpol/explain`: the two differ only in how a place is written (`file:line`
 * for the CLI, uri and line for the editor), which `locate` decides. `fallback` is the
 * enclosing span, for a caller that prefers it to no place at all.
 */
export function explanationJson<L>(
  ex: Explanation,
  names: { readonly from: string; readonly to: string },
  query: { readonly port: number; readonly protocol: Protocol } | undefined,
  locate: (span: Span | undefined, fallback: Span | undefined) => L,
) {
  const side = (s: SideExplanation) => ({
    direction: s.direction,
    external: s.external,
    isolated: s.isolated,
    allowed: s.allowed.toString(),
    policies: s.policies.map((p) => ({
      name: `${p.policy.namespace}/${p.policy.name}`,
      location: locate(p.span, p.policy.span),
      rules: p.matchingRules.map((r) => ({ index: r.rule.index, location: locate(r.span, p.span), allows: r.ports.toString() })),
    })),
    ...(s.tiers
      ? {
          tiers: {
            decisions: s.tiers.decisions.map((d) => ({
              tier: d.tier,
              kind: d.policy.kind,
              name: d.policy.name,
              ...(d.policy.priority !== undefined ? { priority: d.policy.priority } : {}),
              rule: { index: d.rule.index, ...(d.rule.name !== undefined ? { name: d.rule.name } : {}), location: locate(d.rule.span, d.policy.span) },
              action: d.rule.action,
              connections: d.conns.toString(),
              ...(d.tiedWith ? { tiedWith: d.tiedWith.map((x) => ({ kind: x.kind, name: x.name })) } : {}),
            })),
            networkPolicies: { given: s.tiers.toNetworkPolicies.toString(), decide: s.tiers.networkPoliciesDecide },
            ...(s.tiers.toBaseline ? { baseline: { given: s.tiers.toBaseline.toString() } } : {}),
            byDefault: s.tiers.byDefault.toString(),
            notConsulted: s.tiers.notConsulted,
          },
        }
      : {}),
  });
  return {
    from: names.from,
    to: names.to,
    ...(query ? { port: query.port, protocol: query.protocol, allowed: ex.verdict === true } : { allowed: !ex.allowed.isEmpty() }),
    connections: ex.allowed.toString(),
    egress: side(ex.egress),
    ingress: side(ex.ingress),
  };
}
