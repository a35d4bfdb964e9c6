import { sameItems } from '../base/arrays';
import { ConnSet } from '../base/ports';
import { IpSet, splitIntoDisjoint, type IpFamily } from '../base/ip';
import type { Model, Namespace, NetworkPolicy, Service } from '../model/types';
import { DEFAULT_INGRESS_CONTROLLER, type IngressControllerOptions } from '../k8s/cluster';
import type { CniName } from '../k8s/cni';
import { addVirtualClass, buildClasses, patchClasses, type ClassTable, type PodClass } from './classes';
import { compilePatched, compilePolicies, resolvePorts, type CompiledPolicies, type CompiledRule, type HostNetworkMode, type NamespaceChange } from './compile';
import { compileTiers, TierMemo, type CompiledClusterRule, type CompiledTiers } from './tiers';
import { addressCuts, cutsHold } from './address-cuts';

/**
 * One step of Reachability.worldHistory: what changed since the world token whose serial
 * (tokenSerial) is `from`. By serial, not the token: a token no cached verdict is keyed by
 * any more is let go, with what is cached per world (support/world-cache.ts), which may
 * hold a whole earlier analysis.
 */
export interface WorldStep {
  readonly from: number;
  readonly namespaces: ReadonlySet<string>;
  readonly recompiled: ReadonlySet<NetworkPolicy>;
}

/** One step of Reachability.namespacesHistory: the namespaces (before, after) that changed since the token `from`. */
export interface NamespacesStep {
  readonly from: number;
  readonly changes: readonly { readonly name: string; readonly before: Namespace | undefined; readonly after: Namespace | undefined }[];
}

const serials = new WeakMap<object, number>();
let nextSerial = 1;

/** A number for a token (world, namespaces), the same for as long as the token lives. */
export function tokenSerial(token: object): number {
  let n = serials.get(token);
  if (n === undefined) serials.set(token, (n = nextSerial++));
  return n;
}

/** How many earlier world tokens a reachability remembers (edits whose verdicts were never asked for in between). */
const WORLD_HISTORY = 3;

export interface ReachOptions {
  readonly hostNetwork?: HostNetworkMode;
  /** The network plugin's profile (k8s/cni.ts); the default follows upstream Kubernetes. */
  readonly cni?: CniName;
  readonly ingressController?: IngressControllerOptions;
}

/** An address range outside the cluster (one cell of the partition of the address space). */
export interface IpRange {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The reachability of a model. Built once per model; verdicts for one pair are cheap,
 * and the full list is computed sparsely (only candidate pairs are visited).
 */
export class Reachability {
  readonly table: ClassTable;
  readonly compiled: CompiledPolicies;
  /** The cluster-level policies (Admin and Baseline tiers) compiled against the same table. */
  readonly tiers: CompiledTiers;
  readonly ingressControllerClass: number;
  /** External address ranges that can be sources (cut by ingress ipBlocks) and destinations (egress). */
  readonly sourceRanges: readonly IpRange[];
  readonly destinationRanges: readonly IpRange[];
  /**
   * A token for everything but the policies: workloads, namespaces, Services, Ingresses
   * and the options. Carried over from `previous` when the edit left them all alone (same
   * objects), a fresh object otherwise: what is derived from the world alone (a rule's
   * verdict on one policy against the pods, an index of the Services) can be cached by it.
   */
  readonly world: object;
  /**
   * A token for the namespaces (names and labels): the same while they are the same, like
   * `world` (whose equality implies this one's) but kept across edits of workloads,
   * Services and Ingresses. Rules whose verdict reads the namespaces but no workload
   * cache by it (policyScope 'namespaces').
   */
  readonly namespacesToken: object;
  /**
   * The last few world tokens before this one, each with what changed since it: the
   * namespaces where a workload, pod class, Service, Ingress or the Namespace itself is
   * not the same, and the policies compiled again. A per-policy verdict computed against
   * one of those tokens holds for this world when the policy was not compiled again and
   * reads nothing in those namespaces (rules/support/world-history.ts). Empty after an
   * edit whose effect is not confined to namespaces (options, custom resources, webhooks,
   * pod addresses, a full rebuild).
   */
  readonly worldHistory: readonly WorldStep[];
  /** Like worldHistory, for namespacesToken: the last few tokens with the namespaces whose labels changed since each. */
  readonly namespacesHistory: readonly NamespacesStep[];

  /**
   * `previous`: the reachability of the workspace before an edit. When the edit left
   * the pods and namespaces alone (same objects), its class table and the compiled
   * form of every unchanged policy are reused: editing one policy recompiles one policy.
   */
  constructor(
    readonly model: Model,
    readonly options: ReachOptions = {},
    previous?: Reachability,
    /** Set by withPolicies: `previous` is the sibling whose world this one shares. */
    variant = false,
  ) {
    const ic = options.ingressController ?? DEFAULT_INGRESS_CONTROLLER;
    // A variant is made from its sibling's own model: the same world by construction.
    // The class table also holds while the ipBlocks cut no class of it apart (reach/address-cuts.ts).
    const cuts = addressCuts(model);
    const reusable = previous !== undefined && (variant || sameTopology(previous, model, options)) && cutsHold(previous.table.classes, previous.table.cuts, cuts);
    if (variant && !reusable) throw new Error('a variant shares its sibling\'s workloads, namespaces and options');
    this.world =
      reusable && sameItems(previous.model.services, model.services) && sameItems(previous.model.ingresses, model.ingresses) && sameOperatorFacts(previous.model, model)
        ? previous.world
        : {};
    this.namespacesToken = previous && (reusable || sameNamespaces(previous.model.namespaces, model.namespaces)) ? previous.namespacesToken : {};
    // An edit of workloads or namespaces: the previous table patched (the classes that
    // are still there keep their ids) and the policies it touches compiled again.
    const patched = !reusable && previous !== undefined && sameOptions(previous.options, options) ? patchClasses(previous.table, model, ic, PATCH_CLASS_LIMIT) : undefined;
    const compileOptions = { hostNetwork: options.hostNetwork, cni: options.cni };
    if (reusable) {
      this.table = previous.table;
      this.ingressControllerClass = previous.ingressControllerClass;
      this.compiled = variant ? compilePolicies(this.table, model.policies, { ...compileOptions, variantOf: previous.compiled }) : compilePolicies(this.table, model.policies, compileOptions, previous.compiled);
    } else if (patched) {
      this.table = patched.table;
      this.ingressControllerClass = patched.ingressControllerClass;
      this.compiled = compilePatched(this.table, model.policies, compileOptions, previous!.table, previous!.compiled, patched.changed, namespaceChanges(previous!.table.namespaces, this.table.namespaces));
    } else {
      this.table = buildClasses(model, cuts);
      this.ingressControllerClass = addVirtualClass(this.table, ic.namespace, ic.labels);
      this.compiled = compilePolicies(this.table, model.policies, compileOptions);
    }
    this.tiers = compileTiers(this.table, model.clusterPolicies ?? [], options.hostNetwork ?? 'node', reusable ? previous.tiers : undefined);
    // The ranges derive from the ipBlocks (and networks peers) alone, the lookup tables from the world alone.
    const same = reusable || patched ? previous : undefined;
    // Policies compiled again after a workload edit give new sets of the same addresses: the
    // same ranges (the same array, which verdicts cached per range list compare by identity).
    this.sourceRanges = same && sameIpSets(same.compiled.ingressIpSets, this.compiled.ingressIpSets) ? same.sourceRanges : partition(this.compiled.ingressIpSets);
    this.destinationRanges =
      same && sameIpSets(same.compiled.egressIpSets, this.compiled.egressIpSets) && sameIpSets(same.tiers.egressIpSets, this.tiers.egressIpSets)
        ? same.destinationRanges
        : partition(this.tiers.egressIpSets.length > 0 ? [...this.compiled.egressIpSets, ...this.tiers.egressIpSets] : this.compiled.egressIpSets);
    if (same && this.world === same.world) this.lookup = same.lookup;
    // A world edited in a few objects: the tables are built from the last ones (see buildIndex).
    else if (previous?.lookup) this.lastLookup = { model: previous.model, index: previous.lookup };
    this.namespacesHistory =
      previous === undefined ? [] : this.namespacesToken === previous.namespacesToken ? previous.namespacesHistory : namespacesHistoryAfter(previous, model.namespaces);
    this.worldHistory = previous === undefined ? [] : this.world === previous.world ? previous.worldHistory : same ? historyAfter(previous, this, patched?.changed, this.compiled.recompiled) : [];
  }

  private lookup: ReachIndex | undefined;
  /** The previous reachability's tables, until this one's are built. */
  private lastLookup: { readonly model: Model; readonly index: ReachIndex } | undefined;

  /**
   * The reachability of the same world under other policies (the baseline of a change
   * impact): it shares this one's class table, its world token and the compiled form of
   * every policy the two have in common, and leaves this one untouched. Policies it does
   * not share are compiled once per policy object.
   */
  withPolicies(policies: readonly NetworkPolicy[]): Reachability {
    const model = { ...this.model, policies };
    // Its ipBlocks would cut a class of this table apart: a world of its own (the change
    // impact then matches the two by endpoint name).
    if (!cutsHold(this.table.classes, this.table.cuts, addressCuts(model))) return new Reachability(model, this.options);
    return new Reachability(model, this.options, this, true);
  }

  /** Lookup tables for the connection listings, built on first use. */
  get index(): ReachIndex {
    if (!this.lookup) {
      this.lookup = buildIndex(this.model, this.lastLookup);
      this.lastLookup = undefined;
    }
    return this.lookup;
  }

  get classes(): readonly PodClass[] {
    return this.table.classes;
  }

  isIngressIsolated(c: number): boolean {
    return this.compiled.ingressOf[c].length > 0;
  }

  isEgressIsolated(c: number): boolean {
    return this.compiled.egressOf[c].length > 0;
  }

  /** Some cluster-level policy (either tier) has ingress rules for class c: its verdicts are not the NetworkPolicies' alone. */
  hasClusterIngress(c: number): boolean {
    const t = this.tiers;
    return !t.empty && (t.adminIngressOf[c].length > 0 || t.baselineIngressOf[c].length > 0);
  }

  hasClusterEgress(c: number): boolean {
    const t = this.tiers;
    return !t.empty && (t.adminEgressOf[c].length > 0 || t.baselineEgressOf[c].length > 0);
  }

  /** The classes an Admin-tier Allow (Accept) rule for dst's ingress matches. */
  adminAllowedSources(dst: number): Set<number> {
    const out = new Set<number>();
    if (this.tiers.empty) return out;
    for (const p of this.tiers.adminIngressOf[dst]) for (const r of p.ingress) if (r.verdict === 'Allow') for (const c of r.classes.members) out.add(c);
    return out;
  }

  /** The classes an Admin-tier Allow (Accept) rule for src's egress matches. */
  adminAllowedDestinations(src: number): Set<number> {
    const out = new Set<number>();
    if (this.tiers.empty) return out;
    for (const p of this.tiers.adminEgressOf[src]) for (const r of p.egress) if (r.verdict === 'Allow') for (const c of r.classes.members) out.add(c);
    return out;
  }

  /** What dst's ingress side admits from pod class src, through every tier. */
  ingressFromClass(dst: number, src: number): ConnSet {
    if (!this.hasClusterIngress(dst)) return this.npIngressFromClass(dst, src);
    return this.tieredIngress(dst, src, () => this.npIngressFromClass(dst, src));
  }

  /** The tiers' memoised walks (tiers.ts TierMemo): ingress by source class, egress by destination class and by address range. */
  private readonly ingressMemo = new TierMemo();
  private readonly egressMemo = new TierMemo();
  private readonly egressRangeMemo = new TierMemo();

  /** ingressFromClass for a dst with cluster ingress rules; `np`: what its NetworkPolicies admit from src (used when they isolate it). */
  private tieredIngress(dst: number, src: number, np: ConnSet | (() => ConnSet)): ConnSet {
    const t = this.tiers;
    return this.ingressMemo.verdict(dst, t.adminIngressOf[dst], t.baselineIngressOf[dst], 'Ingress', (r) => r.classes.has(src), this.table.classes[dst], true, this.isIngressIsolated(dst), np);
  }

  /** What dst's ingress side admits from pod class src, by its NetworkPolicies alone. */
  npIngressFromClass(dst: number, src: number): ConnSet {
    const policies = this.compiled.ingressOf[dst];
    if (policies.length === 0) return ConnSet.ALL;
    const d = this.table.classes[dst];
    let acc = ConnSet.NONE;
    for (const p of policies) {
      for (const r of p.ingress) if (r.allPeers || r.classes.has(src)) acc = acc.union(resolvePorts(r.ports, d));
    }
    return acc;
  }

  /** What src's egress side lets out to pod class dst, through every tier. */
  egressToClass(src: number, dst: number): ConnSet {
    if (!this.hasClusterEgress(src)) return this.npEgressToClass(src, dst);
    const t = this.tiers;
    return this.egressMemo.verdict(src, t.adminEgressOf[src], t.baselineEgressOf[src], 'Egress', (r) => r.classes.has(dst), this.table.classes[dst], false, this.isEgressIsolated(src), () =>
      this.npEgressToClass(src, dst),
    );
  }

  /** What src's egress side lets out to pod class dst, by its NetworkPolicies alone. */
  npEgressToClass(src: number, dst: number): ConnSet {
    const policies = this.compiled.egressOf[src];
    if (policies.length === 0) return ConnSet.ALL;
    const d = this.table.classes[dst];
    let acc = ConnSet.NONE;
    for (const p of policies) {
      for (const r of p.egress) if (r.allPeers || r.classes.has(dst)) acc = acc.union(resolvePorts(r.ports, d));
    }
    return acc;
  }

  ingressFromRange(dst: number, range: IpRange): ConnSet {
    const policies = this.compiled.ingressOf[dst];
    if (policies.length === 0) return ConnSet.ALL;
    const d = this.table.classes[dst];
    let acc = ConnSet.NONE;
    for (const p of policies) for (const r of p.ingress) if (ruleCoversRange(r, range)) acc = acc.union(resolvePorts(r.ports, d));
    return acc;
  }

  /**
   * Named ports cannot be resolved outside the cluster: only numeric ports count. The
   * cluster tiers' networks peers match ranges; their namespaces and pods peers never do
   * (and no ingress peer of theirs matches an address: ingressFromRange is the
   * NetworkPolicies' alone, whatever the tiers say).
   */
  egressToRange(src: number, range: IpRange): ConnSet {
    if (!this.hasClusterEgress(src)) return this.npEgressToRange(src, range);
    const t = this.tiers;
    return this.egressRangeMemo.verdict(src, t.adminEgressOf[src], t.baselineEgressOf[src], 'Egress', (r) => clusterRuleCoversRange(r, range), undefined, true, this.isEgressIsolated(src), () =>
      this.npEgressToRange(src, range),
    );
  }

  npEgressToRange(src: number, range: IpRange): ConnSet {
    const policies = this.compiled.egressOf[src];
    if (policies.length === 0) return ConnSet.ALL;
    let acc = ConnSet.NONE;
    for (const p of policies) for (const r of p.egress) if (ruleCoversRange(r, range)) acc = acc.union(resolvePorts(r.ports, undefined));
    return acc;
  }

  /** Allowed connections between two pod classes: egress of src AND ingress of dst. */
  between(src: number, dst: number): ConnSet {
    const ing = this.ingressFromClass(dst, src);
    if (ing.isEmpty()) return ing;
    return ing.intersect(this.egressToClass(src, dst));
  }

  /**
   * Every allowed (src class, dst class) pair with its connections, self-pairs
   * included. Isolated destinations are visited through their rules' peer lists,
   * so a default-deny workspace costs what its allow rules admit, not classes².
   */
  forEachClassPair(visit: (src: number, dst: number, conn: ConnSet) => void): void {
    const n = this.table.classes.length;
    const admitted: (ConnSet | undefined)[] = new Array<ConnSet | undefined>(n).fill(undefined);
    const touched: number[] = [];
    for (let dst = 0; dst < n; dst++) {
      if (this.table.classes[dst].virtual) continue;
      const policies = this.compiled.ingressOf[dst];
      const tiered = this.hasClusterIngress(dst);
      // Not isolated by a NetworkPolicy: what no cluster rule matches is allowed, from anywhere.
      const open = policies.length === 0 || policies.some((p) => p.ingress.some((r) => r.allPeers));
      if (open) {
        for (let src = 0; src < n; src++) {
          const conn = this.between(src, dst);
          if (!conn.isEmpty()) visit(src, dst, conn);
        }
        continue;
      }
      const d = this.table.classes[dst];
      // What the NetworkPolicies admit, by source: a slot per class (reset after each
      // destination) and the sources touched, sorted as integers, rather than a Map and
      // its entries sorted by a comparator, for each of the ~10,000 destinations.
      for (const p of policies) {
        for (const r of p.ingress) {
          if (r.classes.size === 0) continue;
          const ports = resolvePorts(r.ports, d);
          if (ports.isEmpty()) continue;
          for (const src of r.classes.members) {
            const prev = admitted[src];
            if (prev === undefined) touched.push(src);
            admitted[src] = prev === undefined ? ports : prev.union(ports);
          }
        }
      }
      // Isolated by a NetworkPolicy: a source gets something only if the NetworkPolicies
      // admit it (what the Admin tier passes or leaves) or an Admin Allow rule matches it.
      if (tiered) {
        for (const src of this.adminAllowedSources(dst)) {
          if (admitted[src] !== undefined) continue;
          touched.push(src);
          admitted[src] = ConnSet.NONE;
        }
      }
      const sources = Int32Array.from(touched).sort();
      touched.length = 0;
      for (const src of sources) {
        // What npIngressFromClass(dst, src) gives (an Admin-allowed source in no rule: nothing).
        const ing = admitted[src]!;
        admitted[src] = undefined;
        // between(), without asking the NetworkPolicies again.
        const tieredIng = tiered ? this.tieredIngress(dst, src, ing) : ing;
        const conn = tieredIng.isEmpty() ? tieredIng : tieredIng.intersect(this.egressToClass(src, dst));
        if (!conn.isEmpty()) visit(src, dst, conn);
      }
    }
  }
}

export interface ReachIndex {
  /** `namespace/name` -> Service. */
  readonly services: ReadonlyMap<string, Service>;
  readonly workloadsByNamespace: ReadonlyMap<string, readonly number[]>;
  /** One endpoint object per workload. */
  readonly endpoints: readonly { readonly type: 'workload'; readonly index: number; readonly workload: Model['workloads'][number] }[];
}

/**
 * The lookup tables of a model; `last`, those of an earlier model: what it shares with
 * this one is taken as it is (the Services' map when the Services are the same objects, the
 * namespaces' lists when every workload is in the same namespace at the same index, the
 * endpoint of every workload that is the same object at the same index).
 */
function buildIndex(model: Model, last?: { readonly model: Model; readonly index: ReachIndex }): ReachIndex {
  let services: Map<string, Service> | ReadonlyMap<string, Service>;
  if (last && sameItems(last.model.services, model.services)) services = last.index.services;
  else {
    const map = new Map<string, Service>();
    for (const s of model.services) if (!map.has(`${s.namespace}/${s.name}`)) map.set(`${s.namespace}/${s.name}`, s);
    services = map;
  }
  const before = last?.model.workloads;
  const sameNamespaces = before !== undefined && before.length === model.workloads.length && model.workloads.every((w, i) => before[i].namespace === w.namespace);
  let workloadsByNamespace: ReadonlyMap<string, readonly number[]>;
  if (sameNamespaces) workloadsByNamespace = last!.index.workloadsByNamespace;
  else {
    const map = new Map<string, number[]>();
    model.workloads.forEach((w, i) => {
      const list = map.get(w.namespace);
      if (list) list.push(i);
      else map.set(w.namespace, [i]);
    });
    workloadsByNamespace = map;
  }
  const kept = last?.index.endpoints;
  const endpoints = model.workloads.map((workload, index) => (kept?.[index]?.workload === workload ? kept[index] : { type: 'workload' as const, index, workload }));
  return { services, workloadsByNamespace, endpoints };
}

/**
 * The world history of `next`, made from `previous` (its table patched, or the same):
 * one step from previous's world, and previous's own steps extended by it. Empty when
 * the change is not confined to namespaces.
 */
function historyAfter(previous: Reachability, next: Reachability, changedClasses: ReadonlySet<number> | undefined, recompiled: ReadonlySet<NetworkPolicy> | undefined): WorldStep[] {
  const a = previous.model;
  const b = next.model;
  if (!sameOperatorFacts(a, b) || (a.workloads.length === 0) !== (b.workloads.length === 0) || !sameSet(a.namespacelessBundles, b.namespacelessBundles)) return [];
  const namespaces = new Set<string>();
  for (const id of changedClasses ?? []) {
    const before = previous.table.classes[id];
    const after = next.table.classes[id];
    // Pods found by address are found in any namespace: no step confines that.
    if (before?.ips || after?.ips) return [];
    if (before) namespaces.add(before.namespace);
    if (after) namespaces.add(after.namespace);
  }
  const changedIn = <T extends { readonly namespace: string }>(x: readonly T[], y: readonly T[]) => {
    if (x === y) return;
    // Of the same length, the lists differ where an edit replaced objects: only those
    // positions are compared (an object listed twice may then count as changed: a
    // namespace more, never one less).
    let only: { x: T[]; y: T[] } | undefined;
    if (x.length === y.length) {
      only = { x: [], y: [] };
      for (let i = 0; i < x.length; i++) {
        if (x[i] === y[i]) continue;
        only.x.push(x[i]);
        only.y.push(y[i]);
      }
    }
    const xs = only?.x ?? x;
    const ys = only?.y ?? y;
    const inX = new Set(xs);
    const inY = new Set(ys);
    for (const o of xs) if (!inY.has(o)) namespaces.add(o.namespace);
    for (const o of ys) if (!inX.has(o)) namespaces.add(o.namespace);
  };
  changedIn(a.workloads, b.workloads);
  changedIn(a.services, b.services);
  changedIn(a.ingresses, b.ingresses);
  for (const [name, ns] of b.namespaces) {
    const old = a.namespaces.get(name);
    if (old !== ns && (old === undefined || old.declared || ns.declared)) namespaces.add(name);
  }
  for (const name of a.namespaces.keys()) if (!b.namespaces.has(name)) namespaces.add(name);
  const step: WorldStep = { from: tokenSerial(previous.world), namespaces, recompiled: recompiled ?? new Set() };
  const out = [step];
  for (const older of previous.worldHistory.slice(0, WORLD_HISTORY - 1)) {
    out.push({ from: older.from, namespaces: new Set([...older.namespaces, ...namespaces]), recompiled: new Set([...older.recompiled, ...step.recompiled]) });
  }
  return out;
}

function namespacesHistoryAfter(previous: Reachability, namespaces: ReadonlyMap<string, Namespace>): NamespacesStep[] {
  const before = previous.model.namespaces;
  const changes: { name: string; before: Namespace | undefined; after: Namespace | undefined }[] = [];
  for (const [name, ns] of namespaces) {
    const old = before.get(name);
    if (old !== ns && (old === undefined || old.declared || ns.declared)) changes.push({ name, before: old, after: ns });
  }
  for (const [name, ns] of before) if (!namespaces.has(name)) changes.push({ name, before: ns, after: undefined });
  const out: NamespacesStep[] = [{ from: tokenSerial(previous.namespacesToken), changes }];
  for (const older of previous.namespacesHistory.slice(0, WORLD_HISTORY - 1)) out.push({ from: older.from, changes: [...older.changes, ...changes] });
  return out;
}

/** The same address sets, in the same order (the same objects, or equal ones). */
function sameIpSets(a: readonly IpSet[], b: readonly IpSet[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !a[i].equals(b[i])) return false;
  return true;
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Beyond this many class ids changed by an edit, the table is built afresh (and every policy compiled). */
const PATCH_CLASS_LIMIT = 256;

function sameOptions(a: ReachOptions, b: ReachOptions): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The namespaces whose labels differ between two tables (declared ones are new objects after an edit of their document). */
function namespaceChanges(a: ReadonlyMap<string, Namespace>, b: ReadonlyMap<string, Namespace>): NamespaceChange[] {
  const out: NamespaceChange[] = [];
  for (const [name, ns] of b) {
    const old = a.get(name);
    if (old === ns || (old && sameLabels(old.labels, ns.labels))) continue;
    out.push({ before: old?.labels, after: ns.labels });
  }
  for (const [name, ns] of a) if (!b.has(name)) out.push({ before: ns.labels, after: undefined });
  return out;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || a[k] !== b[k]) return false;
  return true;
}

/** Same workloads, namespaces and options (by identity): the class table still holds. */
function sameTopology(previous: Reachability, model: Model, options: ReachOptions): boolean {
  const a = previous.model;
  if (a.workloads.length !== model.workloads.length || a.namespaces.size !== model.namespaces.size) return false;
  if (!sameOptions(previous.options, options)) return false;
  for (let i = 0; i < a.workloads.length; i++) if (a.workloads[i] !== model.workloads[i]) return false;
  return sameNamespaces(a.namespaces, model.namespaces);
}

/** The same namespaces: declared ones by identity, undeclared ones by name. */
function sameNamespaces(a: ReadonlyMap<string, Namespace>, b: ReadonlyMap<string, Namespace>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [name, ns] of b) {
    const old = a.get(name);
    // Undeclared namespaces are rebuilt each time; their content is fixed by their name.
    if (old !== ns && (old === undefined || old.declared || ns.declared)) return false;
  }
  return true;
}

function clusterRuleCoversRange(r: CompiledClusterRule, range: IpRange): boolean {
  const set = r.ips.get(range.family);
  return set !== undefined && set.containsRange(range.start, range.end);
}

function ruleCoversRange(r: CompiledRule, range: IpRange): boolean {
  if (r.allPeers) return true;
  const set = r.ips.get(range.family);
  return set !== undefined && set.containsRange(range.start, range.end);
}

/**
 * The coarsest partition of the address space by the given ipBlocks. IPv4 is always
 * there (traffic from anywhere); IPv6 only when a policy names an IPv6 block, so an
 * IPv4-only workspace does not list every workload twice.
 */
function partition(sets: readonly IpSet[]): IpRange[] {
  const out: IpRange[] = [];
  for (const family of [4, 6] as const) {
    const own = sets.filter((s) => s.family === family);
    if (family === 6 && own.length === 0) continue;
    for (const [start, end] of splitIntoDisjoint(family, own)) out.push({ family, start, end });
  }
  return out;
}

/**
 * The custom resources whose pods are not modelled, the operators' API groups, the API server's targets and the
 * Services referred to but declared nowhere are part of the world rules read (selector-matches-nothing, the webhook
 * ports): compared by
 * content, as every full model build makes them anew.
 */
function sameOperatorFacts(a: Model, b: Model): boolean {
  if (a.customResources === b.customResources && a.operatorGroups === b.operatorGroups && a.foreignPolicies === b.foreignPolicies && a.disruptionBudgets === b.disruptionBudgets && a.apiServerTargets === b.apiServerTargets && a.undeclaredServices === b.undeclaredServices) return true;
  const text = (m: Model) => JSON.stringify([[...m.customResources], [...m.operatorGroups], m.foreignPolicies, m.disruptionBudgets, m.apiServerTargets, [...m.undeclaredServices]]);
  return text(a) === text(b);
}
