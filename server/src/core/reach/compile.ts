import { ConnSet, NO_PORTS, portRange, type PortRanges, type Protocol, unionPorts } from '../base/ports';
import { IpSet, ipBlockRange, parseCidr, parseIp, type Cidr, type IpFamily } from '../base/ip';
import { cniProfile, type CniName, type CniProfile } from '../k8s/cni';
import type { LabelSelector, Labels, NetworkPolicy, Peer, PolicyRule, PolicyType } from '../model/types';
import { ClassSet } from './class-set';
import type { ClassTable, PodClass } from './classes';
import { LabelIndex, selectorMatches } from './selectors';

/**
 * How pods with `hostNetwork: true` are treated. Kubernetes leaves it undefined.
 * - `node` (default, the most common CNI behaviour): their traffic is the node's;
 *   policies neither isolate them nor match them with pod/namespace selectors.
 * - `pod`: like any other pod (what netpol-analyzer assumes).
 */
export type HostNetworkMode = 'node' | 'pod';

export interface CompileOptions {
  readonly hostNetwork?: HostNetworkMode;
  /** The network plugin's profile (k8s/cni.ts): whether ipBlocks match pods by address, per direction. */
  readonly cni?: CniName;
  /**
   * Compile a variant of these policies (same table): another set of policies side by
   * side with them, as the baseline of a change impact is. The variant shares their
   * compiled forms and patches their class lists, but leaves them untouched: no index
   * is restamped and the next regular compilation still patches from them.
   */
  readonly variantOf?: CompiledPolicies;
}

/** A rule's ports: a fixed part plus named ports resolved per destination class. */
export interface RulePorts {
  readonly fixed: ConnSet;
  readonly named: readonly { readonly name: string; readonly protocol: Protocol }[];
}

export interface CompiledRule {
  readonly rule: PolicyRule;
  /** No `from`/`to`: every peer, in-cluster or not. */
  readonly allPeers: boolean;
  readonly classes: ClassSet;
  readonly ips: ReadonlyMap<IpFamily, IpSet>;
  readonly ports: RulePorts;
}

export interface CompiledPolicy {
  readonly index: number;
  readonly policy: NetworkPolicy;
  readonly selected: readonly number[];
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
}

export interface CompiledPolicies {
  readonly policies: readonly CompiledPolicy[];
  /** class id -> policies that isolate it for ingress / egress. */
  readonly ingressOf: readonly (readonly CompiledPolicy[])[];
  readonly egressOf: readonly (readonly CompiledPolicy[])[];
  /** Every ipBlock of ingress rules (possible sources) and egress rules (destinations). */
  readonly ingressIpSets: readonly IpSet[];
  readonly egressIpSets: readonly IpSet[];
  /**
   * Set on a variant (CompileOptions.variantOf): its compiled policies that its base
   * does not have (`own`) and the base's that it does not have (`dropped`).
   */
  readonly delta?: { readonly base: CompiledPolicies; readonly own: readonly CompiledPolicy[]; readonly dropped: readonly CompiledPolicy[] };
  /** Set by compilePatched: the policies it compiled again (or anew) rather than carried over. */
  readonly recompiled?: ReadonlySet<NetworkPolicy>;
}

const ALL_PORTS_RULE: RulePorts = { fixed: ConnSet.ALL, named: [] };

/**
 * Compiles every policy against the class table. `previous`: the policies compiled
 * against the SAME table (same classes, same namespaces): unchanged policy objects are
 * taken from there, and when few policies changed, the per-class lists are patched
 * instead of rebuilt (an edit of one policy touches the classes it selects, not all).
 */
export function compilePolicies(
  table: ClassTable,
  policies: readonly NetworkPolicy[],
  options: CompileOptions = {},
  previous?: CompiledPolicies,
): CompiledPolicies {
  const ctx = new Context(table, options.hostNetwork ?? 'node', cniProfile(options.cni));
  if (options.variantOf) return compileVariant(ctx, table, policies, options.variantOf);
  // Compiled forms are remembered per table: valid as long as the classes are the same.
  const forTable = compiledFor(table);
  // Most policies sit where they sat in the previous compilation: taken from there by
  // position, without a lookup. The others (an edited document, or everything after a
  // document added or removed) by object, or compiled.
  const prev = previous?.policies;
  const compiled: CompiledPolicy[] = new Array<CompiledPolicy>(policies.length);
  const moved: number[] = [];
  for (let i = 0; i < policies.length; i++) {
    const p = prev?.[i];
    if (p !== undefined && p.policy === policies[i]) compiled[i] = p;
    else moved.push(i);
  }
  // Previous policies not kept in place: removed, unless found at another position.
  const left = new Set<CompiledPolicy>();
  if (prev) for (let i = 0; i < prev.length; i++) if (compiled[i] !== prev[i]) left.add(prev[i]);
  const added: CompiledPolicy[] = [];
  for (const i of moved) {
    const policy = policies[i];
    const old = previous ? forTable.get(policy) : undefined;
    if (old) {
      // Positions shift when policies are added or removed before this one.
      (old as { index: number }).index = i;
      compiled[i] = old;
      // Compiled earlier but not part of the previous compilation (an undo brings
      // a document back): it must enter the class lists again.
      if (!left.delete(old)) added.push(old);
      continue;
    }
    const cp = compileOne(ctx, policy, i);
    // (A first compilation against the table is adopted whole, below.)
    if (previous) forTable.set(policy, cp);
    compiled[i] = cp;
    added.push(cp);
  }
  if (!previous) forTable.adopt(compiled);
  const removed = [...left];
  const patch = previous !== undefined && added.length + removed.length <= PATCH_LIMIT;
  const { ingressOf, egressOf } = patch ? patchClassLists(previous, added, removed) : classLists(table.classes.length, compiled);
  const { ingressIpSets, egressIpSets } = patch && !hasIpBlocks(added) && !hasIpBlocks(removed) ? previous : ipSetsOf(compiled);
  return { policies: compiled, ingressOf, egressOf, ingressIpSets, egressIpSets };
}

/** A namespace whose labels differ between two tables (undefined: not there). */
export interface NamespaceChange {
  readonly before: Labels | undefined;
  readonly after: Labels | undefined;
}

/**
 * Compiles the policies against a table patched from `previousTable` (patchClasses):
 * a policy compiled there keeps its compiled form when none of its sets holds a
 * changed class id, none of its selectors matches a changed class of the new table or a
 * namespace whose labels changed, and no changed class has an address its ipBlocks
 * could hold. The others are compiled again; the per-class lists are patched.
 */
export function compilePatched(
  table: ClassTable,
  policies: readonly NetworkPolicy[],
  options: CompileOptions,
  previousTable: ClassTable,
  previous: CompiledPolicies,
  changed: ReadonlySet<number>,
  namespaces: readonly NamespaceChange[],
): CompiledPolicies {
  const ctx = new Context(table, options.hostNetwork ?? 'node', cniProfile(options.cni));
  const forTable = compiledFor(table);
  const before = compiledFor(previousTable);
  const n = table.classes.length;
  const ids = [...changed];
  const newClasses = ids.filter((id) => id < n).map((id) => table.classes[id]);
  const addressed = ids.some((id) => (id < n && table.classes[id].ips !== undefined) || (id < previousTable.classes.length && previousTable.classes[id].ips !== undefined));
  // The namespaces of the changed classes, before and after: a policy whose selectors all
  // look in its own namespace can hold a changed class only if that namespace is one of them.
  const touched = new Set<string>();
  for (const id of ids) {
    if (id < n) touched.add(table.classes[id].namespace);
    if (id < previousTable.classes.length) touched.add(previousTable.classes[id].namespace);
  }
  // The labels those namespaces had and have: a namespaceSelector that matches none of them
  // holds no changed class.
  const touchedLabels: Labels[] = [];
  for (const ns of touched) {
    touchedLabels.push(previousTable.namespaces.get(ns)?.labels ?? {});
    touchedLabels.push(table.namespaces.get(ns)?.labels ?? {});
  }
  const reach = { ids, newClasses, table, addressed, namespaces, touched, touchedLabels };
  // Kept policies: by their position in the previous compilation (most sit where they sat), others by object.
  const keptAt = new Uint8Array(previous.policies.length);
  let keptElsewhere: Set<CompiledPolicy> | undefined;
  let inPrevious: Set<CompiledPolicy> | undefined;
  const recompiled = new Set<NetworkPolicy>();
  const compiled: CompiledPolicy[] = new Array<CompiledPolicy>(policies.length);
  const added: CompiledPolicy[] = [];
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i];
    const aligned = previous.policies[i];
    if (aligned !== undefined && aligned.policy === policy) {
      if (stillHolds(aligned, reach)) {
        (aligned as { index: number }).index = i;
        compiled[i] = aligned;
        keptAt[i] = 1;
        continue;
      }
    } else {
      const old = before.get(policy);
      if (old && !keptElsewhere?.has(old) && !(previous.policies[old.index] === old && keptAt[old.index]) && stillHolds(old, reach)) {
        inPrevious ??= new Set(previous.policies);
        const wasThere = inPrevious.has(old);
        (keptElsewhere ??= new Set()).add(old);
        (old as { index: number }).index = i;
        compiled[i] = old;
        if (!wasThere) added.push(old);
        continue;
      }
    }
    const cp = compileOne(ctx, policy, i);
    compiled[i] = cp;
    added.push(cp);
    recompiled.add(policy);
  }
  forTable.adopt(compiled);
  const removed = previous.policies.filter((cp, j) => !keptAt[j] && !keptElsewhere?.has(cp));
  let lists: { ingressOf: CompiledPolicy[][]; egressOf: CompiledPolicy[][] };
  if (added.length + removed.length <= PATCH_LIMIT) {
    // The lists of the previous table, cut or extended to this one's size; a changed id's
    // list held only policies that are compiled again (they held the id).
    const resized = (of: readonly (readonly CompiledPolicy[])[]) => {
      const out = of.slice(0, n) as CompiledPolicy[][];
      while (out.length < n) out.push([]);
      for (const id of ids) if (id < n) out[id] = [];
      return out;
    };
    lists = patchClassLists({ ...previous, ingressOf: resized(previous.ingressOf), egressOf: resized(previous.egressOf) }, added, removed, changed);
  } else {
    lists = classLists(n, compiled);
  }
  // Policies compiled again where they stood, with the same ipBlocks (a workload edit changed the
  // classes they hold, not their addresses), leave the address sets as they were, in order.
  const { ingressIpSets, egressIpSets } = (!hasIpBlocks(added) && !hasIpBlocks(removed)) || sameAddressesInPlace(added, removed) ? previous : ipSetsOf(compiled);
  return { policies: compiled, ingressOf: lists.ingressOf, egressOf: lists.egressOf, ingressIpSets, egressIpSets, recompiled };
}

/** What stillHolds reads of a policy's peers, made once per policy object. */
interface PeerSummary {
  readonly ipBlocks: boolean;
  /** The selector peers: a namespaceSelector (or none: the policy's namespace) and a podSelector (or none: every pod). */
  readonly selectors: readonly { readonly ns: LabelSelector | undefined; readonly pods: LabelSelector | undefined }[];
  /** Some selector peer has a namespaceSelector: the policy may hold classes of other namespaces. */
  readonly otherNamespaces: boolean;
}

const peerSummaries = new WeakMap<NetworkPolicy, PeerSummary>();

function peerSummary(policy: NetworkPolicy): PeerSummary {
  let hit = peerSummaries.get(policy);
  if (hit) return hit;
  let ipBlocks = false;
  const selectors: { ns: LabelSelector | undefined; pods: LabelSelector | undefined }[] = [];
  for (const rules of [policy.ingress, policy.egress]) {
    for (const rule of rules) {
      for (const peer of rule.peers ?? []) {
        if (peer.type === 'ipBlock') ipBlocks = true;
        else if (peer.podSelector || peer.namespaceSelector) selectors.push({ ns: peer.namespaceSelector, pods: peer.podSelector });
      }
    }
  }
  peerSummaries.set(policy, (hit = { ipBlocks, selectors, otherNamespaces: selectors.some((p) => p.ns !== undefined) }));
  return hit;
}

/** Whether a policy compiled against the previous table compiles the same against the patched one (see compilePatched). */
/** What changed between the two tables, as stillHolds reads it (see compilePatched). */
interface TableChange {
  readonly ids: readonly number[];
  readonly newClasses: readonly PodClass[];
  readonly table: ClassTable;
  readonly addressed: boolean;
  readonly namespaces: readonly NamespaceChange[];
  /** The namespaces of the changed classes (in either table), and their labels in both. */
  readonly touched: ReadonlySet<string>;
  readonly touchedLabels: readonly Labels[];
}

function stillHolds(cp: CompiledPolicy, change: TableChange): boolean {
  const { ids: changed, newClasses, table, addressed, namespaces, touched } = change;
  const policy = cp.policy;
  // A rejected policy compiles to nothing, whatever the pods.
  if (policy.rejected.length > 0) return true;
  const peers = peerSummary(policy);
  // A namespaceSelector that matched (or now matches) a namespace whose labels changed.
  const matches = (nsSel: LabelSelector, labels: Labels | undefined) => labels !== undefined && selectorMatches(nsSel, labels);
  if (peers.selectors.some(({ ns: nsSel }) => nsSel && namespaces.some((ns) => matches(nsSel, ns.before) || matches(nsSel, ns.after)))) return false;
  // Selected pods and selector peers without a namespaceSelector are pods of the policy's
  // own namespace; a namespaceSelector holds pods of the namespaces it matches; ipBlocks hold
  // other namespaces' pods only by address. An edit elsewhere leaves such a policy as it is,
  // without looking at its sets (most of 10,000 policies).
  if (!(peers.ipBlocks && addressed) && !touched.has(policy.namespace) && !peers.selectors.some((p) => p.ns !== undefined && change.touchedLabels.some((l) => selectorMatches(p.ns!, l)))) return true;
  for (const id of changed) {
    if (sortedHas(cp.selected, id)) return false;
    for (const r of cp.ingress) if (r.classes.has(id)) return false;
    for (const r of cp.egress) if (r.classes.has(id)) return false;
  }
  for (const c of newClasses) if (c.namespace === policy.namespace && selectorMatches(policy.podSelector, c.labels)) return false;
  if (peers.ipBlocks && addressed) return false;
  for (const { ns: nsSel, pods } of peers.selectors) {
    for (const c of newClasses) {
      const inNamespace = nsSel ? selectorMatches(nsSel, table.namespaces.get(c.namespace)?.labels ?? {}) : c.namespace === policy.namespace;
      if (inNamespace && (!pods || selectorMatches(pods, c.labels))) return false;
    }
  }
  return true;
}

function sortedHas(list: readonly number[], id: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid];
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The variant compilation: policies shared with `base` keep their compiled form (and
 * their index, so the class lists keep one order); the others are compiled with indices
 * after base's. Nothing of base is modified.
 */
function compileVariant(ctx: Context, table: ClassTable, policies: readonly NetworkPolicy[], base: CompiledPolicies): CompiledPolicies {
  const forTable = compiledFor(table);
  // In the base: a regular compilation stamps each policy with its position there (a
  // later compilation that moved it would only make a shared policy look like the
  // variant's own: still right, just less shared).
  const inBase = (cp: CompiledPolicy) => base.policies[cp.index] === cp;
  const added: CompiledPolicy[] = [];
  let next = base.policies.length;
  const compiled = policies.map((policy, i) => {
    // Where the variant keeps the base's order, by position; elsewhere by object.
    const aligned = base.policies[i];
    if (aligned !== undefined && aligned.policy === policy) return aligned;
    const known = forTable.get(policy);
    if (known && inBase(known)) return known;
    // Compiled for an earlier variant: the same policy object compiles the same way.
    const cp = known ?? compileOne(ctx, policy, 0);
    if (!known) forTable.set(policy, cp);
    const own = { ...cp, index: next++ };
    added.push(own);
    return own;
  });
  // Shared ones are as many as the base's minus the dropped: when the count says none
  // was dropped, the base need not be walked.
  const shared = compiled.length - added.length;
  const inVariant = shared === base.policies.length ? undefined : new Set(compiled);
  const removed = inVariant ? base.policies.filter((cp) => !inVariant.has(cp)) : [];
  const patch = added.length + removed.length <= PATCH_LIMIT;
  const { ingressOf, egressOf } = patch ? patchClassLists(base, added, removed) : classLists(table.classes.length, [...compiled].sort((a, b) => a.index - b.index));
  const { ingressIpSets, egressIpSets } = patch && !hasIpBlocks(added) && !hasIpBlocks(removed) ? base : ipSetsOf(compiled);
  return { policies: compiled, ingressOf, egressOf, ingressIpSets, egressIpSets, delta: { base, own: added, dropped: removed } };
}

function hasIpBlocks(list: readonly CompiledPolicy[]): boolean {
  return list.some((cp) => cp.ingress.some((r) => r.ips.size > 0) || cp.egress.some((r) => r.ips.size > 0));
}

/**
 * Whether each added compiled policy replaces a removed one of the same policy at the same
 * position, with the same address sets rule by rule: then ipSetsOf would give the list it
 * gave before (verify.ts compares the lists, in order, with a fresh compilation).
 */
function sameAddressesInPlace(added: readonly CompiledPolicy[], removed: readonly CompiledPolicy[]): boolean {
  if (added.length !== removed.length) return false;
  const before = new Map(removed.map((cp) => [cp.policy, cp]));
  const sameSets = (a: readonly CompiledRule[], b: readonly CompiledRule[]) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = [...a[i].ips.values()];
      const y = [...b[i].ips.values()];
      if (x.length !== y.length || x.some((set, j) => !set.equals(y[j]))) return false;
    }
    return true;
  };
  return added.every((cp) => {
    const old = before.get(cp.policy);
    return old !== undefined && old.index === cp.index && sameSets(cp.ingress, old.ingress) && sameSets(cp.egress, old.egress);
  });
}

function ipSetsOf(compiled: readonly CompiledPolicy[]): { ingressIpSets: IpSet[]; egressIpSets: IpSet[] } {
  const ingressIpSets: IpSet[] = [];
  const egressIpSets: IpSet[] = [];
  for (const cp of compiled) {
    for (const r of cp.ingress) for (const set of r.ips.values()) ingressIpSets.push(set);
    for (const r of cp.egress) for (const set of r.ips.values()) egressIpSets.push(set);
  }
  return { ingressIpSets, egressIpSets };
}

/** Beyond this many changed policies, rebuilding the class lists is as cheap as patching. */
const PATCH_LIMIT = 64;

/**
 * The compiled form of each policy object against one table. A whole compilation (a table
 * patched after an edit of the world keeps 10,000 compiled policies) is adopted as a list
 * and indexed only when a lookup needs it (a policy that moved), instead of an entry per
 * policy on every such edit; policies compiled one by one are entered one by one.
 */
class CompiledForTable {
  private readonly own = new WeakMap<NetworkPolicy, CompiledPolicy>();
  private list: readonly CompiledPolicy[] | undefined;
  private index: Map<NetworkPolicy, CompiledPolicy> | undefined;

  get(policy: NetworkPolicy): CompiledPolicy | undefined {
    const hit = this.own.get(policy);
    if (hit !== undefined || this.list === undefined) return hit;
    if (!this.index) {
      this.index = new Map();
      for (const cp of this.list) this.index.set(cp.policy, cp);
    }
    return this.index.get(policy);
  }

  set(policy: NetworkPolicy, cp: CompiledPolicy): void {
    this.own.set(policy, cp);
  }

  /** Every policy of a compilation against this table (the first one made with it; later ones enter theirs one by one). */
  adopt(list: readonly CompiledPolicy[]): void {
    if (this.list === undefined) this.list = list;
    else for (const cp of list) this.own.set(cp.policy, cp);
  }
}

const compiledByTable = new WeakMap<ClassTable, CompiledForTable>();

/** The compiled form of each policy object against this table (valid as long as the classes are the same). */
function compiledFor(table: ClassTable): CompiledForTable {
  let forTable = compiledByTable.get(table);
  if (!forTable) compiledByTable.set(table, (forTable = new CompiledForTable()));
  return forTable;
}

function isolates(cp: CompiledPolicy, direction: 'Ingress' | 'Egress'): boolean {
  return cp.policy.policyTypes.includes(direction) && cp.policy.rejected.length === 0;
}

function classLists(n: number, compiled: readonly CompiledPolicy[]): { ingressOf: CompiledPolicy[][]; egressOf: CompiledPolicy[][] } {
  const ingressOf: CompiledPolicy[][] = Array.from({ length: n }, () => []);
  const egressOf: CompiledPolicy[][] = Array.from({ length: n }, () => []);
  for (const cp of compiled) {
    const ing = isolates(cp, 'Ingress');
    const eg = isolates(cp, 'Egress');
    for (const c of cp.selected) {
      if (ing) ingressOf[c].push(cp);
      if (eg) egressOf[c].push(cp);
    }
  }
  return { ingressOf, egressOf };
}

/** Copy-on-write: only the lists of classes the changed policies select are rebuilt. */
function patchClassLists(
  previous: CompiledPolicies,
  added: readonly CompiledPolicy[],
  removed: readonly CompiledPolicy[],
  /** Ids of another table whose lists were emptied already (compilePatched): a removed policy's entries there are gone. */
  reset?: ReadonlySet<number>,
): { ingressOf: CompiledPolicy[][]; egressOf: CompiledPolicy[][] } {
  const ingressOf = previous.ingressOf.slice() as CompiledPolicy[][];
  const egressOf = previous.egressOf.slice() as CompiledPolicy[][];
  const gone = new Set(removed);
  const touched = new Set<number>();
  for (const cp of added) for (const c of cp.selected) touched.add(c);
  for (const cp of removed) for (const c of cp.selected) if (!reset?.has(c)) touched.add(c);
  for (const c of touched) {
    for (const [lists, direction] of [[ingressOf, 'Ingress'], [egressOf, 'Egress']] as const) {
      const list = lists[c].filter((cp) => !gone.has(cp));
      for (const cp of added) if (isolates(cp, direction) && cp.selected.includes(c)) list.push(cp);
      // Lists stay in policy order, as a full rebuild would give them.
      list.sort((a, b) => a.index - b.index);
      lists[c] = list;
    }
  }
  return { ingressOf, egressOf };
}

function compileOne(ctx: Context, policy: NetworkPolicy, index: number): CompiledPolicy {
  const isIngress = policy.policyTypes.includes('Ingress');
  const isEgress = policy.policyTypes.includes('Egress');
  // The API server would reject it: it isolates nothing and allows nothing.
  if (policy.rejected.length > 0) return { index, policy, selected: [], ingress: [], egress: [] };
  const selected = ctx.podsInNamespace(policy.namespace, policy.podSelector);
  // Rules of a direction missing from policyTypes have no effect.
  const ingress = isIngress ? policy.ingress.map((r) => ctx.compileRule(policy, r, 'Ingress')) : [];
  const egress = isEgress ? policy.egress.map((r) => ctx.compileRule(policy, r, 'Egress')) : [];
  return { index, policy, selected, ingress, egress };
}

/** Resolves a rule's ports against the destination pod class (named ports live there). */
export function resolvePorts(ports: RulePorts, dst: PodClass | undefined): ConnSet {
  if (ports.named.length === 0 || !dst) return ports.fixed;
  let tcp: PortRanges = NO_PORTS;
  let udp: PortRanges = NO_PORTS;
  let sctp: PortRanges = NO_PORTS;
  for (const np of ports.named) {
    for (const cp of dst.ports) {
      if (cp.name !== np.name || cp.protocol !== np.protocol) continue;
      const r = portRange(cp.port);
      if (cp.protocol === 'TCP') tcp = unionPorts(tcp, r);
      else if (cp.protocol === 'UDP') udp = unionPorts(udp, r);
      else sctp = unionPorts(sctp, r);
    }
  }
  return ports.fixed.union(ConnSet.of(tcp, udp, sctp));
}

export class Context {
  private readonly podIndexByNs = new Map<string, LabelIndex>();
  private readonly nsIndex = new LabelIndex();
  private readonly nsNames: string[] = [];
  private readonly universe: number;

  constructor(
    private readonly table: ClassTable,
    private readonly hostNetwork: HostNetworkMode,
    private readonly cni: CniProfile = cniProfile(undefined),
  ) {
    this.universe = table.classes.length;
    for (const [name, ns] of table.namespaces) {
      this.nsIndex.add(this.nsNames.length, ns.labels);
      this.nsNames.push(name);
    }
  }

  private podIndex(ns: string): LabelIndex {
    let idx = this.podIndexByNs.get(ns);
    if (!idx) {
      idx = new LabelIndex();
      for (const id of this.table.byNamespace.get(ns) ?? []) {
        const c = this.table.classes[id];
        if (this.hostNetwork === 'node' && c.hostNetwork) continue;
        idx.add(id, c.labels);
      }
      this.podIndexByNs.set(ns, idx);
    }
    return idx;
  }

  podsInNamespace(ns: string, sel: LabelSelector | undefined): number[] {
    const out: number[] = [];
    const idx = this.podIndex(ns);
    if (!sel) return [...idx.candidates({ matchLabels: {}, matchExpressions: [], valid: true })];
    for (const id of idx.candidates(sel)) if (selectorMatches(sel, this.table.classes[id].labels)) out.push(id);
    return out;
  }

  namespacesMatching(sel: LabelSelector): string[] {
    const out: string[] = [];
    for (const i of this.nsIndex.candidates(sel)) {
      const ns = this.table.namespaces.get(this.nsNames[i]);
      if (ns && selectorMatches(sel, ns.labels)) out.push(ns.name);
    }
    return out;
  }

  peerClasses(policy: NetworkPolicy, peer: Peer): number[] {
    if (peer.type !== 'selector') return [];
    // `{}` as a peer is rejected by the API server; it selects nothing here.
    if (!peer.podSelector && !peer.namespaceSelector) return [];
    const namespaces = peer.namespaceSelector ? this.namespacesMatching(peer.namespaceSelector) : [policy.namespace];
    const out: number[] = [];
    for (const ns of namespaces) out.push(...this.podsInNamespace(ns, peer.podSelector));
    return out;
  }

  /**
   * The classes whose known addresses (status.podIP(s), a hostNetwork pod's hostIP) lie in
   * the set. Pods of unknown address (templates, Pods without status) are never matched.
   */
  classesWithin(set: IpSet): number[] {
    return addressIndex(this.table).within(set);
  }

  /**
   * The classes an ipBlock of a rule of this direction matches by address, as the CNI
   * profile says: pod-network pods per direction, hostNetwork pods (the node's address)
   * when ipBlocks match node addresses.
   */
  ipBlockClasses(set: IpSet, direction: PolicyType): number[] {
    const onPods = direction === 'Ingress' ? this.cni.ipBlockOnPods.ingress : this.cni.ipBlockOnPods.egress;
    const onNodes = this.cni.ipBlockOnNodes;
    if (!onPods && !onNodes) return [];
    return this.classesWithin(set).filter((id) => (this.table.classes[id].hostNetwork ? onNodes : onPods));
  }

  compileRule(policy: NetworkPolicy, rule: PolicyRule, direction: PolicyType): CompiledRule {
    const allPeers = rule.peers === undefined;
    const members = new Set<number>();
    const ips = new Map<IpFamily, IpSet>();
    for (const peer of rule.peers ?? []) {
      if (peer.type === 'ipBlock') {
        const set = ipBlockSet(peer.cidr, peer.except);
        if (set) ips.set(set.family, (ips.get(set.family) ?? IpSet.empty(set.family)).union(set));
        if (set) for (const id of this.ipBlockClasses(set, direction)) members.add(id);
      } else {
        for (const id of this.peerClasses(policy, peer)) members.add(id);
      }
    }
    return {
      rule,
      allPeers,
      classes: new ClassSet([...members].sort((a, b) => a - b), this.universe),
      ips,
      ports: compilePorts(rule, this.cni),
    };
  }
}

/** The classes of known address, sorted by address per family: an ipBlock's pods are a binary search per interval. */
class AddressIndex {
  private readonly byFamily = new Map<IpFamily, { addr: bigint; id: number }[]>();

  constructor(table: ClassTable) {
    for (const c of table.classes) {
      for (const text of c.ips ?? []) {
        const ip = parseIp(text);
        if (!ip) continue;
        let list = this.byFamily.get(ip.family);
        if (!list) this.byFamily.set(ip.family, (list = []));
        list.push({ addr: ip.value, id: c.id });
      }
    }
    for (const list of this.byFamily.values()) list.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.id - b.id));
  }

  within(set: IpSet): number[] {
    const list = this.byFamily.get(set.family);
    if (!list) return [];
    const out = new Set<number>();
    for (const [start, end] of set.intervals()) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid].addr < start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < list.length && list[i].addr <= end; i++) out.add(list[i].id);
    }
    return [...out].sort((a, b) => a - b);
  }
}

const addressIndexes = new WeakMap<ClassTable, AddressIndex>();

/** The classes of known address (status.podIP(s), a hostNetwork pod's hostIP) in the set, whatever the CNI profile. */
export function classesAtAddresses(table: ClassTable, set: IpSet): number[] {
  return addressIndex(table).within(set);
}

/** Built once per class table (the classes of a table never change; a virtual class has no address). */
function addressIndex(table: ClassTable): AddressIndex {
  let idx = addressIndexes.get(table);
  if (!idx) addressIndexes.set(table, (idx = new AddressIndex(table)));
  return idx;
}

/** An ipBlock as an address set; an invalid cidr (rejected by the API server) is nothing. */
export function ipBlockSet(cidrText: string, exceptTexts: readonly string[]): IpSet | undefined {
  const cidr = parseCidr(cidrText);
  if ('error' in cidr) return undefined;
  const excepts = exceptTexts.map((t) => parseCidr(t)).filter((c): c is Cidr => !('error' in c));
  return ipBlockRange(cidr, excepts);
}

/**
 * A rule's ports under the CNI profile: without endPort support a range is its first
 * port alone (the API's note: the policy is "created covering only the port field"),
 * and without SCTP support an SCTP port allows nothing (the pod stays isolated, as the
 * e2e suite's "should properly isolate pods that are selected by a policy allowing
 * SCTP, even if the plugin doesn't support SCTP" expects).
 */
function compilePorts(rule: PolicyRule, cni: CniProfile): RulePorts {
  if (!rule.ports) return ALL_PORTS_RULE;
  let fixed = ConnSet.NONE;
  const named: { name: string; protocol: Protocol }[] = [];
  for (const p of rule.ports) {
    if (p.protocol === 'SCTP' && !cni.sctp) continue;
    if (p.port === undefined) {
      fixed = fixed.union(ConnSet.forProtocol(p.protocol, portRange(1, 65535)));
    } else if (typeof p.port === 'number') {
      // endPort only extends a numeric port; an endPort below port is rejected upstream.
      const end = cni.endPort && p.endPort !== undefined && p.endPort >= p.port ? p.endPort : p.port;
      if (p.port >= 1 && p.port <= 65535) fixed = fixed.union(ConnSet.forProtocol(p.protocol, portRange(p.port, end)));
    } else {
      named.push({ name: p.port, protocol: p.protocol });
    }
  }
  return { fixed, named };
}
