import type { ImpactEntry, Responsible } from '../types';

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
export function groupByAnchor(entries: readonly ImpactEntry[], pick: (r: Responsible) => boolean): { at: Responsible; entries: ImpactEntry[] }[] {
  const groups = new Map<string, { at: Responsible; entries: ImpactEntry[] }>();
  for (const e of entries) {
    const at = e.responsible.find(pick);
    if (!at) continue;
    const key = `${at.role}\u0000${at.policy.namespace}/${at.policy.name}\u0000${at.rule ? `${at.rule.direction}${at.rule.index}` : ''}`;
    const g = groups.get(key);
    if (g) g.entries.push(e);
    else groups.set(key, { at, entries: [e] });
  }
  return [...groups.values()];
}
