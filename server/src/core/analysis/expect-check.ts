import type { IpFamily } from '../base/ip';
import type { ConnSet, Protocol } from '../base/ports';
import type { Span } from '../base/span';
import { endName } from '../evidence/evidence';
import type { Evidence, EvidencedFlow } from '../evidence/types';
import { explainConnection, findWorkloads, type ExplainEndpoint, type SideExplanation } from '../reach/explain';
import type { IpRange, Reachability } from '../reach/engine';
import type { Analysis } from './analyze';
import type { EndpointSpec, Expectation, ExpectationsFile, ExpectationsProblem } from './expect-file';

/**
 * Checks expectations (expect-file.ts) and evidenced flows with the reachability the
 * rules use: cluster tiers, NetworkPolicies, named ports, hostNetwork. An expectation
 * holds for every pair it names: every pod class on one side with every pod class (or
 * every address range the policies tell apart) on the other. A failure names one pair
 * that fails and the policies and rules that decide it (reach/explain.ts).
 */

export interface ExpectationFailure {
  /** The pair that fails, by name (`shop/web`, `10.0.0.0/8`). */
  readonly from: string;
  readonly to: string;
  /** The port that fails; undefined when the expectation names none. */
  readonly port?: { readonly protocol: Protocol; readonly port: number };
  /** What the policies do: the opposite of the expectation. */
  readonly observed: 'allowed' | 'denied';
  /** What decides it: each isolating policy, admitting rule or tier decision, with its place. */
  readonly reasons: readonly { readonly text: string; readonly span?: Span }[];
  /** Other failing pairs of the same expectation. */
  readonly otherPairs: number;
}

export interface ExpectationResult {
  readonly origin: 'file' | 'evidence';
  readonly verdict: 'allow' | 'deny';
  /** `allow shop/checkout → shop/payments on TCP 8443`. */
  readonly title: string;
  readonly name?: string;
  /** The expectation's allow/deny key, or the evidence's manifest text. */
  readonly span: Span;
  /** The evidence in words (`env PAYMENTS_URL`), for evidenced flows. */
  readonly evidence?: string;
  readonly failure?: ExpectationFailure;
}

export interface ExpectationsReport {
  readonly results: readonly ExpectationResult[];
  /** Expectations that could not be checked (an endpoint that matches nothing): errors of the file. */
  readonly problems: readonly ExpectationsProblem[];
  /** Evidenced flows not judged: their source (Prometheus, the control plane) is not modelled. */
  readonly unjudged: number;
}

type Side =
  | { readonly kind: 'classes'; readonly classes: readonly number[] }
  /** Some address outside the cluster (an exposed Service's clients: which ones no manifest says). */
  | { readonly kind: 'outside' }
  | { readonly kind: 'range'; readonly family: IpFamily; readonly start: bigint; readonly end: bigint; readonly text: string };

interface Check {
  readonly verdict: 'allow' | 'deny';
  readonly from: Side;
  readonly to: Side;
  readonly ports: readonly { readonly protocol: Protocol; readonly port: number }[];
}

export function checkExpectations(analysis: Analysis, file: { readonly path: string; readonly parsed: ExpectationsFile } | undefined, evidence: Evidence | undefined): ExpectationsReport {
  const results: ExpectationResult[] = [];
  const problems: ExpectationsProblem[] = [];
  const { reach } = analysis;
  for (const e of file?.parsed.expectations ?? []) {
    const from = resolve(analysis, e.from, 'from', problems);
    const to = resolve(analysis, e.to, 'to', problems);
    if (!from || !to) continue;
    const failure = judge(reach, { verdict: e.verdict, from, to, ports: e.ports });
    results.push({
      origin: 'file',
      verdict: e.verdict,
      title: `${e.verdict} ${specText(e.from)} → ${specText(e.to)}${portsText(e.ports)}`,
      ...(e.name !== undefined ? { name: e.name } : {}),
      span: { file: file!.path, start: e.range.start, end: e.range.end },
      ...(failure ? { failure } : {}),
    });
  }
  let unjudged = 0;
  for (const flows of groupFlows(evidence?.flows ?? [])) {
    const f = flows[0];
    const from = flowSide(reach, f);
    if (!from || f.dst.type !== 'workload') {
      unjudged++;
      continue;
    }
    const to: Side = { kind: 'classes', classes: reach.table.workloadClasses[f.dst.index] };
    const failure = judge(reach, { verdict: 'allow', from, to, ports: [{ protocol: f.protocol, port: f.port }] });
    results.push({
      origin: 'evidence',
      verdict: 'allow',
      title: `allow ${endName(f.src)} → ${endName(f.dst)} on ${f.protocol} ${f.port}${f.service ? ` (Service ${f.service.namespace}/${f.service.name}:${f.service.port})` : ''}`,
      span: f.where,
      evidence: `${f.what}${flows.length > 1 ? ` and ${flows.length - 1} more` : ''}`,
      ...(failure ? { failure } : {}),
    });
  }
  return { results, problems, unjudged };
}

/** One check per flow (source, destination, port), whatever number of places show it; DNS is egress-blocks-dns's. */
function groupFlows(flows: readonly EvidencedFlow[]): EvidencedFlow[][] {
  const byFlow = new Map<string, EvidencedFlow[]>();
  for (const f of flows) {
    if (f.kind === 'dns') continue;
    const key = `${endName(f.src)}>${endName(f.dst)}>${f.protocol}/${f.port}`;
    const list = byFlow.get(key);
    if (list) list.push(f);
    else byFlow.set(key, [f]);
  }
  return [...byFlow.values()];
}

/** The source of an evidenced flow as the engine knows it; undefined for peers it does not model. */
function flowSide(reach: Reachability, f: EvidencedFlow): Side | undefined {
  if (f.src.type === 'workload') return { kind: 'classes', classes: reach.table.workloadClasses[f.src.index] };
  if (f.src.peer === 'ingress-controller') return { kind: 'classes', classes: [reach.ingressControllerClass] };
  // From outside the cluster: some address must get in (which one the manifests do not say).
  if (f.src.peer === 'external') return { kind: 'outside' };
  return undefined;
}

function resolve(analysis: Analysis, spec: EndpointSpec, side: string, problems: ExpectationsProblem[]): Side | undefined {
  const { model, reach } = analysis;
  const fail = (message: string) => {
    problems.push({ message, start: spec.range.start, end: spec.range.end });
    return undefined;
  };
  if (spec.type === 'cidr') return { kind: 'range', family: spec.family, start: spec.start, end: spec.end, text: spec.text };
  if (spec.type === 'workload') {
    const found = findWorkloads(model.workloads, spec.ref, model.defaultNamespace);
    if (found.length === 0) {
      const assumed = spec.ref.includes('/') ? '' : ` (a name alone is looked up in the default namespace, "${model.defaultNamespace}")`;
      return fail(`${side}: no workload ${spec.ref} in the workspace${assumed}: the expectation cannot be checked. Fix the name, or remove the expectation if the workload is gone.`);
    }
    return { kind: 'classes', classes: [...new Set(found.flatMap((i) => reach.table.workloadClasses[i]))] };
  }
  const classes: number[] = [];
  for (const c of reach.classes) {
    if (c.virtual || c.workloads.length === 0) continue;
    if (spec.namespace !== undefined && c.namespace !== spec.namespace) continue;
    if (spec.namespaceLabels && !matches(spec.namespaceLabels, reach.table.namespaces.get(c.namespace)?.labels ?? {})) continue;
    if (spec.labels && !matches(spec.labels, c.labels)) continue;
    classes.push(c.id);
  }
  if (classes.length === 0) return fail(`${side}: ${specText(spec)} matches no workload in the workspace: the expectation cannot be checked (it would pass whatever the policies say). Fix the selector, or remove the expectation.`);
  return { kind: 'classes', classes };
}

function matches(want: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.keys(want).every((k) => Object.hasOwn(labels, k) && labels[k] === want[k]);
}

/** The first failing pair of a check with what decides it, or undefined when it holds. */
function judge(reach: Reachability, check: Check): ExpectationFailure | undefined {
  let first: { from: ExplainEndpoint; to: ExplainEndpoint; port?: { protocol: Protocol; port: number } } | undefined;
  let failing = 0;
  const visit = (conn: ConnSet, from: () => ExplainEndpoint, to: () => ExplainEndpoint) => {
    const port = failingPort(conn, check);
    if (port === false) return;
    failing++;
    if (!first) first = { from: from(), to: to(), ...(port ? { port } : {}) };
  };
  const { from, to } = check;
  if (from.kind === 'classes' && to.kind === 'classes') {
    for (const s of from.classes) for (const d of to.classes) visit(reach.between(s, d), () => classEndpoint(reach, s), () => classEndpoint(reach, d));
  } else if (from.kind === 'outside' && to.kind === 'classes') {
    // One range of addresses admitted is enough.
    for (const d of to.classes) {
      const admitted = reach.sourceRanges.map((r) => reach.ingressFromRange(d, r));
      const i = Math.max(0, admitted.findIndex((c) => failingPort(c, check) === false));
      const range = reach.sourceRanges[i];
      if (range) visit(admitted[i], () => ({ type: 'ip', range }), () => classEndpoint(reach, d));
    }
  } else if (from.kind === 'range' && to.kind === 'classes') {
    for (const d of to.classes) for (const r of atoms(reach.sourceRanges, from)) visit(reach.ingressFromRange(d, r), () => ({ type: 'ip', range: r }), () => classEndpoint(reach, d));
  } else if (from.kind === 'classes' && to.kind === 'range') {
    for (const s of from.classes) for (const r of atoms(reach.destinationRanges, to)) visit(reach.egressToRange(s, r), () => classEndpoint(reach, s), () => ({ type: 'ip', range: r }));
  }
  if (!first) return undefined;
  const found = first as { from: ExplainEndpoint; to: ExplainEndpoint; port?: { protocol: Protocol; port: number } };
  const observed = check.verdict === 'allow' ? 'denied' : 'allowed';
  // A range the policies do not cut is named as the expectation wrote it.
  const name = (e: ExplainEndpoint, side: Side) => (e.type === 'ip' && side.kind === 'range' && e.range.start === side.start && e.range.end === side.end ? side.text : endpointText(reach, e));
  const names = { from: name(found.from, check.from), to: name(found.to, check.to) };
  let reasons: { text: string; span?: Span }[];
  if (isVirtual(found.from) && found.to.type === 'workload') {
    // The ingress controller is a stand-in pod, no workload to explain: the policies that isolate the destination say it.
    const dst = reach.table.workloadClasses[found.to.index];
    const policies = [...new Set(dst.flatMap((c) => reach.compiled.ingressOf[c]))];
    reasons = policies.map((p) => ({ text: `${p.policy.namespace}/${p.policy.name} isolates the ingress of ${names.to} and does not admit the ingress controller${found.port ? ` on ${found.port.protocol} ${found.port.port}` : ''}`, ...(p.policy.span ? { span: p.policy.span } : {}) }));
  } else {
    const ex = explainConnection(reach, found.from, found.to, found.port);
    reasons = [...sideReasons(ex.egress, names.from, names.to, found.port, observed), ...sideReasons(ex.ingress, names.to, names.from, found.port, observed)];
  }
  return { from: names.from, to: names.to, ...(found.port ? { port: found.port } : {}), observed, reasons, otherPairs: failing - 1 };
}

/** The port on which `conn` contradicts the check; undefined when it fails as a whole (no ports named); false when it holds. */
function failingPort(conn: ConnSet, check: Check): { protocol: Protocol; port: number } | undefined | false {
  if (check.ports.length === 0) return (check.verdict === 'allow' ? conn.isEmpty() : !conn.isEmpty()) ? undefined : false;
  const bad = check.ports.find((p) => conn.allows(p.protocol, p.port) !== (check.verdict === 'allow'));
  return bad ? { protocol: bad.protocol, port: bad.port } : false;
}

/** The ranges the policies tell apart, cut to the expectation's CIDR. */
function atoms(ranges: readonly IpRange[], side: { family: IpFamily; start: bigint; end: bigint }): IpRange[] {
  const out: IpRange[] = [];
  for (const r of ranges) {
    if (r.family !== side.family || r.end < side.start || r.start > side.end) continue;
    out.push({ family: r.family, start: r.start > side.start ? r.start : side.start, end: r.end < side.end ? r.end : side.end });
  }
  return out;
}

const isVirtual = (e: ExplainEndpoint) => e.type === 'workload' && e.index < 0;

function classEndpoint(reach: Reachability, c: number): ExplainEndpoint {
  const w = reach.classes[c].workloads[0];
  // The ingress controller's stand-in has no workload: a negative index marks it (judge explains it apart).
  return w === undefined ? { type: 'workload', index: -1 - c } : { type: 'workload', index: w };
}

function endpointText(reach: Reachability, e: ExplainEndpoint): string {
  if (e.type === 'ip') return e.range.start === e.range.end ? ipText(e.range.family, e.range.start) : `${ipText(e.range.family, e.range.start)}-${ipText(e.range.family, e.range.end)}`;
  if (e.index < 0) return '{ingress controller}';
  const w = reach.model.workloads[e.index];
  return `${w.namespace}/${w.name}`;
}

function ipText(family: IpFamily, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((v >> s) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** What one side contributes to the observed verdict. */
function sideReasons(side: SideExplanation, self: string, other: string, port: { protocol: Protocol; port: number } | undefined, observed: 'allowed' | 'denied'): { text: string; span?: Span }[] {
  if (side.external) return [];
  const dir = side.direction === 'Ingress' ? 'ingress' : 'egress';
  const on = port ? ` on ${port.protocol} ${port.port}` : '';
  const allows = port ? side.allowed.allows(port.protocol, port.port) : !side.allowed.isEmpty();
  const out: { text: string; span?: Span }[] = [];
  if (side.tiers) {
    for (const d of side.tiers.decisions) {
      if (port && !d.conns.allows(port.protocol, port.port)) continue;
      if ((observed === 'denied') !== (d.verdict === 'Deny')) continue;
      out.push({ text: `${d.tier} tier: ${d.policy.kind} ${d.policy.name} ${dir} rule #${d.rule.index + 1}${d.rule.name ? ` "${d.rule.name}"` : ''} ${d.verdict === 'Deny' ? 'denies' : 'allows'} ${other} → ${self}${on}`, ...(d.rule.span ? { span: d.rule.span } : {}) });
    }
    if (out.length > 0) return out;
  }
  if (observed === 'denied') {
    if (allows) return [];
    for (const p of side.policies) {
      const name = `${p.policy.namespace}/${p.policy.name}`;
      const other_ports = p.matchingRules.map((r) => r.ports).filter((c) => !c.isEmpty());
      const text =
        other_ports.length > 0
          ? `${name} isolates the ${dir} of ${self} and admits ${other} only on ${other_ports.map((c) => c.toString()).join(', ')}`
          : `${name} isolates the ${dir} of ${self} and none of its ${dir} rules admits ${other}`;
      out.push({ text, ...(p.span ? { span: p.span } : {}) });
    }
    if (out.length === 0) out.push({ text: `the ${dir} of ${self} is blocked${on}` });
    return out;
  }
  if (!allows) return [];
  if (!side.isolated) return [{ text: `no NetworkPolicy isolates the ${dir} of ${self} (none selects it with policyType ${side.direction}): everything is allowed` }];
  for (const p of side.policies) {
    for (const r of p.matchingRules) {
      if (port ? !r.ports.allows(port.protocol, port.port) : r.ports.isEmpty()) continue;
      out.push({ text: `${dir} rule #${r.rule.index + 1} of ${p.policy.namespace}/${p.policy.name} admits ${other}${on}`, ...(r.span ? { span: r.span } : {}) });
    }
  }
  return out;
}

function specText(spec: EndpointSpec): string {
  if (spec.type === 'workload') return spec.ref;
  if (spec.type === 'cidr') return spec.text;
  const parts: string[] = [];
  if (spec.namespace !== undefined) parts.push(`namespace ${spec.namespace}`);
  if (spec.namespaceLabels) parts.push(`namespaces ${labelsText(spec.namespaceLabels)}`);
  if (spec.labels) parts.push(Object.keys(spec.labels).length === 0 ? 'every pod' : `pods ${labelsText(spec.labels)}`);
  return `{${parts.join(', ')}}`;
}

function labelsText(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels);
  return keys.length === 0 ? '(any)' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}

function portsText(ports: Expectation['ports']): string {
  return ports.length === 0 ? '' : ` on ${ports.map((p) => `${p.protocol} ${p.port}`).join(', ')}`;
}
