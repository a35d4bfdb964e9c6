/**
 * Connectivity diff between two connection lists (before = netpol-analyzer's ref1/dir1,
 * after = ref2/dir2), with netpol-analyzer's `diff` semantics.
 *
 * Address ranges: each side cuts the address space by its own ipBlocks, so the two
 * lists name different ranges. As netpol-analyzer does, both sides are refined on the
 * common partition (every range boundary of either side), compared cell by cell, and
 * touching cells with the same (before, after) pair towards the same workload are merged
 * back into maximal ranges. Pure: no I/O. Its output formats: ide/formats/diff.ts.
 */
import { ConnSet } from '../base/ports';
import { endpointName, type Connection, type Endpoint } from '../reach/connections';
import type { IpRange } from '../reach/engine';
import { formatIp } from '../base/ip';
import { textLine as safeLine } from '../base/escape';
import type { Protocol } from '../base/ports';
import type { Span } from '../base/span';

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffEntry {
  readonly src: string;
  readonly dst: string;
  readonly kind: DiffKind;
  readonly before: ConnSet;
  readonly after: ConnSet;
  /** after minus before. */
  readonly gained: ConnSet;
  /** before minus after. */
  readonly lost: ConnSet;
  /** netpol-analyzer's `workloads-diff-info` (`workload X added`), '' when none. */
  readonly workloadsInfo: string;
  /** Set by callers that know what Services/Ingresses route to (see the CLI). */
  breaking?: boolean;
  /** Set by callers that know the evidence: the evidenced flows this entry closes (impact/evidence.ts). */
  readonly evidence?: readonly EvidenceMark[];
}

/** A flow the manifests show the application needs, closed by a diff entry (impact/evidence.ts). */
export interface EvidenceMark {
  readonly protocol: Protocol;
  readonly port: number;
  readonly where: Span;
  /** The evidence in words: `env PAYMENTS_URL`. */
  readonly what: string;
}

export interface DiffOptions {
  /**
   * Names (`ns/name[Kind]`) of every workload of each side, also those without
   * connections. Without them, a side's workloads are those its connections name.
   */
  readonly workloads?: { readonly before: Iterable<string>; readonly after: Iterable<string> };
}

const INGRESS_CONTROLLER = '{ingress-controller}';

interface IpSide {
  readonly family: number;
  readonly ranges: { start: bigint; end: bigint; conn: ConnSet }[];
}

/** Every pair whose connections differ, in netpol-analyzer's text order. */
export function diffConnections(before: readonly Connection[], after: readonly Connection[], options: DiffOptions = {}): DiffEntry[] {
  const beforeNames = asSet(options.workloads?.before ?? workloadNames(before));
  const afterNames = asSet(options.workloads?.after ?? workloadNames(after));

  // Non-IP pairs keyed by names; IP pairs grouped by (direction, other endpoint, family).
  const pairs = new Map<string, { src: string; dst: string; before?: ConnSet; after?: ConnSet }>();
  const ipGroups = new Map<string, { srcIsIp: boolean; other: string; family: number; sides: [IpSide, IpSide] }>();
  const add = (list: readonly Connection[], side: 0 | 1) => {
    for (const c of list) {
      if (c.conn.isEmpty()) continue;
      const ip = ipOf(c.src) ?? ipOf(c.dst);
      if (ip) {
        const srcIsIp = c.src.type === 'ip';
        const other = endpointName(srcIsIp ? c.dst : c.src);
        const key = `${srcIsIp ? 'in' : 'out'}\u0000${other}\u0000${ip.family}`;
        let g = ipGroups.get(key);
        if (!g) ipGroups.set(key, (g = { srcIsIp, other, family: ip.family, sides: [{ family: ip.family, ranges: [] }, { family: ip.family, ranges: [] }] }));
        g.sides[side].ranges.push({ start: ip.start, end: ip.end, conn: c.conn });
        continue;
      }
      const src = endpointName(c.src);
      const dst = endpointName(c.dst);
      const key = `${src}\u0000${dst}`;
      let p = pairs.get(key);
      if (!p) pairs.set(key, (p = { src, dst }));
      if (side === 0) p.before = p.before ? p.before.union(c.conn) : c.conn;
      else p.after = p.after ? p.after.union(c.conn) : c.conn;
    }
  };
  add(before, 0);
  add(after, 1);

  const entries: DiffEntry[] = [];
  const push = (src: string, dst: string, b: ConnSet | undefined, a: ConnSet | undefined) => {
    const bb = b ?? ConnSet.NONE;
    const aa = a ?? ConnSet.NONE;
    if (b && a && bb.equals(aa)) return;
    const kind: DiffKind = b && a ? 'changed' : a ? 'added' : 'removed';
    const names = kind === 'added' ? beforeNames : afterNames;
    const lostOrNew = (n: string) => kind !== 'changed' && !n.endsWith('[External]') && n !== INGRESS_CONTROLLER && !names.has(n);
    const who = [src, dst].filter(lostOrNew);
    const workloadsInfo = who.length > 0 ? `workload ${who.join(' and ')} ${kind}` : '';
    entries.push({ src, dst, kind, before: bb, after: aa, gained: aa.subtract(bb), lost: bb.subtract(aa), workloadsInfo });
  };
  for (const p of pairs.values()) push(p.src, p.dst, p.before, p.after);
  for (const g of ipGroups.values()) {
    for (const run of refineAndMerge(g.sides[0], g.sides[1])) {
      const range = `${formatIp(g.family as 4 | 6, run.start)}-${formatIp(g.family as 4 | 6, run.end)}[External]`;
      if (g.srcIsIp) push(range, g.other, run.before, run.after);
      else push(g.other, range, run.before, run.after);
    }
  }
  return sortEntries(entries, entryText);
}

/** A set given as one is used as it is (the editor passes the same names on each edit). */
function asSet(names: Iterable<string>): ReadonlySet<string> {
  return names instanceof Set ? (names as ReadonlySet<string>) : new Set(names);
}

function ipOf(e: Endpoint): IpRange | undefined {
  return e.type === 'ip' ? e.range : undefined;
}

function workloadNames(list: readonly Connection[]): string[] {
  const out: string[] = [];
  for (const c of list) for (const e of [c.src, c.dst]) if (e.type === 'workload') out.push(endpointName(e));
  return out;
}

interface Run {
  start: bigint;
  end: bigint;
  before?: ConnSet;
  after?: ConnSet;
}

/**
 * Cuts both sides' ranges at every boundary of either, pairs the connections of each
 * cell, and merges touching cells whose (before, after) pair is the same.
 */
function refineAndMerge(b: IpSide, a: IpSide): Run[] {
  const cuts = new Set<bigint>();
  for (const s of [b, a]) for (const r of s.ranges) cuts.add(r.start).add(r.end + 1n);
  const points = [...cuts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const lookup = (s: IpSide) => {
    const sorted = [...s.ranges].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
    let i = 0;
    return (start: bigint): ConnSet | undefined => {
      while (i < sorted.length && sorted[i].end < start) i++;
      if (i < sorted.length && sorted[i].start <= start) {
        // Ranges of one side towards one endpoint are disjoint; overlapping ones (from
        // several source lists) are united.
        let conn = sorted[i].conn;
        for (let j = i + 1; j < sorted.length && sorted[j].start <= start; j++) if (sorted[j].end >= start) conn = conn.union(sorted[j].conn);
        return conn;
      }
      return undefined;
    };
  };
  const lb = lookup(b);
  const la = lookup(a);
  const runs: Run[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const start = points[k];
    const end = points[k + 1] - 1n;
    const before = lb(start);
    const after = la(start);
    if (!before && !after) continue;
    const last = runs[runs.length - 1];
    if (last && last.end + 1n === start && same(last.before, before) && same(last.after, after)) last.end = end;
    else runs.push({ start, end, before, after });
  }
  return runs;
}

function same(x: ConnSet | undefined, y: ConnSet | undefined): boolean {
  return x === undefined || y === undefined ? x === y : x.equals(y);
}

/**
 * netpol-analyzer's order: changed, added, removed (each sorted by its formatted line),
 * then the same three groups for lines from the ingress controller.
 */

/** netpol-analyzer's order: changed, added, removed, the ingress controller's last; by text line within. */
export function sortEntries<T extends DiffEntry>(entries: readonly T[], line: (e: T) => string): T[] {
  const rank = (e: T) => (e.src === INGRESS_CONTROLLER ? 3 : 0) + (e.kind === 'changed' ? 0 : e.kind === 'added' ? 1 : 2);
  const keyed = entries.map((e) => ({ e, r: rank(e), l: line(e) }));
  keyed.sort((x, y) => x.r - y.r || (x.l < y.l ? -1 : x.l > y.l ? 1 : 0));
  return keyed.map((k) => k.e);
}

/** One line of the text diff; names from the files made safe for a line (base/escape.ts). */
export function entryText(e: DiffEntry): string {
  const base = `diff-type: ${e.kind}, source: ${safeLine(e.src)}, destination: ${safeLine(e.dst)}, ref1: ${e.before.toString()}, ref2: ${e.after.toString()}`;
  return e.workloadsInfo ? `${base}, workloads-diff-info: ${safeLine(e.workloadsInfo)}` : base;
}
