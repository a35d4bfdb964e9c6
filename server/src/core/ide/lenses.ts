/**
 * Code lenses: one line of reachability facts above each NetworkPolicy and each
 * workload of a file. Counts come from the compiled policies (what a policy selects
 * and admits) and from the connectivity list (who reaches a workload: `netpol reach`).
 */
import type { Analysis } from '../analysis/analyze';
import type { Model, NetworkPolicy, Workload } from '../model/types';
import { ConnSet, isAllPorts, type PortRanges } from '../base/ports';
import { resolvePorts, type CompiledRule } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import type { Span } from '../base/span';
import { clusterPolicyFacts, compiledPolicy, connectionsOf, isolatingPolicies, workloadsOfClasses } from '../reach/lookups';
import type { ClusterPolicy } from '../model/types';

export interface LensTarget {
  /** `ns/name` (`ns/name[Kind]` when two workloads share namespace and name). */
  readonly id: string;
  readonly kind: 'workload' | 'policy' | 'cluster-policy';
}

export interface CodeLensInfo {
  /** Where the lens sits: the start of the object. */
  readonly span: Span;
  readonly title: string;
  readonly target: LensTarget;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lenses of one file, in text order. */
export function codeLenses(analysis: Analysis, file: string): CodeLensInfo[] {
  const { model, reach } = analysis;
  const out: CodeLensInfo[] = [];
  const at = (span: Span): Span => ({ file: span.file, start: span.start, end: span.start });
  const { names, byFile, policiesByFile } = workloadFiles(model);
  for (const p of policiesByFile.get(file) ?? []) {
    out.push({ span: at(p.source!.span), title: policyLensTitle(analysis, p), target: { id: `${p.namespace}/${p.name}`, kind: 'policy' } });
  }
  for (const p of model.clusterPolicies) {
    if (!p.source || p.source.span.file !== file) continue;
    out.push({ span: at(p.source.span), title: clusterPolicyLensTitle(analysis, p), target: { id: p.name, kind: 'cluster-policy' } });
  }
  for (const index of byFile.get(file) ?? []) {
    const w = model.workloads[index];
    const mine = w.sources.filter((s) => s.span.file === file);
    const title = workloadLensTitle(reach, index);
    const id = (names.get(nameOf(w)) ?? 0) > 1 ? `${w.namespace}/${w.name}[${w.kind}]` : `${w.namespace}/${w.name}`;
    for (const src of mine) out.push({ span: at(src.span), title, target: { id, kind: 'workload' } });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

interface FileIndex {
  /** How many workloads share each `ns/name`. */
  readonly names: ReadonlyMap<string, number>;
  /** The workloads (in model order) with a source in each file. */
  readonly byFile: ReadonlyMap<string, readonly number[]>;
  /** The policies (in model order) read from each file. */
  readonly policiesByFile: ReadonlyMap<string, readonly NetworkPolicy[]>;
}

/** Per model: what a file's lenses are about, without a walk over the workspace per file. */
function workloadFiles(model: Model): FileIndex {
  let hit = filesOfModel.get(model);
  if (hit) return hit;
  const names = new Map<string, number>();
  const byFile = new Map<string, number[]>();
  const policiesByFile = new Map<string, NetworkPolicy[]>();
  for (const p of model.policies) {
    if (!p.source) continue;
    const list = policiesByFile.get(p.source.span.file);
    if (list) list.push(p);
    else policiesByFile.set(p.source.span.file, [p]);
  }
  model.workloads.forEach((w, index) => {
    const name = nameOf(w);
    names.set(name, (names.get(name) ?? 0) + 1);
    for (const src of w.sources) {
      const file = src.span.file;
      const list = byFile.get(file);
      if (!list) byFile.set(file, [index]);
      else if (list[list.length - 1] !== index) list.push(index);
    }
  });
  filesOfModel.set(model, (hit = { names, byFile, policiesByFile }));
  return hit;
}

/** `ns/name` of a workload, made once per workload object (an edit keeps the others). */
function nameOf(w: Workload): string {
  let name = workloadNames.get(w);
  if (name === undefined) workloadNames.set(w, (name = `${w.namespace}/${w.name}`));
  return name;
}

const workloadNames = new WeakMap<Workload, string>();

const filesOfModel = new WeakMap<Model, FileIndex>();

/** `reachable from 4 · ingress isolated · egress open`. */
export function workloadLensTitle(reach: Reachability, index: number): string {
  const sources = connectionsOf(reach, index, 'into').length;
  const state = (d: 'Ingress' | 'Egress') => `${d.toLowerCase()} ${isolatingPolicies(reach, index, d).policies.length > 0 ? 'isolated' : 'open'}`;
  return `reachable from ${sources} · ${state('Ingress')} · ${state('Egress')}`;
}

/**
 * `selects 3 workloads · admits 5 sources · 2 ports` (and, for egress, `allows 4
 * destinations · 1 port`): what this policy alone selects, and what its rules' peers
 * match (workloads, the ingress controller, address ranges) on which ports.
 */
export function policyLensTitle(analysis: Analysis, p: NetworkPolicy): string {
  const { reach } = analysis;
  if (p.rejected.length > 0) return 'rejected by the API server: not applied';
  const cp = compiledPolicy(reach, p);
  if (!cp) return 'not analysed';
  const parts = [`selects ${plural(workloadsOfClasses(reach, cp.selected).length, 'workload')}`];
  if (p.policyTypes.includes('Ingress')) {
    if (cp.ingress.length === 0) parts.push('denies all ingress');
    else parts.push(`admits ${peers(reach, cp.ingress, 'source', 'Ingress')}`, ports(reach, cp.ingress, 'Ingress', cp.selected));
  }
  if (p.policyTypes.includes('Egress')) {
    if (cp.egress.length === 0) parts.push('denies all egress');
    else parts.push(`allows ${peers(reach, cp.egress, 'destination', 'Egress')}`, ports(reach, cp.egress, 'Egress', cp.selected));
  }
  return parts.join(' · ');
}

/** `Admin tier, priority 10 · selects 3 workloads in 2 namespaces · decides 5 flows`. */
export function clusterPolicyLensTitle(analysis: Analysis, p: ClusterPolicy): string {
  if (p.rejected.length > 0) return 'rejected by the API server: not applied';
  const facts = clusterPolicyFacts(analysis.reach, p);
  const rank = p.priority === undefined ? `${p.tier} tier, last` : `${p.tier} tier, priority ${p.priority}`;
  const parts = [rank, `selects ${plural(facts.workloads, 'workload')} in ${plural(facts.namespaces, 'namespace')}`];
  if (facts.decides !== undefined) parts.push(`decides ${plural(facts.decides, 'flow')}`);
  return parts.join(' · ');
}

/** Distinct endpoints the rules' peers match, or "all sources"/"all destinations". */
function peers(reach: Reachability, rules: readonly CompiledRule[], noun: string, direction: 'Ingress' | 'Egress'): string {
  if (rules.some((r) => r.allPeers)) return `all ${noun}s`;
  const classes = new Set<number>();
  for (const r of rules) for (const c of r.classes.members) classes.add(c);
  let n = workloadsOfClasses(reach, classes).length;
  if (classes.has(reach.ingressControllerClass)) n++;
  const ranges = direction === 'Ingress' ? reach.sourceRanges : reach.destinationRanges;
  for (const range of ranges) {
    if (rules.some((r) => r.ips.get(range.family)?.containsRange(range.start, range.end))) n++;
  }
  return plural(n, noun);
}

/** Port ranges the rules allow, named ports resolved on the pods they apply to. */
function ports(reach: Reachability, rules: readonly CompiledRule[], direction: 'Ingress' | 'Egress', selected: readonly number[]): string {
  let acc = ConnSet.NONE;
  for (const r of rules) {
    acc = acc.union(r.ports.fixed);
    if (r.ports.named.length === 0) continue;
    // Named ports live on the destination: the selected pods (ingress), the peers (egress).
    const targets = direction === 'Ingress' ? selected : r.allPeers ? reach.table.classes.map((c) => c.id) : r.classes.members;
    for (const c of targets) acc = acc.union(resolvePorts(r.ports, reach.table.classes[c]));
  }
  if (acc.isAll()) return 'all ports';
  const parts: string[] = [];
  let n = 0;
  for (const proto of ['TCP', 'UDP', 'SCTP'] as const) {
    const r: PortRanges = acc.ports(proto);
    if (isAllPorts(r)) parts.push(`all ${proto} ports`);
    else n += r.length / 2;
  }
  if (n > 0 || parts.length === 0) parts.push(plural(n, 'port'));
  return parts.join(' + ');
}
