import type { ClusterPolicy, Model, NetworkPolicy, Workload } from '../model/types';
import { ConnSet } from '../base/ports';
import { walkTier, type CompiledClusterPolicy, type CompiledClusterRule } from './tiers';
import { allConnections, connectionsTouching, endpointName, type Connection, type Endpoint } from './connections';
import type { CompiledPolicy } from './compile';
import type { Reachability } from './engine';
import type { ManifestObject } from '../manifest/types';

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

/**
 * The connections of connectionIndex into (or out of) one workload, in its order, without
 * the whole list: what a hover or a code lens asks after an edit, which would otherwise
 * list every connection of the workspace for one workload's (connectionsTouching visits
 * only its peers). Per reachability and workload.
 */
export function connectionsOf(reach: Reachability, workload: number, side: 'into' | 'from'): readonly Connection[] {
  const whole = indexes.get(reach);
  if (whole) return whole[side].get(workload) ?? NO_CONNECTIONS;
  let byWorkload = sides.get(reach);
  if (!byWorkload) sides.set(reach, (byWorkload = { into: new Map(), from: new Map() }));
  let list = byWorkload[side].get(workload);
  if (list) return list;
  const one = new Set([workload]);
  const none = new Set<number>();
  const found = side === 'into' ? connectionsTouching(reach, one, none, false) : connectionsTouching(reach, none, one, false);
  const other = (c: Connection): Endpoint => (side === 'into' ? c.src : c.dst);
  const named = found.map((c) => ({ c, name: endpointName(other(c)) }));
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Two peers of one name (a workload defined twice): the whole list orders them by where
  // each first appears in it, which only the whole list knows.
  for (let i = 1; i < named.length; i++) if (named[i].name === named[i - 1].name) return connectionIndex(reach)[side].get(workload) ?? NO_CONNECTIONS;
  list = named.map((x) => x.c);
  byWorkload[side].set(workload, list);
  return list;
}

const NO_CONNECTIONS: readonly Connection[] = Object.freeze([]);
const sides = new WeakMap<Reachability, { readonly into: Map<number, readonly Connection[]>; readonly from: Map<number, readonly Connection[]> }>();

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

/** What a cluster-level policy does in the workspace: its subject and the workload flows it decides. */
export interface ClusterPolicyFacts {
  readonly compiled: CompiledClusterPolicy | undefined;
  readonly workloads: number;
  readonly namespaces: number;
  /**
   * Workload pairs (one direction each) of which some connection is decided by one of its
   * rules (Allow, Deny or Pass: the first rule of the tier to match it); undefined when
   * the workspace is too large to count them at once.
   */
  readonly decides?: number;
}

/** Above this many (subject class × other class) evaluations the lens does not count flows. */
const MAX_DECISION_WORK = 400_000;

const clusterFacts = new WeakMap<Reachability, Map<ClusterPolicy, ClusterPolicyFacts>>();

export function clusterPolicyFacts(reach: Reachability, policy: ClusterPolicy): ClusterPolicyFacts {
  let byPolicy = clusterFacts.get(reach);
  if (!byPolicy) clusterFacts.set(reach, (byPolicy = new Map()));
  const hit = byPolicy.get(policy);
  if (hit) return hit;
  const t = reach.tiers;
  const cp = [...t.admin, ...t.baseline].find((c) => c.policy === policy);
  let facts: ClusterPolicyFacts;
  if (!cp) facts = { compiled: undefined, workloads: 0, namespaces: 0 };
  else {
    const workloads = workloadsOfClasses(reach, cp.subject);
    const namespaces = new Set(workloads.map((w) => reach.model.workloads[w].namespace)).size;
    const classes = reach.table.classes.filter((c) => !c.virtual);
    const work = cp.subject.length * classes.length * ((cp.ingress.length > 0 ? 1 : 0) + (cp.egress.length > 0 ? 1 : 0));
    facts = { compiled: cp, workloads: workloads.length, namespaces, ...(work <= MAX_DECISION_WORK ? { decides: decidedFlows(reach, cp, classes.map((c) => c.id)) } : {}) };
  }
  byPolicy.set(policy, facts);
  return facts;
}

/** Counts the workload pairs some rule of cp decides part of (walking the tiers as the engine does). */
function decidedFlows(reach: Reachability, cp: CompiledClusterPolicy, others: readonly number[]): number {
  const t = reach.tiers;
  const classes = reach.table.classes;
  const pairs = new Set<string>();
  const admin = cp.policy.tier === 'Admin';
  for (const direction of ['Ingress', 'Egress'] as const) {
    if ((direction === 'Ingress' ? cp.ingress : cp.egress).length === 0) continue;
    for (const c of cp.subject) {
      if (classes[c].virtual) continue;
      const adminList = direction === 'Ingress' ? t.adminIngressOf[c] : t.adminEgressOf[c];
      const baselineList = direction === 'Ingress' ? t.baselineIngressOf[c] : t.baselineEgressOf[c];
      const isolated = direction === 'Ingress' ? reach.isIngressIsolated(c) : reach.isEgressIsolated(c);
      for (const oc of others) {
        if (oc === c) continue;
        let decided = false;
        const visit = (p: CompiledClusterPolicy) => {
          if (p === cp) decided = true;
        };
        const dst = direction === 'Ingress' ? classes[c] : classes[oc];
        const matches = (r: CompiledClusterRule) => r.classes.has(oc);
        const a = walkTier(adminList, direction, matches, dst, ConnSet.ALL, admin ? visit : undefined);
        if (!admin && !isolated) {
          const rest = a.undecided.union(a.passed);
          if (!rest.isEmpty()) walkTier(baselineList, direction, matches, dst, rest, visit);
        }
        if (!decided) continue;
        for (const w of classes[c].workloads) {
          for (const o of classes[oc].workloads) if (w !== o) pairs.add(direction === 'Ingress' ? `${o}>${w}` : `${w}>${o}`);
        }
      }
    }
  }
  return pairs.size;
}
