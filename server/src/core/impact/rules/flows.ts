import { isClusterResponsible, type AnyResponsible, type ImpactEntry } from '../types';

/** Up to this many flows are named in a message; the rest are counted. */
const NAMED = 3;

/** `2 flows (a → b on TCP 80; c → d on TCP 443)`, naming the first few. */
export function describeFlows(entries: readonly ImpactEntry[], which: 'gained' | 'lost'): string {
  const named = entries.slice(0, NAMED).map((e) => `${e.src} → ${e.dst} on ${e[which].toString()}`);
  const more = entries.length > NAMED ? `; and ${entries.length - NAMED} more` : '';
  return `${entries.length === 1 ? 'a flow' : `${entries.length} flows`} (${named.join('; ')}${more})`;
}

/**
 * Entries grouped by the responsible item a finding is shown at: the first of each
 * entry's responsible items that `pick` accepts. One finding per place, naming its flows.
 */
export function groupByAnchor(entries: readonly ImpactEntry[], pick: (r: AnyResponsible) => boolean): { at: AnyResponsible; entries: ImpactEntry[] }[] {
  const groups = new Map<string, { at: AnyResponsible; entries: ImpactEntry[] }>();
  for (const e of entries) {
    // NetworkPolicies first, then the cluster-level policies (an edit of one of those may be all there is).
    const at = e.responsible.find(pick) ?? e.clusterResponsible?.find(pick);
    if (!at) continue;
    const name = isClusterResponsible(at) ? `${at.policy.kind} ${at.policy.name}` : `${at.policy.namespace}/${at.policy.name}`;
    const key = `${at.role}\u0000${name}\u0000${at.rule ? `${at.rule.direction}${at.rule.index}` : ''}`;
    const g = groups.get(key);
    if (g) g.entries.push(e);
    else groups.set(key, { at, entries: [e] });
  }
  return [...groups.values()];
}

/** How a message names the responsible policy: `NetworkPolicy shop/web`, `AdminNetworkPolicy guard`. */
export function policyLabel(at: AnyResponsible): string {
  return isClusterResponsible(at) ? `${at.policy.kind} ${at.policy.name}` : `NetworkPolicy ${at.policy.namespace}/${at.policy.name}`;
}
