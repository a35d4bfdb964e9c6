import { sameItems } from '../base/arrays';
import { ConnSet, portRange, PROTOCOLS, type Protocol } from '../base/ports';
import { IpSet, type IpFamily } from '../base/ip';
import type { ClusterPolicy, ClusterRule, PolicyType } from '../model/types';
import { ClassSet } from './class-set';
import type { ClassTable, PodClass } from './classes';
import { Context, ipBlockSet, resolvePorts, type HostNetworkMode, type RulePorts } from './compile';

/**
 * The cluster-level tiers: AdminNetworkPolicy and ClusterNetworkPolicy `tier: Admin`
 * before the NetworkPolicies, BaselineAdminNetworkPolicy and ClusterNetworkPolicy
 * `tier: Baseline` after them (docs/semantics.md, "Cluster-level policies").
 */

export type ClusterVerdict = 'Allow' | 'Deny' | 'Pass';

export interface CompiledClusterRule {
  readonly rule: ClusterRule;
  /** Allow for both Allow (v1alpha1) and Accept (v1alpha2). */
  readonly verdict: ClusterVerdict;
  /** Pods its namespaces/pods peers select, and pods whose status IPs its networks hold. */
  readonly classes: ClassSet;
  /** Its networks peers (egress only). */
  readonly ips: ReadonlyMap<IpFamily, IpSet>;
  readonly ports: RulePorts;
}

export interface CompiledClusterPolicy {
  readonly policy: ClusterPolicy;
  /** Pod classes the subject selects (host-networked pods excluded under --host-network node). */
  readonly subject: readonly number[];
  readonly ingress: readonly CompiledClusterRule[];
  readonly egress: readonly CompiledClusterRule[];
}

export interface CompiledTiers {
  /** Valid cluster policies of each tier, in evaluation order (priority, then name). */
  readonly admin: readonly CompiledClusterPolicy[];
  readonly baseline: readonly CompiledClusterPolicy[];
  /** class id -> the policies of a tier whose subject holds it and that have rules of that direction, in order. */
  readonly adminIngressOf: readonly (readonly CompiledClusterPolicy[])[];
  readonly adminEgressOf: readonly (readonly CompiledClusterPolicy[])[];
  readonly baselineIngressOf: readonly (readonly CompiledClusterPolicy[])[];
  readonly baselineEgressOf: readonly (readonly CompiledClusterPolicy[])[];
  /** Every networks peer's address set (possible destinations: they cut the egress partition). */
  readonly egressIpSets: readonly IpSet[];
  /** No valid cluster policy: the verdicts are the NetworkPolicies' alone. */
  readonly empty: boolean;
}

const NONE_LISTS: readonly (readonly CompiledClusterPolicy[])[] = [];
const NO_POLICIES: readonly CompiledClusterPolicy[] = Object.freeze([]);

/** Without cluster policies: the engine takes its NetworkPolicy-only path everywhere. */
export const NO_TIERS: CompiledTiers = {
  admin: [],
  baseline: [],
  adminIngressOf: NONE_LISTS,
  adminEgressOf: NONE_LISTS,
  baselineIngressOf: NONE_LISTS,
  baselineEgressOf: NONE_LISTS,
  egressIpSets: [],
  empty: true,
};

/**
 * The evaluation order inside a tier: priority (lower first; the baseline policy, which
 * has none, after every ClusterNetworkPolicy of its tier), then name. The API leaves the
 * order of equal priorities to the implementation; the name order is the deterministic
 * tie rule kube-network-policies and Calico use.
 */
export function clusterOrder(a: ClusterPolicy, b: ClusterPolicy): number {
  const pa = a.priority ?? Infinity;
  const pb = b.priority ?? Infinity;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

const compiledByTable = new WeakMap<ClassTable, WeakMap<ClusterPolicy, CompiledClusterPolicy>>();

/**
 * Compiles the cluster policies against the class table. `previous`: the tiers compiled
 * against the same table; when every policy is the same object, they are returned as
 * they are (so the address partition and every list stay the same objects).
 */
export function compileTiers(table: ClassTable, policies: readonly ClusterPolicy[], hostNetwork: HostNetworkMode, previous?: CompiledTiers): CompiledTiers {
  const valid = policies.filter((p) => p.rejected.length === 0);
  if (valid.length === 0) return NO_TIERS;
  let forTable = compiledByTable.get(table);
  if (!forTable) compiledByTable.set(table, (forTable = new WeakMap()));
  let ctx: Context | undefined;
  const compiled = valid.map((p) => {
    let cp = forTable.get(p);
    if (!cp) {
      cp = compileOne((ctx ??= new Context(table, hostNetwork)), table, p);
      forTable.set(p, cp);
    }
    return cp;
  });
  const admin = compiled.filter((c) => c.policy.tier === 'Admin').sort((a, b) => clusterOrder(a.policy, b.policy));
  const baseline = compiled.filter((c) => c.policy.tier === 'Baseline').sort((a, b) => clusterOrder(a.policy, b.policy));
  if (previous && sameItems(previous.admin, admin) && sameItems(previous.baseline, baseline)) return previous;
  const n = table.classes.length;
  const lists = (tier: readonly CompiledClusterPolicy[], direction: 'ingress' | 'egress') => {
    // Most classes have no policy of a tier and direction: they share one empty list.
    const out: (readonly CompiledClusterPolicy[])[] = new Array<readonly CompiledClusterPolicy[]>(n).fill(NO_POLICIES);
    // No implicit isolation: a policy without rules of a direction plays no part in it.
    for (const cp of tier) {
      if (cp[direction].length === 0) continue;
      for (const c of cp.subject) {
        if (out[c] === NO_POLICIES) out[c] = [cp];
        else (out[c] as CompiledClusterPolicy[]).push(cp);
      }
    }
    return out;
  };
  const egressIpSets: IpSet[] = [];
  for (const cp of compiled) for (const r of cp.egress) for (const set of r.ips.values()) egressIpSets.push(set);
  return {
    admin,
    baseline,
    adminIngressOf: lists(admin, 'ingress'),
    adminEgressOf: lists(admin, 'egress'),
    baselineIngressOf: lists(baseline, 'ingress'),
    baselineEgressOf: lists(baseline, 'egress'),
    egressIpSets,
    empty: false,
  };
}

function compileOne(ctx: Context, table: ClassTable, policy: ClusterPolicy): CompiledClusterPolicy {
  const subject = new ClassList(table.classes.length);
  for (const ns of ctx.namespacesMatching(policy.subject.namespaceSelector)) subject.addAll(ctx.podsInNamespace(ns, policy.subject.podSelector));
  const rule = (r: ClusterRule) => compileRule(ctx, table, r);
  return { policy, subject: subject.sorted(), ingress: policy.ingress.map(rule), egress: policy.egress.map(rule) };
}

/**
 * Class ids collected without duplicates, sorted at the end. Cluster peers and subjects
 * are whole namespaces (thousands of classes per rule on a large workspace): a byte per
 * class and one pass beat a Set and a comparator sort, and the ids usually arrive in
 * ascending order already (classes are numbered namespace by namespace).
 */
class ClassList {
  private readonly seen: Uint8Array;
  private readonly ids: number[] = [];
  private ascending = true;

  constructor(universe: number) {
    this.seen = new Uint8Array(universe);
  }

  add(c: number): void {
    if (this.seen[c]) return;
    this.seen[c] = 1;
    const n = this.ids.length;
    if (n > 0 && this.ids[n - 1] > c) this.ascending = false;
    this.ids.push(c);
  }

  addAll(cs: Iterable<number>): void {
    for (const c of cs) this.add(c);
  }

  sorted(): number[] {
    if (this.ascending) return this.ids;
    // Read back from the bytes in id order: one pass over the universe beats a comparator sort of thousands of ids.
    const out: number[] = [];
    const seen = this.seen;
    for (let c = 0; c < seen.length; c++) if (seen[c]) out.push(c);
    return out;
  }
}

function compileRule(ctx: Context, table: ClassTable, rule: ClusterRule): CompiledClusterRule {
  const members = new ClassList(table.classes.length);
  const ips = new Map<IpFamily, IpSet>();
  for (const peer of rule.peers) {
    if (peer.type === 'pods') {
      for (const ns of ctx.namespacesMatching(peer.namespaceSelector)) members.addAll(ctx.podsInNamespace(ns, peer.podSelector));
    } else if (peer.type === 'networks') {
      for (const cidr of peer.cidrs) {
        const set = ipBlockSet(cidr, []);
        if (set) ips.set(set.family, (ips.get(set.family) ?? IpSet.empty(set.family)).union(set));
      }
    }
  }
  // "cluster-internal traffic will be checked against the rule as well": pods whose
  // status IPs a networks peer holds are matched by it (pods of unknown IPs are not).
  for (const set of ips.values()) members.addAll(ctx.classesWithin(set));
  const verdict: ClusterVerdict = rule.action === 'Accept' || rule.action === 'Allow' ? 'Allow' : rule.action === 'Pass' ? 'Pass' : 'Deny';
  return { rule, verdict, classes: new ClassSet(members.sorted(), table.classes.length), ips, ports: compileClusterPorts(rule) };
}

const ALL_PORTS: RulePorts = { fixed: ConnSet.ALL, named: [] };

/**
 * A named port has no protocol in these APIs: it is the destination pod's container port
 * of that name, whatever its protocol (so it is looked up under each protocol).
 */
function compileClusterPorts(rule: ClusterRule): RulePorts {
  if (!rule.ports) return ALL_PORTS;
  let fixed = ConnSet.NONE;
  const named: { name: string; protocol: Protocol }[] = [];
  for (const p of rule.ports) {
    if (p.type === 'range') fixed = fixed.union(ConnSet.forProtocol(p.protocol, portRange(p.start, p.end)));
    else for (const protocol of PROTOCOLS) named.push({ name: p.name, protocol });
  }
  return { fixed, named };
}

/** What one tier did with the connections it was given, for one pod and one peer. */
export interface TierOutcome {
  readonly allowed: ConnSet;
  readonly denied: ConnSet;
  readonly passed: ConnSet;
  /** Matched by no rule of the tier. */
  readonly undecided: ConnSet;
}

/** Called for each rule that decides part of the traffic: the policy, the rule and what it took. */
export type TierVisitor = (policy: CompiledClusterPolicy, rule: CompiledClusterRule, taken: ConnSet) => void;

/**
 * Runs one tier's policies (in order) on `start`: the first rule that matches a
 * connection (protocol and port) decides it; Pass takes it out of the tier (to the
 * next one). `dst`: the destination pod class (named ports resolve there), undefined
 * for an address outside the cluster.
 */
export function walkTier(
  policies: readonly CompiledClusterPolicy[],
  direction: PolicyType,
  matches: (r: CompiledClusterRule) => boolean,
  dst: PodClass | undefined,
  start: ConnSet,
  visit?: TierVisitor,
): TierOutcome {
  let undecided = start;
  let allowed = ConnSet.NONE;
  let denied = ConnSet.NONE;
  let passed = ConnSet.NONE;
  for (const p of policies) {
    for (const r of direction === 'Ingress' ? p.ingress : p.egress) {
      if (undecided.isEmpty()) return { allowed, denied, passed, undecided };
      if (!matches(r)) continue;
      const taken = resolvePorts(r.ports, dst).intersect(undecided);
      if (taken.isEmpty()) continue;
      undecided = undecided.subtract(taken);
      if (r.verdict === 'Allow') allowed = allowed.union(taken);
      else if (r.verdict === 'Deny') denied = denied.union(taken);
      else passed = passed.union(taken);
      visit?.(p, r, taken);
    }
  }
  return { allowed, denied, passed, undecided };
}

/** The NetworkPolicy tier's answer for one pod and peer: undefined when no NetworkPolicy isolates the pod in that direction. */
export type NetworkPolicyTier = () => ConnSet | undefined;

/**
 * One direction's verdict through every tier: Admin, then the NetworkPolicies (final
 * for a pod they isolate), then Baseline, then allow. Pass in the Admin tier goes on to
 * the NetworkPolicies; in the Baseline tier, to the default (allow).
 */
export function tieredVerdict(
  admin: readonly CompiledClusterPolicy[],
  baseline: readonly CompiledClusterPolicy[],
  direction: PolicyType,
  matches: (r: CompiledClusterRule) => boolean,
  dst: PodClass | undefined,
  networkPolicies: NetworkPolicyTier,
): ConnSet {
  const a = admin.length > 0 ? walkTier(admin, direction, matches, dst, ConnSet.ALL) : undefined;
  const rest = a ? a.undecided.union(a.passed) : ConnSet.ALL;
  const allowed = a ? a.allowed : ConnSet.NONE;
  if (rest.isEmpty()) return allowed;
  const np = networkPolicies();
  if (np !== undefined) return allowed.union(rest.intersect(np));
  if (baseline.length === 0) return allowed.union(rest);
  const b = walkTier(baseline, direction, matches, dst, rest);
  return allowed.union(b.allowed).union(b.passed).union(b.undecided);
}

/** The most rules (both tiers, one direction, one class) a memo key holds: one bit each. */
const MEMO_RULES = 20;

interface TierEntry {
  /** The Admin tier's Allow, and what it left to the tiers below (undecided or passed). */
  readonly allowed: ConnSet;
  readonly rest: ConnSet;
  /** The verdict when no NetworkPolicy isolates the class (Baseline, then allow), made on first use. */
  open: ConnSet | undefined;
}

/**
 * tieredVerdict for one direction of many (class, peer) pairs. A tier's walk depends on
 * the peer only through which of the class's rules match it (and, for named ports, on
 * the destination pod class), so it is done once per class and set of matching rules
 * instead of once per pair: the connection listing asks ~10,000 peers per class.
 */
export class TierMemo {
  /** class id -> set of matching rules (a bit each) -> the walk's outcome. */
  private readonly entries: (Map<number, TierEntry> | undefined)[] = [];

  /**
   * `dstFixed`: `dst` is the same for every call with this `c` (the class itself on the
   * ingress side, no pod for an address range). Otherwise the walk is memoised only when
   * no rule names a port (a named port resolves at each destination).
   * `networkPolicies`: what the NetworkPolicies admit when `isolated` (asked only when
   * the Admin tier leaves something to them).
   */
  verdict(
    c: number,
    admin: readonly CompiledClusterPolicy[],
    baseline: readonly CompiledClusterPolicy[],
    direction: PolicyType,
    matches: (r: CompiledClusterRule) => boolean,
    dst: PodClass | undefined,
    dstFixed: boolean,
    isolated: boolean,
    networkPolicies: ConnSet | (() => ConnSet),
  ): ConnSet {
    // No Admin rule, and the NetworkPolicies isolate: theirs is the verdict (Baseline is never consulted).
    if (isolated && admin.length === 0) return npValue(networkPolicies);
    let mask = 0;
    let bit = 1;
    // Isolated: the Baseline tier is never consulted, so its rules are left out of the key.
    for (let k = 0; k < (isolated ? 1 : 2); k++) {
      for (const p of k === 0 ? admin : baseline) {
        for (const r of direction === 'Ingress' ? p.ingress : p.egress) {
          if (bit > 1 << MEMO_RULES || (!dstFixed && r.ports.named.length > 0)) return tieredVerdict(admin, baseline, direction, matches, dst, () => (isolated ? npValue(networkPolicies) : undefined));
          if (matches(r)) mask |= bit;
          bit *= 2;
        }
      }
    }
    let forClass = this.entries[c];
    if (!forClass) this.entries[c] = forClass = new Map();
    let e = forClass.get(mask);
    if (!e) {
      const a = admin.length > 0 ? walkTier(admin, direction, matches, dst, ConnSet.ALL) : undefined;
      e = { allowed: a ? a.allowed : ConnSet.NONE, rest: a ? a.undecided.union(a.passed) : ConnSet.ALL, open: undefined };
      forClass.set(mask, e);
    }
    // As tieredVerdict, from the Admin tier's outcome on.
    const { allowed, rest } = e;
    if (rest.isEmpty()) return allowed;
    if (isolated) return allowed.union(rest.intersect(npValue(networkPolicies)));
    if (e.open === undefined) {
      if (baseline.length === 0) e.open = allowed.union(rest);
      else {
        const b = walkTier(baseline, direction, matches, dst, rest);
        e.open = allowed.union(b.allowed).union(b.passed).union(b.undecided);
      }
    }
    return e.open;
  }
}

function npValue(np: ConnSet | (() => ConnSet)): ConnSet {
  return typeof np === 'function' ? np() : np;
}
