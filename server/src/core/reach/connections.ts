import { ConnSet, portRange, unionPorts, NO_PORTS, type PortRanges } from '../base/ports';
import { formatIp } from '../base/ip';
import type { Ingress, Workload } from '../model/types';
import { resolvePorts, type CompiledPolicy } from './compile';
import type { IpRange, Reachability } from './engine';
import { selectorMatches } from './selectors';

export type Endpoint =
  | { readonly type: 'workload'; readonly index: number; readonly workload: Workload }
  | { readonly type: 'ip'; readonly range: IpRange }
  | { readonly type: 'ingress-controller' };

export interface Connection {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly conn: ConnSet;
}

export function workloadId(w: Workload): string {
  return `${w.namespace}/${w.name}`;
}

/** netpol-analyzer's endpoint names: `ns/name[Kind]`, `a-b[External]`, `{ingress-controller}`. */
export function endpointName(e: Endpoint): string {
  switch (e.type) {
    case 'workload':
      return `${e.workload.namespace}/${e.workload.name}[${e.workload.kind}]`;
    case 'ip':
      return `${formatIp(e.range.family, e.range.start)}-${formatIp(e.range.family, e.range.end)}[External]`;
    case 'ingress-controller':
      return '{ingress-controller}';
  }
}

/**
 * Workload-to-workload connections (self-pairs included), aggregated from pod
 * classes: a workload whose pods differ gets the union of its classes' connections.
 */
export function workloadConnections(reach: Reachability): Connection[] {
  const { table, model } = reach;
  if (oneClassPerWorkload(reach)) {
    // Each class pair is one workload pair, and no two are the same: the list in visit
    // order, as the aggregation below would give it, without aggregating.
    const out: Connection[] = [];
    reach.forEachClassPair((src, dst, conn) => {
      const ws = table.classes[src].workloads;
      const wd = table.classes[dst].workloads;
      if (ws.length === 1 && wd.length === 1) out.push({ src: wl(reach, ws[0]), dst: wl(reach, wd[0]), conn });
    });
    return out;
  }
  const acc = new Map<number, ConnSet>();
  const n = model.workloads.length;
  reach.forEachClassPair((src, dst, conn) => {
    for (const ws of table.classes[src].workloads) {
      for (const wd of table.classes[dst].workloads) {
        const key = ws * n + wd;
        const prev = acc.get(key);
        acc.set(key, prev ? prev.union(conn) : conn);
      }
    }
  });
  const out: Connection[] = [];
  for (const [key, conn] of acc) {
    const ws = Math.floor(key / n);
    const wd = key % n;
    out.push({ src: wl(reach, ws), dst: wl(reach, wd), conn });
  }
  return out;
}

/** Every workload has one pod class, and every class at most one workload. */
function oneClassPerWorkload(reach: Reachability): boolean {
  const { table } = reach;
  for (const ids of table.workloadClasses) if (ids.length !== 1) return false;
  for (const c of table.classes) if (c.workloads.length > 1) return false;
  return true;
}

/** Connections from external ranges to workloads and from workloads to external ranges. */
export function externalConnections(reach: Reachability): Connection[] {
  const out: Connection[] = [];
  const { model, table } = reach;
  model.workloads.forEach((_w, wi) => {
    const classes = table.workloadClasses[wi];
    for (const range of reach.sourceRanges) {
      let conn = ConnSet.NONE;
      for (const c of classes) conn = conn.union(reach.ingressFromRange(c, range));
      if (!conn.isEmpty()) out.push({ src: { type: 'ip', range }, dst: wl(reach, wi), conn });
    }
    for (const range of reach.destinationRanges) {
      let conn = ConnSet.NONE;
      for (const c of classes) conn = conn.union(reach.egressToRange(c, range));
      if (!conn.isEmpty()) out.push({ src: wl(reach, wi), dst: { type: 'ip', range }, conn });
    }
  });
  return out;
}

/**
 * What the ingress controller can reach through Ingress/Route objects: the backend
 * Service's selected pods, on the target ports those pods declare, TCP only, and only
 * what the NetworkPolicies admit from the controller's pod.
 */
export function ingressControllerConnections(reach: Reachability, only?: ReadonlySet<number>): Connection[] {
  const { table } = reach;
  const out: Connection[] = [];
  for (const [wi, ports] of routedByIngresses(reach)) {
    if (only && !only.has(wi)) continue;
    let allowed = ConnSet.NONE;
    for (const c of table.workloadClasses[wi]) allowed = allowed.union(reach.between(reach.ingressControllerClass, c));
    const conn = allowed.intersect(ConnSet.of(ports, NO_PORTS, NO_PORTS));
    if (!conn.isEmpty()) out.push({ src: { type: 'ingress-controller' }, dst: wl(reach, wi), conn });
  }
  return out;
}

/** workload index -> TCP pod ports some Ingress routes to, in workload order; derived from the world alone, so kept per world. */
const routedByWorld = new WeakMap<object, readonly (readonly [number, PortRanges])[]>();

function routedByIngresses(reach: Reachability): readonly (readonly [number, PortRanges])[] {
  let routed = routedByWorld.get(reach.world);
  if (!routed) {
    const perWorkload = new Map<number, PortRanges>();
    for (const ing of reach.model.ingresses) {
      for (const [wi, ports] of backendTargets(reach, ing)) perWorkload.set(wi, unionPorts(perWorkload.get(wi) ?? NO_PORTS, ports));
    }
    routed = [...perWorkload].sort((a, b) => a[0] - b[0]);
    routedByWorld.set(reach.world, routed);
  }
  return routed;
}

/**
 * The connections of allConnections (self-pairs left out) that touch some workloads:
 * every connection into `inbound` (from workloads, address ranges and the ingress
 * controller) and out of `outbound` (to workloads and address ranges), plus the ingress
 * controller's when `controller`. What a change impact needs when only these endpoints'
 * ingress (inbound) or egress (outbound) sides changed; costs what those endpoints'
 * peers cost, not the whole list. Unsorted.
 */
export function connectionsTouching(reach: Reachability, inbound: ReadonlySet<number>, outbound: ReadonlySet<number>, controller: boolean): Connection[] {
  const { table } = reach;
  const classes = table.classes;
  const n = reach.model.workloads.length;
  const pairs = new Map<number, ConnSet>();
  const add = (ws: number, wd: number, conn: ConnSet) => {
    if (ws === wd || conn.isEmpty()) return;
    const key = ws * n + wd;
    const prev = pairs.get(key);
    pairs.set(key, prev ? prev.union(conn) : conn);
  };
  for (const wd of inbound) {
    for (const cd of table.workloadClasses[wd]) {
      const egress = egressInto(reach, cd);
      // Nothing on cd's ingress side (no NetworkPolicy, no cluster rule): between() is the sources' egress alone.
      const open = reach.compiled.ingressOf[cd].length === 0 && !reach.hasClusterIngress(cd);
      for (const [cs, ing] of admittedSources(reach, cd)) {
        const conn = ing === undefined ? (open ? egress(cs) : reach.between(cs, cd)) : ing.intersect(egress(cs));
        for (const ws of classes[cs].workloads) add(ws, wd, conn);
      }
    }
  }
  for (const ws of outbound) {
    for (const cs of table.workloadClasses[ws]) {
      for (const cd of candidateDestinations(reach, cs)) {
        const wds = classes[cd].workloads.filter((wd) => !inbound.has(wd));
        if (wds.length === 0) continue;
        const conn = reach.between(cs, cd);
        for (const wd of wds) add(ws, wd, conn);
      }
    }
  }
  const out: Connection[] = [];
  for (const [key, conn] of pairs) out.push({ src: wl(reach, Math.floor(key / n)), dst: wl(reach, key % n), conn });
  for (const wi of inbound) {
    for (const range of reach.sourceRanges) {
      let conn = ConnSet.NONE;
      for (const c of table.workloadClasses[wi]) conn = conn.union(reach.ingressFromRange(c, range));
      if (!conn.isEmpty()) out.push({ src: { type: 'ip', range }, dst: wl(reach, wi), conn });
    }
  }
  for (const wi of outbound) {
    for (const range of reach.destinationRanges) {
      let conn = ConnSet.NONE;
      for (const c of table.workloadClasses[wi]) conn = conn.union(reach.egressToRange(c, range));
      if (!conn.isEmpty()) out.push({ src: wl(reach, wi), dst: { type: 'ip', range }, conn });
    }
  }
  for (const c of ingressControllerConnections(reach, controller ? undefined : inbound)) out.push(c);
  return out;
}

/**
 * egressToClass(·, dst) for many sources: what each egress policy lets out to dst is worked
 * out once (a namespace's egress policy selects all its classes), not once per source class.
 */
function egressInto(reach: Reachability, dst: number): (src: number) => ConnSet {
  const d = reach.table.classes[dst];
  const byPolicy = new Map<CompiledPolicy, ConnSet>();
  return (src) => {
    if (reach.hasClusterEgress(src)) return reach.egressToClass(src, dst);
    const policies = reach.compiled.egressOf[src];
    if (policies.length === 0) return ConnSet.ALL;
    let acc = ConnSet.NONE;
    for (const p of policies) {
      let out = byPolicy.get(p);
      if (out === undefined) {
        out = ConnSet.NONE;
        for (const r of p.egress) if (r.allPeers || r.classes.has(dst)) out = out.union(resolvePorts(r.ports, d));
        byPolicy.set(p, out);
      }
      acc = acc.union(out);
    }
    return acc;
  };
}

/**
 * The pod classes that may reach class `dst` on its ingress side: with the ports its
 * rules admit when it is isolated without an all-peers rule (only its rules' peers),
 * every class with `undefined` (between() decides) otherwise.
 */
function admittedSources(reach: Reachability, dst: number): Map<number, ConnSet | undefined> {
  const policies = reach.compiled.ingressOf[dst];
  const out = new Map<number, ConnSet | undefined>();
  const classes = reach.table.classes;
  if (policies.length === 0 || policies.some((p) => p.ingress.some((r) => r.allPeers))) {
    for (const c of classes) if (!c.virtual) out.set(c.id, undefined);
    return out;
  }
  // Isolated: the NetworkPolicies' peers, and what an Admin Allow rule matches (between() decides).
  const tiered = reach.hasClusterIngress(dst);
  if (tiered) for (const c of reach.adminAllowedSources(dst)) if (!classes[c].virtual) out.set(c, undefined);
  for (const p of policies) {
    for (const r of p.ingress) {
      if (r.classes.size === 0) continue;
      const ports = resolvePorts(r.ports, classes[dst]);
      if (ports.isEmpty()) continue;
      for (const src of r.classes.members) {
        if (classes[src].virtual) continue;
        if (tiered) out.set(src, undefined);
        else out.set(src, (out.get(src) ?? ConnSet.NONE).union(ports));
      }
    }
  }
  return out;
}

/** The classes class `src` may reach on its egress side: its rules' peers when isolated without an all-peers rule, every class otherwise. */
function candidateDestinations(reach: Reachability, src: number): Iterable<number> {
  const policies = reach.compiled.egressOf[src];
  const classes = reach.table.classes;
  if (policies.length === 0 || policies.some((p) => p.egress.some((r) => r.allPeers))) return admittingDestinations(reach, src);
  // Isolated: the NetworkPolicies' peers, and what an Admin Allow rule matches.
  const out = new Set<number>();
  if (reach.hasClusterEgress(src)) for (const c of reach.adminAllowedDestinations(src)) if (!classes[c].virtual) out.add(c);
  for (const p of policies) for (const r of p.egress) for (const c of r.classes.members) if (!classes[c].virtual) out.add(c);
  return out;
}

/**
 * The classes whose ingress side may admit class `src`, ascending: those no NetworkPolicy
 * isolates, those a cluster rule decides for, and those selected by a policy with a rule
 * that admits src. Any other is isolated by policies none of which admits src: between()
 * gives nothing there, so a source whose egress is open is not paired with all of them.
 */
function admittingDestinations(reach: Reachability, src: number): number[] {
  const classes = reach.table.classes;
  const admits = new Uint8Array(classes.length);
  for (const p of reach.compiled.policies) {
    if (!p.ingress.some((r) => r.allPeers || r.classes.has(src))) continue;
    for (const c of p.selected) admits[c] = 1;
  }
  const out: number[] = [];
  for (const c of classes) {
    if (c.virtual) continue;
    if (admits[c.id] === 1 || reach.compiled.ingressOf[c.id].length === 0 || reach.hasClusterIngress(c.id)) out.push(c.id);
  }
  return out;
}

/** workload index -> TCP pod ports an Ingress routes to. */
export function backendTargets(reach: Reachability, ing: Ingress): Map<number, PortRanges> {
  const { services, workloadsByNamespace } = reach.index;
  const out = new Map<number, PortRanges>();
  for (const b of ing.backends) {
    const svc = services.get(`${ing.namespace}/${b.service}`);
    if (!svc || !svc.selector) continue;
    // An Ingress backend names a Service port (number or name); a Route's targetPort may
    // also name the Service port's targetPort.
    const svcPorts = b.port === undefined ? svc.ports : svc.ports.filter((p) => p.port === b.port || p.name === b.port || (ing.kind === 'Route' && p.targetPort === b.port));
    const selector = { matchLabels: svc.selector, matchExpressions: [], valid: true };
    for (const wi of workloadsByNamespace.get(svc.namespace) ?? []) {
      const w = reach.model.workloads[wi];
      for (const pod of w.pods) {
        if (!selectorMatches(selector, pod.labels)) continue;
        let ports: PortRanges = out.get(wi) ?? NO_PORTS;
        for (const sp of svcPorts) {
          const target = sp.targetPort ?? sp.port;
          const podPort = typeof target === 'number' ? target : pod.ports.find((cp) => cp.name === target && cp.protocol === 'TCP')?.port;
          // The controller speaks TCP: the pod must declare the port for TCP (as netpol-analyzer does).
          if (podPort !== undefined && pod.ports.some((cp) => cp.port === podPort && cp.protocol === 'TCP')) ports = unionPorts(ports, portRange(podPort));
        }
        if (ports.length > 0) out.set(wi, ports);
      }
    }
  }
  return out;
}

/** All connections, sorted as netpol-analyzer sorts them (by src name, then dst name). */
export function allConnections(reach: Reachability, options: { includeSelf?: boolean } = {}): Connection[] {
  const list: Connection[] = [];
  for (const part of [workloadConnections(reach), externalConnections(reach), ingressControllerConnections(reach)]) {
    for (const c of part) if (options.includeSelf || !(c.src.type === 'workload' && c.dst.type === 'workload' && c.src.index === c.dst.index)) list.push(c);
  }
  return sortConnections(list);
}

/**
 * Sorts by source name, then destination name (Go byte order = UTF-16 order for these
 * ASCII names). Each distinct endpoint is named once and ranked, so the sort compares
 * integers instead of building two strings per connection.
 */
export function sortConnections(list: Connection[]): Connection[] {
  // Each distinct endpoint gets an id in order of first appearance (src before dst):
  // workloads by index, address ranges by bounds (two range objects of equal bounds are
  // one endpoint), the ingress controller.
  const workloadIds: number[] = [];
  const rangeKeys = new Map<IpRange, string>();
  const rangeIds = new Map<string, number>();
  let controllerId = -1;
  const endpoints: Endpoint[] = [];
  const idOf = (e: Endpoint): number => {
    if (e.type === 'workload') {
      let id = workloadIds[e.index];
      if (id === undefined) workloadIds[e.index] = id = endpoints.push(e) - 1;
      return id;
    }
    if (e.type === 'ip') {
      let k = rangeKeys.get(e.range);
      if (k === undefined) rangeKeys.set(e.range, (k = `${e.range.family}:${e.range.start}-${e.range.end}`));
      let id = rangeIds.get(k);
      if (id === undefined) rangeIds.set(k, (id = endpoints.push(e) - 1));
      return id;
    }
    if (controllerId < 0) controllerId = endpoints.push(e) - 1;
    return controllerId;
  };
  const len = list.length;
  const srcIds = new Int32Array(len);
  const dstIds = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    srcIds[i] = idOf(list[i].src);
    dstIds[i] = idOf(list[i].dst);
  }
  // Ranks by name; equal names keep their order of appearance (a stable sort).
  const ranked = endpoints.map((e, id) => ({ id, name: endpointName(e) }));
  ranked.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const n = ranked.length;
  const rank = new Int32Array(n);
  ranked.forEach((r, i) => (rank[r.id] = i));
  // One number per connection, (src rank, dst rank, position) packed so that a plain
  // numeric sort orders by names and keeps equal pairs in list order (a stable sort).
  // Exact while n² · length < 2^53; beyond that, the comparator sort.
  if (n * n * len < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(len);
    for (let i = 0; i < len; i++) keys[i] = (rank[srcIds[i]] * n + rank[dstIds[i]]) * len + i;
    keys.sort();
    const out: Connection[] = new Array<Connection>(len);
    for (let i = 0; i < len; i++) out[i] = list[keys[i] % len];
    return out;
  }
  const keyed = list.map((c, i) => ({ c, r: rank[srcIds[i]] * n + rank[dstIds[i]] }));
  keyed.sort((a, b) => a.r - b.r);
  return keyed.map((k) => k.c);
}

/** One endpoint object per workload, shared by all its connections. */
function wl(reach: Reachability, index: number): Endpoint {
  return reach.index.endpoints[index];
}
