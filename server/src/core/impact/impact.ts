/**
 * Change impact: what a change of policies does to connectivity, flow by flow, with the
 * policies and rules responsible for each flow opened or closed. The diff itself is
 * netpol diff's (diffConnections); what differs is how it is computed:
 * - when the two reachabilities share their class table (the baseline is a variant of
 *   the current one, Reachability.withPolicies), only the endpoints whose ingress or
 *   egress side a changed policy selects are visited: an edit of one policy costs what
 *   its pods' peers cost, whatever the size of the workspace;
 * - otherwise (the change touched workloads, namespaces, Services…) the workloads that
 *   differ (changes.ts) and the changed policies' pods are visited on both sides, matched
 *   by name.
 * Who is responsible for each flow's change: attribution.ts.
 * Pure: no I/O.
 */
import type { Analysis } from '../analysis/analyze';
import type { ClusterPolicy, NetworkPolicy } from '../model/types';
import type { ConnSet } from '../base/ports';
import type { CompiledPolicy } from '../reach/compile';
import { connectionsTouching, endpointName } from '../reach/connections';
import type { Reachability } from '../reach/engine';
import { Attribution, indexByName } from './attribution';
import { isBreaking, routedPorts } from './breaking';
import { changedClusterPolicies, changedPolicies, effective, pairChanges, worldChanges } from './changes';
import type { CompiledClusterPolicy } from '../reach/tiers';
import { diffConnections, type DiffEntry } from './diff';
import { evidenceClosedBy, evidenceIndex } from './evidence';
import type { Evidence } from '../evidence/types';
import type { ClusterPolicyChange, ImpactEntry, ImpactReport, PolicyChange } from './types';
import { ClusterAttribution, pairClusterChanges } from './cluster-attribution';

export interface ImpactOptions {
  /** Responsibility is worked out for the first this many entries (the rest only count). Default 500. */
  readonly maxAttributed?: number;
  /** The edited workspace's evidence: entries that close an evidenced flow say so (ImpactEntry.evidence). */
  readonly evidence?: Evidence;
}

export const NO_CHANGE: ImpactReport = { entries: [], policies: [], scoped: true };

/**
 * The impact of going from `before` to `after`. `after` must be the analysis the caller
 * shows (its spans are the editor's); `before` is its baseline, either a variant of
 * after.reach (same table) or an analysis of its own.
 */
export function changeImpact(before: Reachability, after: Analysis, options: ImpactOptions = {}): ImpactReport {
  const afterReach = after.reach;
  const scoped = before.table === afterReach.table;
  const { onlyBefore, onlyAfter } = changedPolicies(before, afterReach, scoped);
  const tiers = changedClusterPolicies(before, afterReach);
  if (onlyBefore.size === 0 && onlyAfter.size === 0 && tiers.onlyBefore.length === 0 && tiers.onlyAfter.length === 0 && scoped) return NO_CHANGE;

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
  // A changed cluster-level policy changes its subjects' sides (no implicit isolation:
  // only the directions it has rules for).
  const markCluster = (reach: Reachability, ins: Set<number>, outs: Set<number>, cp: CompiledClusterPolicy) => {
    const classes = reach.table.classes;
    for (const c of cp.subject) {
      if (cp.ingress.length > 0) for (const w of classes[c].workloads) ins.add(w);
      if (cp.egress.length > 0) {
        if (classes[c].virtual) controller = true;
        for (const w of classes[c].workloads) outs.add(w);
      }
    }
  };
  for (const cp of tiers.onlyAfter) markCluster(afterReach, inbound, outbound, cp);
  for (const cp of tiers.onlyBefore) markCluster(before, beforeIn, beforeOut, cp);
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
  const clusterChanges = pairClusterChanges(tiers.onlyBefore, tiers.onlyAfter);
  const clusterByPolicy = new Map<ClusterPolicy, ClusterPolicyChange>();
  for (const pc of clusterChanges) {
    if (pc.before) clusterByPolicy.set(pc.before, pc);
    if (pc.after) clusterByPolicy.set(pc.after, pc);
  }
  const currentCluster = new Map<string, ClusterPolicy>();
  for (const pc of clusterChanges) if (pc.after) currentCluster.set(pc.key, pc.after);
  const attributeCluster = clusterChanges.length > 0 ? new ClusterAttribution(before, afterReach, new Set(tiers.onlyBefore), new Set(tiers.onlyAfter), currentCluster) : undefined;
  const max = options.maxAttributed ?? 500;
  const evidence = options.evidence ? evidenceIndex(options.evidence) : undefined;
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
    const cluster = attributeCluster && i < max ? attributeCluster.of(e) : [];
    const clusterOpened = new Set<ClusterPolicyChange>();
    const clusterClosed = new Set<ClusterPolicyChange>();
    for (const r of cluster) {
      const pc = clusterByPolicy.get(r.policy);
      if (!pc) continue;
      if (r.role === 'allows' || r.role === 'no-longer-isolates') clusterOpened.add(pc);
      else clusterClosed.add(pc);
    }
    for (const pc of clusterOpened) pc.opened++;
    for (const pc of clusterClosed) pc.closed++;
    return { ...e, breaking: isBreaking(e, routed), external: isExternal(e), responsible, evidence: evidence ? evidenceClosedBy(e, evidence) : [], ...(cluster.length > 0 ? { clusterResponsible: cluster } : {}) };
  });
  return { entries: out, policies, ...(clusterChanges.length > 0 ? { clusterPolicies: clusterChanges } : {}), scoped };
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

