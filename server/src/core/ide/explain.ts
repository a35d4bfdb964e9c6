import type { Analysis } from '../analysis/analyze';
import { parseIp } from '../base/ip';
import { endpointName } from '../reach/connections';
import { findWorkloads, type ExplainEndpoint } from '../reach/explain';

/**
 * An endpoint named by the user (`--from`, the Explain Connection prompt): an IP address,
 * or exactly one workload (`ns/name`, `ns/name[Kind]`, `name` in the default namespace).
 * Each surface words the failures its own way.
 */
export type EndpointLookup =
  | { readonly kind: 'found'; readonly endpoint: ExplainEndpoint }
  /** No such workload: the first workloads of the workspace (`ns/name`) as examples, and whether there are more. */
  | { readonly kind: 'unknown'; readonly known: readonly string[]; readonly more: boolean }
  /** Several workloads of that namespace and name: their kinds. */
  | { readonly kind: 'ambiguous'; readonly kinds: readonly string[] };

const EXAMPLES = 8;

export function findEndpoint(analysis: Analysis, ref: string): EndpointLookup {
  const ip = parseIp(ref);
  if (ip) return { kind: 'found', endpoint: { type: 'ip', range: { family: ip.family, start: ip.value, end: ip.value } } };
  const { model } = analysis;
  const found = findWorkloads(model.workloads, ref, model.defaultNamespace);
  if (found.length === 0) return { kind: 'unknown', known: model.workloads.slice(0, EXAMPLES).map((w) => `${w.namespace}/${w.name}`), more: model.workloads.length > EXAMPLES };
  if (found.length > 1) return { kind: 'ambiguous', kinds: found.map((i) => model.workloads[i].kind) };
  return { kind: 'found', endpoint: { type: 'workload', index: found[0] } };
}

/** `ns/name[Kind]`, or the address as `10.0.0.1[External]`. */
export function endpointLabel(analysis: Analysis, e: ExplainEndpoint): string {
  if (e.type === 'workload') return endpointName({ type: 'workload', index: e.index, workload: analysis.model.workloads[e.index] });
  return endpointName({ type: 'ip', range: e.range }).replace(/^(.+)-\1\[External\]$/, '$1[External]');
}
