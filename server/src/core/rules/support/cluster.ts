import { formatIp } from '../../base/ip';
import type { Span } from '../../base/span';
import type { ClusterPolicy, ClusterRule } from '../../model/types';
import type { IpRange, Reachability } from '../../reach/engine';
import type { CompiledClusterRule } from '../../reach/tiers';

/** `AdminNetworkPolicy a (priority 5)`: how the cluster-tier rules name a policy. */
export function clusterPolicyLabel(p: ClusterPolicy): string {
  return `${p.kind} ${p.name}${p.priority === undefined ? '' : ` (priority ${p.priority})`}`;
}

/** A networks peer of the rule holds the whole address range. */
export function clusterRuleCovers(r: CompiledClusterRule, range: IpRange): boolean {
  const set = r.ips.get(range.family);
  return set !== undefined && set.containsRange(range.start, range.end);
}

/** The first key of a cluster rule's mapping (one line), and the rule's path. */
export function clusterRuleKeySpan(policy: ClusterPolicy, rule: ClusterRule): { span: Span; path: string } | undefined {
  const src = policy.source;
  if (!src) return undefined;
  const r = src.reader;
  const key = rule.direction === 'Ingress' ? 'ingress' : 'egress';
  const node = r.items(r.get(r.map(r.get(src.map, 'spec')), key))[rule.index];
  const map = r.map(node);
  const span = r.span(map?.items[0]?.key ?? node);
  return span ? { span, path: `spec.${key}[${rule.index}]` } : undefined;
}

/** The value of spec.priority (else its key), its node and its path. */
export function clusterPrioritySpan(policy: ClusterPolicy): { span: Span; path: string; node: unknown } | undefined {
  const src = policy.source;
  if (!src) return undefined;
  const r = src.reader;
  const pair = r.pair(r.map(r.get(src.map, 'spec')), 'priority');
  const span = pair ? (r.span(pair.value) ?? r.span(pair.key)) : undefined;
  return span && pair ? { span, path: 'spec.priority', node: pair.value } : undefined;
}

/** An address range as the findings name it: `10.0.0.1`, `10.0.0.0-10.0.255.255`. */
export function clusterRangeText(range: IpRange): string {
  return range.start === range.end ? formatIp(range.family, range.start) : `${formatIp(range.family, range.start)}-${formatIp(range.family, range.end)}`;
}

/** Above this many (subject class × peer) pairs per cluster rule, the tier rules leave the rule alone: each pair walks a tier. */
export const MAX_CLUSTER_RULE_PAIRS = 20_000;

/**
 * What a cluster rule's peers reach in the workspace: the pod classes it matches (not the
 * ingress controller's stand-in) and, for an egress rule when `withRanges`, the
 * destination ranges its `networks` hold whole. Undefined when pairing them with
 * `subjects` subject classes passes MAX_CLUSTER_RULE_PAIRS.
 */
export function clusterRulePeers(reach: Reachability, r: CompiledClusterRule, subjects: number, withRanges: boolean): { readonly classes: number[]; readonly ranges: IpRange[] } | undefined {
  const all = reach.table.classes;
  const classes = r.classes.members.filter((oc) => !all[oc].virtual);
  const ranges = withRanges && r.ips.size > 0 && r.rule.direction === 'Egress' ? reach.destinationRanges.filter((range) => clusterRuleCovers(r, range)) : [];
  return subjects * (classes.length + ranges.length) > MAX_CLUSTER_RULE_PAIRS ? undefined : { classes, ranges };
}
