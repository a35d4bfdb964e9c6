/**
 * "Breaks an evidenced flow": a flow of a change impact that loses a port the manifests
 * show the application needs (evidence/: an address in an env, an exposed Service, a
 * route, an allow annotation), with the place that shows it. The seed problem of issue
 * 21: an upgrade whose new port or label silently blocks traffic. The evidence is the
 * edited workspace's: a flow whose evidence the edit removes too is no longer needed.
 */
import type { Protocol } from '../base/ports';
import type { Evidence, EvidencedFlow } from '../evidence/types';
import { endpointName } from '../reach/connections';
import type { Reachability } from '../reach/engine';
import type { DiffEntry, EvidenceMark } from './diff';

export type { EvidenceMark } from './diff';

const EXTERNAL = '\u0000external';

/** Evidenced flows by the diff's pair names (`ns/name[Kind]`, `{ingress-controller}`; outside the cluster as one key per destination). */
export type EvidenceIndex = ReadonlyMap<string, readonly EvidencedFlow[]>;

const indexes = new WeakMap<Evidence, EvidenceIndex>();

export function evidenceIndex(evidence: Evidence): EvidenceIndex {
  let index = indexes.get(evidence);
  if (index) return index;
  const out = new Map<string, EvidencedFlow[]>();
  for (const f of evidence.flows) {
    if (f.dst.type !== 'workload' || f.kind === 'dns') continue;
    const dst = endpointName({ type: 'workload', index: f.dst.index, workload: f.dst.workload });
    let src: string | undefined;
    if (f.src.type === 'workload') src = endpointName({ type: 'workload', index: f.src.index, workload: f.src.workload });
    else if (f.src.peer === 'ingress-controller') src = '{ingress-controller}';
    else if (f.src.peer === 'external') src = EXTERNAL;
    if (src === undefined) continue;
    const key = `${src}\u0000${dst}`;
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  indexes.set(evidence, (index = out));
  return index;
}

/** The evidenced flows an entry closes: each port it loses that evidence shows is needed (once per port). */
export function evidenceClosedBy(e: DiffEntry, index: EvidenceIndex): EvidenceMark[] {
  if (e.lost.isEmpty()) return [];
  const src = e.src.endsWith('[External]') ? EXTERNAL : e.src;
  const flows = index.get(`${src}\u0000${e.dst}`);
  if (!flows) return [];
  const out: EvidenceMark[] = [];
  const seen = new Set<string>();
  for (const f of flows) {
    // From outside, the clients' addresses are not known: any range that loses the port may be theirs.
    if (!e.lost.allows(f.protocol, f.port)) continue;
    const key = `${f.protocol}/${f.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ protocol: f.protocol, port: f.port, where: f.where, what: f.what });
  }
  return out;
}

/** An evidenced flow open before a change and blocked after it, where no connectivity line shows it (the pods' port or labels moved). */
export interface BrokenEvidence {
  /** `ns/name[Kind]` (the diff's names), `{ingress-controller}`, or `{outside the cluster}`. */
  readonly src: string;
  readonly dst: string;
  /** The port the flow used before the change, when it differs. */
  readonly was?: { readonly protocol: Protocol; readonly port: number };
  readonly mark: EvidenceMark;
}

/**
 * Evidenced flows the change breaks, matched across the change by what shows them (the
 * same env variable, route or annotation from the same workload to the same one), judged
 * on each side's own reachability: open before, blocked after. What the diff lines already
 * mark (`covered`: `src\0dst\0protocol/port`) is left out. Needs both sides' analyses:
 * `netpol diff` has them.
 */
export function evidenceBrokenBy(
  before: { readonly reach: Reachability; readonly evidence: Evidence },
  after: { readonly reach: Reachability; readonly evidence: Evidence },
  covered: ReadonlySet<string>,
): BrokenEvidence[] {
  const identity = (f: EvidencedFlow) => `${sideName(f.src)}\u0000${sideName(f.dst)}\u0000${f.kind}\u0000${f.what}`;
  const openBefore = new Map<string, EvidencedFlow>();
  for (const f of before.evidence.flows) if (f.kind !== 'dns' && isOpen(before.reach, f)) openBefore.set(identity(f), f);
  const out: BrokenEvidence[] = [];
  const seen = new Set<string>();
  for (const f of after.evidence.flows) {
    if (f.kind === 'dns') continue;
    const was = openBefore.get(identity(f));
    if (!was || isOpen(after.reach, f) !== false) continue;
    const src = sideName(f.src);
    const dst = sideName(f.dst);
    const key = `${src}\u0000${dst}\u0000${f.protocol}/${f.port}`;
    if (covered.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push({ src, dst, ...(was.port !== f.port || was.protocol !== f.protocol ? { was: { protocol: was.protocol, port: was.port } } : {}), mark: { protocol: f.protocol, port: f.port, where: f.where, what: f.what } });
  }
  return out;
}

function sideName(e: EvidencedFlow['src']): string {
  if (e.type === 'workload') return endpointName({ type: 'workload', index: e.index, workload: e.workload });
  return e.peer === 'ingress-controller' ? '{ingress-controller}' : `{${e.peer}}`;
}

/** Whether the reachability admits the flow; undefined when its source is not modelled (Prometheus, the control plane). */
function isOpen(reach: Reachability, f: EvidencedFlow): boolean | undefined {
  if (f.dst.type !== 'workload') return undefined;
  const dst = reach.table.workloadClasses[f.dst.index];
  if (f.src.type === 'workload') {
    const src = reach.table.workloadClasses[f.src.index];
    return src.some((s) => dst.some((d) => reach.between(s, d).allows(f.protocol, f.port)));
  }
  if (f.src.peer === 'ingress-controller') return dst.some((d) => reach.between(reach.ingressControllerClass, d).allows(f.protocol, f.port));
  if (f.src.peer === 'external') return dst.some((d) => reach.sourceRanges.some((r) => reach.ingressFromRange(d, r).allows(f.protocol, f.port)));
  return undefined;
}

/** The key evidenceBrokenBy leaves out for each mark of the diff's entries. */
export function coveredByEntries(entries: readonly DiffEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) for (const m of e.evidence ?? []) out.add(`${e.src.endsWith('[External]') ? '{external}' : e.src}\u0000${e.dst}\u0000${m.protocol}/${m.port}`);
  return out;
}
