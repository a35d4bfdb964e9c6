/**
 * Change impact: what a change of policies does to connectivity, flow by flow, with the
 * policies and rules responsible for each flow opened or closed. The diff itself is
 * netpol diff's (diffConnections); what differs is how it is computed:
 * - when the two reachabilities share their class table (the baseline is a variant of
 *   the current one, Reachability.withPolicies), only the endpoints whose ingress or
 *   egress side a changed policy selects are visited: an edit of one policy costs what
 *   its pods' peers cost, whatever the size of the workspace;
 * - otherwise (the change touched workloads, namespaces, Services…) both full connection
 *   lists are compared.
 * Pure: no I/O.
 */
import type { Analysis } from '../analyze';
import type { NetworkPolicy, PolicyRule, Workload } from '../model/types';
import { parseIp } from '../net/ip';
import { ConnSet } from '../net/ports';
import { resolvePorts, type CompiledPolicy, type CompiledRule } from '../reach/compile';
import { connectionsTouching, endpointName } from '../reach/connections';
import type { IpRange, Reachability } from '../reach/engine';
import { isBreaking, routedPorts } from './breaking';
import { diffConnections, type DiffEntry } from './diff';

export type ResponsibleRole =
  /** A rule of the edited workspace admits the gained connections. */
  | 'allows'
  /** A rule of the baseline admitted the lost connections; the edit changed or removed it. */
  | 'no-longer-allows'
  /** The policy now isolates the endpoint (and none of its rules admits the other side). */
  | 'isolates'
  /** The policy isolated the endpoint in the baseline; the edit removed that. */
  | 'no-longer-isolates';

/** A policy (or one of its rules) that makes a flow change. */
export interface Responsible {
  readonly role: ResponsibleRole;
  /** The policy on the side the role speaks of: after the change for allows/isolates, before it otherwise. */
  readonly policy: NetworkPolicy;
  readonly rule?: PolicyRule;
  /** The policy of the same namespace/name after the change, if there is one (where to show a before-side item). */
  readonly current?: NetworkPolicy;
}

export interface ImpactEntry extends DiffEntry {
  readonly breaking: boolean;
  /** Gains connections from another namespace, from address ranges or from the ingress controller. */
  readonly external: boolean;
  /** Empty beyond `maxAttributed` entries. */
  readonly responsible: readonly Responsible[];
}

export interface PolicyChange {
  readonly key: string;
  readonly status: 'added' | 'modified' | 'deleted';
  readonly before?: NetworkPolicy;
  readonly after?: NetworkPolicy;
  /** Flows whose gains (opened) or losses (closed) this policy is responsible for. */
  opened: number;
  closed: number;
}

export interface ImpactReport {
  readonly entries: readonly ImpactEntry[];
  readonly policies: readonly PolicyChange[];
  /** True when only the changed policies' endpoints were visited. */
  readonly scoped: boolean;
}

export interface ImpactOptions {
  /** Responsibility is worked out for the first this many entries (the rest only count). Default 500. */
  readonly maxAttributed?: number;
}

export const NO_CHANGE: ImpactReport = { entries: [], policies: [], scoped: true };

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
function behaviourOf(p: NetworkPolicy): string {
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
 * The impact of going from `before` to `after`. `after` must be the analysis the caller
 * shows (its spans are the editor's); `before` is its baseline, either a variant of
 * after.reach (same table) or an analysis of its own.
 */
export function changeImpact(before: Reachability, after: Analysis, options: ImpactOptions = {}): ImpactReport {
  const afterReach = after.reach;
  const scoped = before.table === afterReach.table;
  const { onlyBefore, onlyAfter } = changedPolicies(before, afterReach, scoped);
  if (onlyBefore.size === 0 && onlyAfter.size === 0 && scoped) return NO_CHANGE;


  // Only the endpoints whose side of a flow can differ are visited: those the changed
  // policies select (in the direction they isolate) and, across two worlds, the
  // workloads that differ and those of namespaces whose labels differ.
  const inbound = new Set<number>();
  const outbound = new Set<number>();
  let controller = false;
  const beforeIn = scoped ? inbound : new Set<number>();
  const beforeOut = scoped ? outbound : new Set<number>();
  const mark = (reach: Reachability, ins: Set<number>, outs: Set<number>, cp: CompiledPolicy) => {
    const classes = reach.table.classes;
    const types = cp.policy.policyTypes;
    for (const c of cp.selected) {
      if (types.includes('Ingress')) for (const w of classes[c].workloads) ins.add(w);
      if (types.includes('Egress')) {
        if (classes[c].virtual) controller = true;
        for (const w of classes[c].workloads) outs.add(w);
      }
    }
  };
  for (const cp of effective(onlyBefore, onlyAfter)) {
    if (onlyAfter.has(cp)) mark(afterReach, inbound, outbound, cp);
    else mark(before, beforeIn, beforeOut, cp);
  }
  let entries: DiffEntry[];
  if (scoped) {
    const names = workloadNames(afterReach);
    entries = diffConnections(connectionsTouching(before, inbound, outbound, controller), connectionsTouching(afterReach, inbound, outbound, controller), {
      workloads: { before: names, after: names },
    });
  } else {
    // Two worlds: the endpoints are matched by name; what one side marks, the other visits too.
    const world = worldChanges(before, afterReach);
    controller ||= world.controller;
    const byNameBefore = indexByName(before);
    const byNameAfter = indexByName(afterReach);
    const names = new Set<string>(world.workloads);
    for (const [set, reach] of [[inbound, afterReach], [outbound, afterReach], [beforeIn, before], [beforeOut, before]] as const) {
      for (const w of set) names.add(endpointName(reach.index.endpoints[w]));
    }
    const indices = (byName: Map<string, number>) => {
      const out = new Set<number>();
      for (const n of names) {
        const i = byName.get(n);
        if (i !== undefined) out.add(i);
      }
      return out;
    };
    // Both directions for every marked endpoint: a superset of what changed, still exact.
    const b = indices(byNameBefore);
    const a = indices(byNameAfter);
    entries = diffConnections(connectionsTouching(before, b, b, controller), connectionsTouching(afterReach, a, a, controller), {
      workloads: { before: workloadNames(before), after: workloadNames(afterReach) },
    });
  }

  const routed = routedOf(after);
  const policies = pairChanges(onlyBefore, onlyAfter);
  const byPolicy = new Map<NetworkPolicy, PolicyChange>();
  for (const pc of policies) {
    if (pc.before) byPolicy.set(pc.before, pc);
    if (pc.after) byPolicy.set(pc.after, pc);
  }
  const currentByKey = new Map<string, NetworkPolicy>();
  for (const pc of policies) if (pc.after) currentByKey.set(pc.key, pc.after);
  const attribute = new Attribution(before, afterReach, onlyBefore, onlyAfter, currentByKey);
  const max = options.maxAttributed ?? 500;
  const out: ImpactEntry[] = entries.map((e, i) => {
    const responsible = i < max ? attribute.of(e) : [];
    // Each policy counts a flow once per direction of change.
    const opened = new Set<PolicyChange>();
    const closed = new Set<PolicyChange>();
    for (const r of responsible) {
      const pc = byPolicy.get(r.policy);
      if (!pc) continue;
      if (r.role === 'allows' || r.role === 'no-longer-isolates') opened.add(pc);
      else closed.add(pc);
    }
    for (const pc of opened) pc.opened++;
    for (const pc of closed) pc.closed++;
    return { ...e, breaking: isBreaking(e, routed), external: isExternal(e), responsible };
  });
  return { entries: out, policies, scoped };
}

/**
 * The changed policies that can change connectivity: a policy of one side that says
 * what one of the other side says, under another name (a rename, a copy), cancels it.
 */
function effective(onlyBefore: ReadonlySet<CompiledPolicy>, onlyAfter: ReadonlySet<CompiledPolicy>): CompiledPolicy[] {
  const behaviour = (cp: CompiledPolicy) => behaviourOf(cp.policy);
  const left = new Map<string, number>();
  for (const cp of onlyBefore) left.set(behaviour(cp), (left.get(behaviour(cp)) ?? 0) + 1);
  const out: CompiledPolicy[] = [];
  const cancelled = new Map<string, number>();
  for (const cp of onlyAfter) {
    const b = behaviour(cp);
    const n = left.get(b) ?? 0;
    if (n > 0) {
      left.set(b, n - 1);
      cancelled.set(b, (cancelled.get(b) ?? 0) + 1);
    } else out.push(cp);
  }
  for (const cp of onlyBefore) {
    const b = behaviour(cp);
    const n = cancelled.get(b) ?? 0;
    if (n > 0) cancelled.set(b, n - 1);
    else out.push(cp);
  }
  return out;
}

/** The compiled policies of each side the other does not have (by compiled identity when they share a table, by fingerprint otherwise). */
function changedPolicies(before: Reachability, after: Reachability, shared: boolean): { onlyBefore: Set<CompiledPolicy>; onlyAfter: Set<CompiledPolicy> } {
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
  const left = new Map<string, number>();
  for (const cp of ob) {
    const f = policyFingerprint(cp.policy);
    left.set(f, (left.get(f) ?? 0) + 1);
  }
  const onlyAfter = new Set<CompiledPolicy>();
  const matched = new Map<string, number>();
  for (const cp of oa) {
    const f = policyFingerprint(cp.policy);
    const n = left.get(f) ?? 0;
    if (n > 0) {
      left.set(f, n - 1);
      matched.set(f, (matched.get(f) ?? 0) + 1);
    } else onlyAfter.add(cp);
  }
  const onlyBefore = new Set<CompiledPolicy>();
  for (const cp of ob) {
    const f = policyFingerprint(cp.policy);
    const n = matched.get(f) ?? 0;
    if (n > 0) matched.set(f, n - 1);
    else onlyBefore.add(cp);
  }
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
  if (f === undefined) fingerprints.set(w, (f = JSON.stringify([w.namespace, w.pods.map((p) => [p.labels, p.ports, p.hostNetwork])])));
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

/** Changed policies paired by namespace/name: added, modified, deleted; in the order of the edited workspace, deleted ones last. */
function pairChanges(onlyBefore: ReadonlySet<CompiledPolicy>, onlyAfter: ReadonlySet<CompiledPolicy>): PolicyChange[] {
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

const namesByWorld = new WeakMap<object, ReadonlySet<string>>();

function workloadNames(reach: Reachability): ReadonlySet<string> {
  let names = namesByWorld.get(reach.world);
  if (!names) namesByWorld.set(reach.world, (names = new Set(reach.index.endpoints.map(endpointName))));
  return names;
}

const routedByWorld = new WeakMap<object, Map<string, ConnSet>>();

function routedOf(a: Analysis): Map<string, ConnSet> {
  let routed = routedByWorld.get(a.reach.world);
  if (!routed) routedByWorld.set(a.reach.world, (routed = routedPorts(a)));
  return routed;
}

const CONTROLLER = '{ingress-controller}';

function namespaceOf(name: string): string | undefined {
  const slash = name.indexOf('/');
  return name.endsWith(']') && slash > 0 && !name.endsWith('[External]') ? name.slice(0, slash) : undefined;
}

function isExternal(e: DiffEntry): boolean {
  if (e.gained.isEmpty()) return false;
  const dstNs = namespaceOf(e.dst);
  if (dstNs === undefined) return false;
  if (e.src === CONTROLLER || e.src.endsWith('[External]')) return true;
  return namespaceOf(e.src) !== dstNs;
}

/** One side of a flow, as the reachability knows it. */
type Side = { readonly classes: readonly number[] } | { readonly range: IpRange } | undefined;

/** Works out, per flow, which changed policies and rules make it change. */
class Attribution {
  private readonly workloadsBefore: Map<string, number>;
  private readonly workloadsAfter: Map<string, number>;

  constructor(
    private readonly before: Reachability,
    private readonly after: Reachability,
    private readonly onlyBefore: ReadonlySet<CompiledPolicy>,
    private readonly onlyAfter: ReadonlySet<CompiledPolicy>,
    private readonly currentByKey: ReadonlyMap<string, NetworkPolicy>,
  ) {
    this.workloadsBefore = indexByName(before);
    this.workloadsAfter = before.table === after.table ? this.workloadsBefore : indexByName(after);
  }

  of(e: DiffEntry): Responsible[] {
    const out: Responsible[] = [];
    if (!e.gained.isEmpty()) {
      const allows = this.rules(this.after, this.workloadsAfter, e, e.gained, this.onlyAfter, 'allows');
      out.push(...(allows.length > 0 ? allows : this.isolating(this.before, this.workloadsBefore, e, this.onlyBefore, 'no-longer-isolates')));
    }
    if (!e.lost.isEmpty()) {
      const allowed = this.rules(this.before, this.workloadsBefore, e, e.lost, this.onlyBefore, 'no-longer-allows');
      out.push(...(allowed.length > 0 ? allowed : this.isolating(this.after, this.workloadsAfter, e, this.onlyAfter, 'isolates')));
    }
    return out;
  }

  /** Rules of `changed` policies, on either side of the flow, that admit some of `ports`. */
  private rules(reach: Reachability, byName: Map<string, number>, e: DiffEntry, ports: ConnSet, changed: ReadonlySet<CompiledPolicy>, role: ResponsibleRole): Responsible[] {
    const src = this.side(reach, byName, e.src);
    const dst = this.side(reach, byName, e.dst);
    const out: Responsible[] = [];
    for (const [direction, self, other] of [['Ingress', dst, src], ['Egress', src, dst]] as const) {
      if (!self || !('classes' in self)) continue;
      for (const c of self.classes) {
        const policies = direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c];
        for (const cp of policies) {
          if (!changed.has(cp)) continue;
          for (const r of direction === 'Ingress' ? cp.ingress : cp.egress) {
            const allowed = ruleAllows(reach, r, direction, c, other);
            if (allowed && !allowed.intersect(ports).isEmpty() && !out.some((o) => o.rule === r.rule)) out.push(this.item(role, cp.policy, r.rule));
          }
        }
      }
    }
    return out;
  }

  /** `changed` policies that isolate either end of the flow. */
  private isolating(reach: Reachability, byName: Map<string, number>, e: DiffEntry, changed: ReadonlySet<CompiledPolicy>, role: ResponsibleRole): Responsible[] {
    const out: Responsible[] = [];
    for (const [direction, name] of [['Ingress', e.dst], ['Egress', e.src]] as const) {
      const self = this.side(reach, byName, name);
      if (!self || !('classes' in self)) continue;
      for (const c of self.classes) {
        for (const cp of direction === 'Ingress' ? reach.compiled.ingressOf[c] : reach.compiled.egressOf[c]) {
          if (changed.has(cp) && !out.some((o) => o.policy === cp.policy)) out.push(this.item(role, cp.policy));
        }
      }
    }
    return out;
  }

  private item(role: ResponsibleRole, policy: NetworkPolicy, rule?: PolicyRule): Responsible {
    const current = role === 'allows' || role === 'isolates' ? policy : this.currentByKey.get(policyKey(policy));
    return { role, policy, ...(rule ? { rule } : {}), ...(current ? { current } : {}) };
  }

  private side(reach: Reachability, byName: Map<string, number>, name: string): Side {
    if (name === CONTROLLER) return { classes: [reach.ingressControllerClass] };
    if (name.endsWith('[External]')) return rangeOf(name);
    const wi = byName.get(name);
    return wi === undefined ? undefined : { classes: reach.table.workloadClasses[wi] };
  }
}

const byNameOfWorld = new WeakMap<object, Map<string, number>>();

/** Workload name -> index, the same for every reachability of one world. */
function indexByName(reach: Reachability): Map<string, number> {
  let out = byNameOfWorld.get(reach.world);
  if (!out) {
    out = new Map<string, number>();
    for (const [i, e] of reach.index.endpoints.entries()) out.set(endpointName(e), i);
    byNameOfWorld.set(reach.world, out);
  }
  return out;
}

/** `10.0.0.0-10.255.255.255[External]` -> the range. */
function rangeOf(name: string): Side {
  const [from, to] = name.slice(0, -'[External]'.length).split('-');
  const a = parseIp(from ?? '');
  const b = parseIp(to ?? '');
  if (!a || !b || a.family !== b.family) return undefined;
  return { range: { family: a.family, start: a.value, end: b.value } };
}

/** Ports rule r admits between class `self` (the side the rule is on) and `other`, or undefined when its peers do not match. */
function ruleAllows(reach: Reachability, r: CompiledRule, direction: 'Ingress' | 'Egress', self: number, other: Side): ConnSet | undefined {
  const classes = reach.table.classes;
  if (!other) return undefined;
  if ('range' in other) {
    const set = r.ips.get(other.range.family);
    if (!r.allPeers && !(set && set.containsRange(other.range.start, other.range.end))) return undefined;
    return resolvePorts(r.ports, direction === 'Ingress' ? classes[self] : undefined);
  }
  let ports: ConnSet | undefined;
  for (const oc of other.classes) {
    if (!r.allPeers && !r.classes.has(oc)) continue;
    const dst = direction === 'Ingress' ? classes[self] : classes[oc];
    ports = (ports ?? ConnSet.NONE).union(resolvePorts(r.ports, dst));
  }
  return ports;
}
