import type { ManifestObject } from '../manifest/load';
import type { Model, NetworkPolicy, Workload } from '../model/types';
import { allConnections, type Connection } from './connections';
import type { CompiledPolicy } from './compile';
import type { Reachability } from './engine';

/**
 * The connectivity list of a reachability (`allConnections`: what `netpol reach`
 * prints, self-pairs left out), indexed by workload. Computed once per Reachability:
 * hovers, code lenses and the reachability view all read the same list.
 */
export interface ConnectionIndex {
  readonly all: readonly Connection[];
  /** workload index -> connections whose destination it is. */
  readonly into: ReadonlyMap<number, readonly Connection[]>;
  /** workload index -> connections whose source it is. */
  readonly from: ReadonlyMap<number, readonly Connection[]>;
}

const indexes = new WeakMap<Reachability, ConnectionIndex>();

export function connectionIndex(reach: Reachability): ConnectionIndex {
  const hit = indexes.get(reach);
  if (hit) return hit;
  const all = allConnections(reach);
  const into = new Map<number, Connection[]>();
  const from = new Map<number, Connection[]>();
  const add = (map: Map<number, Connection[]>, key: number, c: Connection) => {
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  for (const c of all) {
    if (c.dst.type === 'workload') add(into, c.dst.index, c);
    if (c.src.type === 'workload') add(from, c.src.index, c);
  }
  const index: ConnectionIndex = { all, into, from };
  indexes.set(reach, index);
  return index;
}

/** `ns/name[Kind]`. */
export function workloadName(w: Workload): string {
  return `${w.namespace}/${w.name}[${w.kind}]`;
}

/**
 * The policies that isolate a workload for a direction (in policy order), and whether
 * they isolate all of its pods (a workload whose pods differ may be isolated in part).
 */
export function isolatingPolicies(reach: Reachability, workload: number, direction: 'Ingress' | 'Egress'): { policies: CompiledPolicy[]; all: boolean } {
  const seen = new Set<CompiledPolicy>();
  let all = true;
  for (const c of reach.table.workloadClasses[workload] ?? []) {
    const list = direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c];
    if (list.length === 0) all = false;
    for (const p of list) seen.add(p);
  }
  const policies = [...seen].sort((a, b) => a.index - b.index);
  return { policies, all: policies.length > 0 && all };
}

/** The workloads with pods of the given classes, in model order (virtual classes have none). */
export function workloadsOfClasses(reach: Reachability, classes: Iterable<number>): number[] {
  const out = new Set<number>();
  for (const c of classes) for (const w of reach.table.classes[c]?.workloads ?? []) out.add(w);
  return [...out].sort((a, b) => a - b);
}

/** The compiled form of a policy of the model (undefined when it is not part of the analysis). */
export function compiledPolicy(reach: Reachability, policy: object): CompiledPolicy | undefined {
  let byPolicy = compiledIndex.get(reach);
  if (!byPolicy) {
    byPolicy = new Map(reach.compiled.policies.map((cp) => [cp.policy as object, cp]));
    compiledIndex.set(reach, byPolicy);
  }
  return byPolicy.get(policy);
}

const compiledIndex = new WeakMap<Reachability, Map<object, CompiledPolicy>>();

/**
 * The compiled policy read from each manifest object (the first, should two policies
 * come from one object), per reachability: the one index from YAML to compiled policy.
 */
export function compiledBySource(reach: Reachability): ReadonlyMap<ManifestObject, CompiledPolicy> {
  let index = bySource.get(reach);
  if (!index) {
    index = new Map();
    for (const cp of reach.compiled.policies) if (cp.policy.source && !index.has(cp.policy.source)) index.set(cp.policy.source, cp);
    bySource.set(reach, index);
  }
  return index;
}

const bySource = new WeakMap<Reachability, Map<ManifestObject, CompiledPolicy>>();

/** The model policy (and its compiled form, when it compiled) read from an object. */
export function policyOfObject(reach: Reachability, obj: ManifestObject): { policy: NetworkPolicy; compiled: CompiledPolicy | undefined } | undefined {
  const cp = compiledBySource(reach).get(obj);
  if (cp) return { policy: cp.policy, compiled: cp };
  const policy = reach.model.policies.find((p) => p.source === obj);
  return policy ? { policy, compiled: undefined } : undefined;
}

/** The workload an object is (or is part of: one of several Pods of an owner), per model. */
export function workloadOfObject(model: Model, obj: ManifestObject): Workload | undefined {
  let index = workloadsBySource.get(model);
  if (!index) {
    index = new Map();
    for (const w of model.workloads) for (const src of w.sources) if (!index.has(src)) index.set(src, w);
    workloadsBySource.set(model, index);
  }
  return index.get(obj);
}

const workloadsBySource = new WeakMap<Model, Map<ManifestObject, Workload>>();
