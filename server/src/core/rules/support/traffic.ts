/**
 * Shared helpers of the traffic rules (ports, Services, Ingresses, environments,
 * policy hygiene): they tie the model and the compiled policies back to the YAML the
 * findings point at.
 */
import type { Pair, YAMLMap } from 'yaml';
import type { NetworkPolicy, PolicyType } from '../../model/types';
import type { CompiledPolicy, CompiledRule } from '../../reach/compile';
import { endpointName } from '../../reach/connections';
import type { Reachability } from '../../reach/engine';
import type { NodeReader } from '../../yaml/nodes';
import type { Span } from '../../base/span';
import type { PolicyAst, PolicyRuleAst } from '../../lint/policy-ast';
import type { PolicyContext } from '../types';

/** A NetworkPolicy the API server accepts, with its compiled form and its YAML. */
export interface PolicyEntry {
  readonly policy: NetworkPolicy;
  readonly compiled: CompiledPolicy;
  readonly ast: PolicyAst;
}

/**
 * The policy a per-policy check looks at, when the API server accepts it. Rejected
 * ones never reach the cluster: the validation rules report why, and whatever they say
 * about traffic is moot. Objects the model does not read (not networking.k8s.io/v1)
 * are no policy either.
 */
export function acceptedPolicy(ast: PolicyAst, ctx: PolicyContext): PolicyEntry | undefined {
  const { policy, compiled } = ctx;
  if (!policy || !compiled || policy.rejected.length > 0 || !policy.source) return undefined;
  return { policy, compiled, ast };
}

/** A rule's YAML with its index in its direction's list, and its compiled form. */
export interface RuleEntry {
  readonly ast: PolicyRuleAst;
  readonly index: number;
  /** Undefined when the policy's types omit the direction: the rule has no effect. */
  readonly compiled: CompiledRule | undefined;
}

export function ruleEntries(entry: PolicyEntry): RuleEntry[] {
  const counters = { Ingress: 0, Egress: 0 };
  return entry.ast.rules().map((ast) => {
    // PolicyAst lists one entry per item of spec.ingress / spec.egress, in order, as
    // the model (and so the compiled policy) does.
    const index = counters[ast.direction]++;
    const list = ast.direction === 'Ingress' ? entry.compiled.ingress : entry.compiled.egress;
    return { ast, index, compiled: list[index] };
  });
}

export function modelRule(policy: NetworkPolicy, direction: PolicyType, index: number) {
  return (direction === 'Ingress' ? policy.ingress : policy.egress)[index];
}

/**
 * The pods a rule's ports are resolved on (where named ports live and where a
 * Service delivers): for an ingress rule the pods the policy selects, for an egress
 * rule the pods its peers match. `any` = a rule without peers (any destination);
 * `external` = an egress rule whose peers are all ipBlocks (no pod to resolve on).
 */
export type Destinations = { readonly kind: 'pods'; readonly classes: readonly number[] } | { readonly kind: 'any' } | { readonly kind: 'external' };

export function destinations(reach: Reachability, entry: PolicyEntry, rule: RuleEntry): Destinations {
  const classes = reach.classes;
  if (rule.ast.direction === 'Ingress') return { kind: 'pods', classes: entry.compiled.selected.filter((c) => !classes[c].virtual) };
  const model = modelRule(entry.policy, 'Egress', rule.index);
  if (!rule.compiled || rule.compiled.allPeers || !model?.peers) return { kind: 'any' };
  if (model.peers.every((p) => p.type === 'ipBlock')) return { kind: 'external' };
  // The ingress controller's stand-in pod has no ports and is no workload.
  return { kind: 'pods', classes: rule.compiled.classes.members.filter((c) => !classes[c].virtual) };
}

/** `ns/name[Kind]` of the workloads behind some pod classes, at most `max`, then "and N more". */
export function workloadList(reach: Reachability, classIds: Iterable<number>, max = 3): string {
  const seen = new Set<number>();
  for (const c of classIds) for (const wi of reach.classes[c].workloads) seen.add(wi);
  const names = [...seen].sort((a, b) => a - b).map((index) => endpointName({ type: 'workload', index, workload: reach.model.workloads[index] }));
  return listText(names, max);
}

export function listText(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The span of a mapping key (one line, unlike most values). */
export function keySpan(r: NodeReader, map: YAMLMap | undefined, key: string): Span | undefined {
  const pair: Pair | undefined = r.pair(map, key);
  return pair ? r.span(pair.key) : undefined;
}

/** A YAML selector as it would be written inline: `{matchLabels: {a: b}}`. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

/** Levenshtein distance: enough to spot a typo in a port name. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}
