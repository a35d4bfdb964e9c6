/**
 * What changed between a change impact's two sides: the policies (by compiled identity
 * when the two share a class table, by object and then by content otherwise), the world
 * (workloads, namespaces, Services, Ingresses), and the pairing of changed policies by
 * name. Fingerprints are worked out once per model object (they do not change). Pure.
 */
import type { NetworkPolicy, Workload } from '../model/types';
import type { CompiledPolicy } from '../reach/compile';
import type { CompiledClusterPolicy } from '../reach/tiers';
import { endpointName } from '../reach/connections';
import type { Reachability } from '../reach/engine';
import type { PolicyChange } from './types';

/** `ns/name` of a policy. */
export function policyKey(p: NetworkPolicy): string {
  return `${p.namespace}/${p.name}`;
}

/**
 * What a policy says, without where it is written: two policies with the same
 * fingerprint behave the same (a change of comments or layout is no change).
 */
export function policyFingerprint(p: NetworkPolicy): string {
  let f = fingerprints.get(p);
  if (f === undefined) fingerprints.set(p, (f = `${p.namespace}/${p.name}\u0000${behaviourOf(p)}`));
  return f;
}

/** Model objects do not change: what they say is worked out once per object. */
const fingerprints = new WeakMap<object, string>();
const behaviours = new WeakMap<object, string>();

/** What a policy does, whatever its name. */
export function behaviourOf(p: NetworkPolicy): string {
  let b = behaviours.get(p);
  if (b === undefined) {
    b = JSON.stringify({ ns: p.namespace, s: p.podSelector, t: p.policyTypes, i: p.ingress, e: p.egress, r: p.rejected }, (key, value: unknown) =>
      key === 'span' || key === 'source' || key === 'index' ? undefined : value,
    );
    behaviours.set(p, b);
  }
  return b;
}

/**
 * The changed policies that can change connectivity: a policy of one side that says
 * what one of the other side says, under another name (a rename, a copy), cancels it.
 */
export function effective(onlyBefore: ReadonlySet<CompiledPolicy>, onlyAfter: ReadonlySet<CompiledPolicy>): CompiledPolicy[] {
  const { before, after } = cancelPairs(onlyBefore, onlyAfter, (cp) => behaviourOf(cp.policy));
  return [...after, ...before];
}

/**
 * What is left of two lists once items with equal keys are paired off, one for one (in
 * list order): the rest of each, in order.
 */
function cancelPairs<T>(before: Iterable<T>, after: Iterable<T>, keyOf: (x: T) => string): { before: T[]; after: T[] } {
  const left = new Map<string, number>();
  for (const x of before) left.set(keyOf(x), (left.get(keyOf(x)) ?? 0) + 1);
  const restAfter: T[] = [];
  const paired = new Map<string, number>();
  for (const x of after) {
    const k = keyOf(x);
    const n = left.get(k) ?? 0;
    if (n > 0) {
      left.set(k, n - 1);
      paired.set(k, (paired.get(k) ?? 0) + 1);
    } else restAfter.push(x);
  }
  const restBefore: T[] = [];
  for (const x of before) {
    const k = keyOf(x);
    const n = paired.get(k) ?? 0;
    if (n > 0) paired.set(k, n - 1);
    else restBefore.push(x);
  }
  return { before: restBefore, after: restAfter };
}

/** The compiled policies of each side the other does not have (by compiled identity when they share a table, by fingerprint otherwise). */
export function changedPolicies(before: Reachability, after: Reachability, shared: boolean): { onlyBefore: Set<CompiledPolicy>; onlyAfter: Set<CompiledPolicy> } {
  const delta = before.compiled.delta;
  // A variant knows what it changed against its base (when the base is `after`'s compilation).
  if (shared && delta && delta.base === after.compiled) return { onlyBefore: new Set(delta.own), onlyAfter: new Set(delta.dropped) };
  if (shared) {
    const inBefore = new Set(before.compiled.policies);
    const inAfter = new Set(after.compiled.policies);
    return {
      onlyBefore: new Set(before.compiled.policies.filter((cp) => !inAfter.has(cp))),
      onlyAfter: new Set(after.compiled.policies.filter((cp) => !inBefore.has(cp))),
    };
  }
  // Two compilations: the same policy objects (files both sides load alike) are no
  // change; of the others, those that say the same (another parse of the same text) either.
  const inBefore = new Set(before.model.policies);
  const inAfter = new Set(after.model.policies);
  const ob = before.compiled.policies.filter((cp) => !inAfter.has(cp.policy));
  const oa = after.compiled.policies.filter((cp) => !inBefore.has(cp.policy));
  const rest = cancelPairs(ob, oa, (cp) => policyFingerprint(cp.policy));
  const onlyBefore = new Set(rest.before);
  const onlyAfter = new Set(rest.after);
  return { onlyBefore, onlyAfter };
}

/**
 * Between two worlds: the workloads (by name) that differ in what the network sees of
 * them (namespace, pod labels and ports, hostNetwork) or exist on one side only, every
 * workload of a namespace whose labels differ (namespaceSelectors see it anew), and
 * whether the Services or Ingresses differ (the ingress controller's flows). Objects
 * both sides share are compared by identity, others by content.
 */
export function worldChanges(before: Reachability, after: Reachability): { workloads: Set<string>; controller: boolean } {
  const workloads = new Set<string>();
  const side = (reach: Reachability) => {
    const map = new Map<string, Workload>();
    for (const e of reach.index.endpoints) map.set(endpointName(e), e.workload);
    return map;
  };
  const b = side(before);
  const a = side(after);
  for (const [name, w] of a) {
    const old = b.get(name);
    if (old !== w && (old === undefined || workloadShape(old) !== workloadShape(w))) workloads.add(name);
  }
  for (const name of b.keys()) if (!a.has(name)) workloads.add(name);
  const nsB = before.model.namespaces;
  const nsA = after.model.namespaces;
  const changedNamespaces = new Set<string>();
  for (const name of new Set([...nsB.keys(), ...nsA.keys()])) {
    const x = nsB.get(name);
    const y = nsA.get(name);
    if (x !== y && JSON.stringify(x?.labels ?? null) !== JSON.stringify(y?.labels ?? null)) changedNamespaces.add(name);
  }
  if (changedNamespaces.size > 0) {
    for (const [name, w] of a) if (changedNamespaces.has(w.namespace)) workloads.add(name);
    for (const [name, w] of b) if (changedNamespaces.has(w.namespace)) workloads.add(name);
  }
  const controller = !sameContent(before.model.services, after.model.services) || !sameContent(before.model.ingresses, after.model.ingresses);
  return { workloads, controller };
}

function workloadShape(w: Workload): string {
  let f = fingerprints.get(w);
  if (f === undefined) fingerprints.set(w, (f = JSON.stringify([w.namespace, w.pods.map((p) => [p.labels, p.ports, p.hostNetwork, p.ips ?? []])])));
  return f;
}

/** Same objects, or the same content without spans and sources. */
function sameContent<T extends object>(x: readonly T[], y: readonly T[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && contentOf(x[i]) !== contentOf(y[i])) return false;
  return true;
}

function contentOf(o: object): string {
  let f = fingerprints.get(o);
  if (f === undefined) fingerprints.set(o, (f = JSON.stringify(o, (key, value: unknown) => (key === 'span' || key === 'source' ? undefined : value))));
  return f;
}

/**
 * The cluster-level policies (valid ones) that one side has and the other has no copy
 * of (by content: a policy moved or re-read is no change). Only their subjects' verdicts
 * can differ: a pod's tiers are the policies whose subject holds it.
 */
export function changedClusterPolicies(before: Reachability, after: Reachability): { onlyBefore: CompiledClusterPolicy[]; onlyAfter: CompiledClusterPolicy[] } {
  if (before.tiers === after.tiers) return { onlyBefore: [], onlyAfter: [] };
  const all = (r: Reachability) => [...r.tiers.admin, ...r.tiers.baseline];
  const { before: onlyBefore, after: onlyAfter } = cancelPairs(all(before), all(after), (cp) => contentOf(cp.policy));
  return { onlyBefore, onlyAfter };
}

/** Changed policies paired by namespace/name: added, modified, deleted; in the order of the edited workspace, deleted ones last. */
export function pairChanges(onlyBefore: ReadonlySet<CompiledPolicy>, onlyAfter: ReadonlySet<CompiledPolicy>): PolicyChange[] {
  const beforeByKey = new Map<string, NetworkPolicy>();
  for (const cp of onlyBefore) if (!beforeByKey.has(policyKey(cp.policy))) beforeByKey.set(policyKey(cp.policy), cp.policy);
  const out: PolicyChange[] = [];
  const paired = new Set<string>();
  // A regular compilation stamps each policy with its position.
  const afterOrder = [...onlyAfter].sort((a, b) => a.index - b.index);
  for (const cp of afterOrder) {
    const key = policyKey(cp.policy);
    const old = paired.has(key) ? undefined : beforeByKey.get(key);
    if (old) paired.add(key);
    out.push({ key, status: old ? 'modified' : 'added', before: old, after: cp.policy, opened: 0, closed: 0 });
  }
  for (const [key, p] of beforeByKey) if (!paired.has(key)) out.push({ key, status: 'deleted', before: p, opened: 0, closed: 0 });
  return out;
}

