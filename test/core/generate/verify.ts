/**
 * What generated policies must do, checked by the analysis itself on the input plus the
 * output (issue 21 §3): (a) every evidenced flow is allowed, (b) with only the generated
 * policies, nothing beyond the evidence is allowed between workloads, from outside or to
 * outside, (c) `netpol check` warns about nothing in the generated files, (d) generating
 * again adds nothing, (e) the output is the same bytes for the same input in any order.
 */
import assert from 'node:assert/strict';
import { analyzeOnce, type Snapshot } from '../../../server/src/core/workspace';
import { DEFAULTS } from '../../../server/src/core/analysis/config';
import { ConnSet, portRange } from '../../../server/src/core/base/ports';
import { endName } from '../../../server/src/core/evidence/evidence';
import type { EvidencedFlow, FlowEnd } from '../../../server/src/core/evidence/types';
import { generatedStream, type GenerateOptions, type GenerateResult } from '../../../server/src/core/generate/generate';
import type { SourceFile } from '../../../server/src/core/manifest/types';
import type { Reachability } from '../../../server/src/core/reach/engine';

/** The generated files under this folder, so a finding or a policy can be told to be ours. */
export const OUT = 'generated/';

/**
 * Stand-ins for the pods the evidence assumes outside the manifests (the cluster DNS,
 * Prometheus), so the analysis can judge flows to and from them as flows between pods.
 */
const STAND_INS: readonly { readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly file: SourceFile }[] = [
  {
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    file: {
      path: 'stand-ins/dns.yaml',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: stand-in-dns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  containers:
    - name: dns
      image: dns
      ports:
        - containerPort: 53
          protocol: UDP
        - containerPort: 53
          protocol: TCP
`,
    },
  },
  {
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'prometheus' },
    file: {
      path: 'stand-ins/prometheus.yaml',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: stand-in-prometheus
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
spec:
  containers:
    - name: prometheus
      image: prometheus
`,
    },
  },
];

export function generate(files: readonly SourceFile[], options: GenerateOptions = {}): { snapshot: Snapshot; result: GenerateResult; out: SourceFile[] } {
  const snapshot = analyzeOnce(files, DEFAULTS);
  const result = snapshot.generate(options);
  return { snapshot, result, out: result.files.map((f) => ({ path: OUT + f.name, text: f.text })) };
}

export interface Verified {
  readonly policies: number;
  readonly flows: number;
  readonly closed: number;
}

/** Runs (a)–(e) and returns what was checked. */
export function verifyGenerated(files: readonly SourceFile[], options: GenerateOptions = {}, label = 'input'): Verified {
  const { snapshot, result, out } = generate(files, options);
  const evidence = snapshot.evidence();
  const closedAt = new Set(result.notes.filter((n) => n.severity === 'info' && n.span && n.message.startsWith('stays closed')).map((n) => `${n.span!.file}:${n.span!.start}`));
  const policies = result.files.reduce((n, f) => n + f.policies.length, 0);
  const generatedFor = new Set(result.files.flatMap((f) => f.policies.map((p) => p.workload)));

  // (a) reach: on input + output (+ stand-ins), every evidenced flow of a workload we wrote for is allowed, or said to stay closed.
  // A stand-in only where the manifests have no pod of their own.
  const standIns = STAND_INS.filter((x) => !snapshot.analysis.model.workloads.some((w) => w.namespace === x.namespace && w.pods.some((p) => Object.keys(x.labels).every((k) => p.labels[k] === x.labels[k])))).map((x) => x.file);
  const combined = analyzeOnce([...files, ...out, ...standIns], DEFAULTS);
  const reach = combined.analysis.reach;
  const { model } = combined.analysis;
  const indexOf = new Map(model.workloads.map((w, i) => [`${w.namespace}/${w.name}/${w.kind}`, i]));
  const classesOf = (e: FlowEnd): number[] => {
    if (e.type === 'workload') return reach.table.workloadClasses[indexOf.get(`${e.workload.namespace}/${e.workload.name}/${e.workload.kind}`)!];
    if (e.namespace === undefined) return [];
    const labels = e.labels ?? {};
    return (reach.table.byNamespace.get(e.namespace) ?? []).filter((c) => Object.keys(labels).every((k) => reach.classes[c].labels[k] === labels[k]));
  };
  const ours = (e: FlowEnd) => e.type === 'workload' && generatedFor.has(`${e.workload.namespace}/${e.workload.name}`);
  let flows = 0;
  for (const f of evidence.flows) {
    if (!ours(f.src) && !ours(f.dst)) continue;
    if (options.ingressOnly && !ours(f.dst)) continue;
    if (closedAt.has(`${f.where.file}:${f.where.start}`)) continue;
    flows++;
    assert.ok(allowed(reach, f, classesOf), `${label}: ${endName(f.src)} → ${endName(f.dst)} ${f.protocol} ${f.port} (${f.what}) is evidenced but not allowed`);
  }

  // (b) least privilege: what input + output allow is the evidence, or what the existing
  // policies' own rules admit (never edited), nothing else. The second term is the input's
  // policies plus the isolation of ours without their rules.
  const generatedPolicies = model.policies.filter((p) => p.span?.file.startsWith(OUT));
  assert.equal(generatedPolicies.length, policies);
  const existing = reach.withPolicies([...model.policies.filter((p) => !p.span?.file.startsWith(OUT)), ...generatedPolicies.map((p) => ({ ...p, ingress: [], egress: [] }))]);
  const evidenced = new Map<string, ConnSet>();
  const add = (key: string, f: EvidencedFlow) => evidenced.set(key, (evidenced.get(key) ?? ConnSet.NONE).union(ConnSet.forProtocol(f.protocol, portRange(f.port))));
  for (const f of evidence.flows) {
    const src = f.src.type === 'peer' && f.src.peer === 'external' ? ['ext'] : classesOf(f.src);
    const dst = f.dst.type === 'peer' && f.dst.peer === 'external' ? ['ext'] : classesOf(f.dst);
    for (const s of src) for (const d of dst) add(`${s}>${d}`, f);
  }
  const mine = new Set<number>();
  for (const w of generatedFor) for (const [k, i] of indexOf) if (k.startsWith(`${w}/`)) for (const c of reach.table.workloadClasses[i]) mine.add(c);
  const n = reach.classes.length;
  const beyond: string[] = [];
  const name = (c: number | 'ext') => (c === 'ext' ? '{outside}' : reach.classes[c].virtual ? '{ingress controller}' : reach.classes[c].workloads.map((i) => `${model.workloads[i].namespace}/${model.workloads[i].name}`).join('+'));
  const extraOf = (conn: ConnSet, key: string, before: ConnSet) => conn.subtract(evidenced.get(key) ?? ConnSet.NONE).subtract(before);
  for (let s = 0; s < n; s++) {
    for (let d = 0; d < n; d++) {
      if (reach.classes[d].virtual || (!mine.has(s) && !mine.has(d))) continue;
      const extra = extraOf(reach.between(s, d), `${s}>${d}`, existing.between(s, d));
      if (!extra.isEmpty()) beyond.push(`${name(s)} → ${name(d)}: ${extra.toString()}`);
    }
  }
  for (const c of mine) {
    for (const r of reach.sourceRanges) {
      const extra = extraOf(reach.ingressFromRange(c, r), `ext>${c}`, existing.ingressFromRange(c, r));
      if (!extra.isEmpty()) beyond.push(`{outside} → ${name(c)}: ${extra.toString()}`);
    }
    for (const r of reach.destinationRanges) {
      const extra = extraOf(reach.egressToRange(c, r), `${c}>ext`, existing.egressToRange(c, r));
      if (!extra.isEmpty()) beyond.push(`${name(c)} → {outside}: ${extra.toString()}`);
    }
  }
  assert.deepEqual(beyond, [], `${label}: the generated policies allow more than the evidence`);

  // (c) no warning or error of ours on what was written.
  const check = analyzeOnce([...files, ...out], DEFAULTS);
  const findings = check.findings().filter((f) => f.span.file.startsWith(OUT) && (f.severity === 'warning' || f.severity === 'error'));
  assert.deepEqual(findings.map((f) => `${f.span.file} ${f.rule}: ${f.message}`), [], `${label}: findings on the generated files`);

  // (d) idempotence: generating again on input + output adds nothing.
  const again = generate([...files, ...out], options).result;
  assert.deepEqual(again.files.map((f) => f.name), [], `${label}: generating again adds policies`);

  // (e) determinism: the same bytes, from a fresh analysis and from the files in reverse order.
  const text = generatedStream(result);
  assert.equal(generatedStream(generate(files, options).result), text, `${label}: a second run differs`);
  assert.equal(generatedStream(generate([...files].reverse(), options).result), text, `${label}: the file order changes the output`);
  return { policies, flows, closed: closedAt.size };
}

function allowed(reach: Reachability, f: EvidencedFlow, classesOf: (e: FlowEnd) => number[]): boolean {
  const ext = (e: FlowEnd) => e.type === 'peer' && e.peer === 'external';
  if (ext(f.src)) return classesOf(f.dst).every((d) => reach.sourceRanges.some((r) => reach.ingressFromRange(d, r).allows(f.protocol, f.port)));
  if (ext(f.dst)) return classesOf(f.src).every((s) => reach.destinationRanges.some((r) => reach.egressToRange(s, r).allows(f.protocol, f.port)));
  // The API server is at addresses no manifest says: allowed only if every address is.
  if (f.dst.type === 'peer' && f.dst.peer === 'control-plane') return classesOf(f.src).every((s) => reach.destinationRanges.every((r) => reach.egressToRange(s, r).allows(f.protocol, f.port)));
  const src = classesOf(f.src);
  const dst = classesOf(f.dst);
  if (src.length === 0 || dst.length === 0) return false;
  return src.every((s) => dst.every((d) => reach.between(s, d).allows(f.protocol, f.port)));
}
