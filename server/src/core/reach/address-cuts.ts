import { parseCidr, parseIp, type IpFamily } from '../base/ip';
import type { ClusterPolicy, Model, NetworkPolicy } from '../model/types';

/**
 * Where the address space is cut: every start and every end + 1 of the ipBlock cidrs and
 * excepts of the NetworkPolicies and of the cluster policies' networks peers, per family,
 * sorted. Two addresses in the same cell (between two cuts) lie in or out of every ipBlock
 * together, so no policy can tell pods of known address apart by it: pods whose addresses
 * fall in the same cells form one class (reach/classes.ts), and 100,000 Pods of a cluster
 * dump, each with an address of its own, are as many classes as their label sets, not
 * 100,000.
 */
export interface AddressCuts {
  readonly v4: readonly bigint[];
  readonly v6: readonly bigint[];
}

export const NO_CUTS: AddressCuts = { v4: [], v6: [] };

type Cut = readonly [IpFamily, bigint];

const cutsOfObject = new WeakMap<NetworkPolicy | ClusterPolicy, readonly Cut[]>();

function rangeCuts(text: string, out: Cut[]): void {
  const c = parseCidr(text);
  if ('error' in c) return;
  out.push([c.family, c.start], [c.family, c.end + 1n]);
}

/** A policy's cuts (read once per policy object: an edit elsewhere does not read it again). */
function policyCuts(p: NetworkPolicy): readonly Cut[] {
  let cuts = cutsOfObject.get(p);
  if (!cuts) {
    const out: Cut[] = [];
    for (const rules of [p.ingress, p.egress]) {
      for (const rule of rules) {
        for (const peer of rule.peers ?? []) {
          if (peer.type !== 'ipBlock') continue;
          rangeCuts(peer.cidr, out);
          for (const e of peer.except) rangeCuts(e, out);
        }
      }
    }
    cutsOfObject.set(p, (cuts = out));
  }
  return cuts;
}

function clusterPolicyCuts(p: ClusterPolicy): readonly Cut[] {
  let cuts = cutsOfObject.get(p);
  if (!cuts) {
    const out: Cut[] = [];
    for (const rules of [p.ingress, p.egress]) for (const rule of rules) for (const peer of rule.peers) if (peer.type === 'networks') for (const c of peer.cidrs) rangeCuts(c, out);
    cutsOfObject.set(p, (cuts = out));
  }
  return cuts;
}

/** The cuts of a model's policies (rejected ones too: a finer cut is never wrong). */
export function addressCuts(model: Pick<Model, 'policies' | 'clusterPolicies'>): AddressCuts {
  const v4 = new Set<bigint>();
  const v6 = new Set<bigint>();
  const add = (cuts: readonly Cut[]) => {
    for (const [family, at] of cuts) (family === 4 ? v4 : v6).add(at);
  };
  for (const p of model.policies) add(policyCuts(p));
  for (const p of model.clusterPolicies ?? []) add(clusterPolicyCuts(p));
  if (v4.size === 0 && v6.size === 0) return NO_CUTS;
  const sorted = (s: Set<bigint>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { v4: sorted(v4), v6: sorted(v6) };
}

export function sameCuts(a: AddressCuts, b: AddressCuts): boolean {
  if (a === b) return true;
  const same = (x: readonly bigint[], y: readonly bigint[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.v4, b.v4) && same(a.v6, b.v6);
}

/** The cell of an address: how many cuts lie at or below it (with its family: `4:3`). Undefined for a text that is no address. */
export function cellOf(cuts: AddressCuts, ip: string): string | undefined {
  const a = parseIp(ip);
  if (!a) return undefined;
  const list = a.family === 4 ? cuts.v4 : cuts.v6;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= a.value) lo = mid + 1;
    else hi = mid;
  }
  return `${a.family}:${lo}`;
}

/**
 * Whether a class table built with some cuts still holds under `cuts`: every class's
 * addresses of one family lie in one cell of them. A table finer than needed is right
 * (its classes are only told apart more than necessary); one whose class the new cuts
 * split is not.
 */
export function cutsHold(classes: readonly { readonly ips?: readonly string[] }[], built: AddressCuts, cuts: AddressCuts): boolean {
  if (sameCuts(built, cuts)) return true;
  // Asked again on each edit while the cuts differ from the table's: the last answer per table.
  const last = lastHold.get(classes);
  if (last && sameCuts(last.cuts, cuts)) return last.holds;
  const holds = noClassSplit(classes, cuts);
  lastHold.set(classes, { cuts, holds });
  return holds;
}

const lastHold = new WeakMap<object, { readonly cuts: AddressCuts; readonly holds: boolean }>();

function noClassSplit(classes: readonly { readonly ips?: readonly string[] }[], cuts: AddressCuts): boolean {
  for (const c of classes) {
    if (!c.ips || c.ips.length < 2) continue;
    const cells = new Map<string, string>();
    for (const ip of c.ips) {
      const cell = cellOf(cuts, ip);
      if (cell === undefined) continue;
      const family = cell.slice(0, cell.indexOf(':'));
      const seen = cells.get(family);
      if (seen === undefined) cells.set(family, cell);
      else if (seen !== cell) return false;
    }
  }
  return true;
}
