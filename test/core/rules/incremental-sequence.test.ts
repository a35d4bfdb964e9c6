/**
 * The editor's caches (rule verdicts per policy and world, evidence carried over policy
 * keystrokes, evidenced-flow-blocked's per-flow memo, duplicate-object's replay, unchanged
 * documents keeping their objects while they move, the class table and compiled policies
 * patched after workload, Service, Ingress and Namespace edits) must never show what a
 * fresh analysis would not. A seeded random walk of edits, as a user types them into one
 * workspace, is run without interruption (no other workspace in between, so the carry-over
 * paths are the ones taken); each state's findings, connections, code lenses and hovers are
 * then compared with a fresh workspace's, and the patched reachability with a fresh build
 * (checkIncremental).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allConnections, endpointName, Workspace, type Snapshot } from '../../../server/src/core';
import type { Finding } from '../../../server/src/core/lint/rule';
import { LineIndex } from '../../../server/src/core/base/span';
import { checkIncremental } from '../../../server/src/core/reach/verify';
import { connectionIndex, connectionsOf } from '../../../server/src/core/reach/lookups';
import { collectEvidence } from '../../../server/src/core/evidence/evidence';
import { evidenceOptionsOf } from '../../../server/src/core/analysis/evidence';
import { DEFAULTS } from '../../../server/src/core/analysis/config';
import type { Evidence } from '../../../server/src/core/evidence/types';

/** What the walk varies; each field picks one of a few variants of a document. */
interface State {
  paymentsPort: number; // the port checkout's env names, and payments' containerPort
  policyPort: number; // the port payments' policy admits
  checkoutLabel: 'checkout' | 'checkout-v2'; // checkout's pod label (the policy's peer names `checkout`)
  comment: number; // a comment line count at the top of policies.yaml: every document there moves
  swapped: boolean; // the two policies in their other order
  duplicate: boolean; // a second definition of payments in extra.yaml
  envLabel: 'prod' | 'staging'; // Namespace shop's environment label
  egress: boolean; // checkout's policy also isolates egress (DNS and payments allowed or not)
  servicePort: number; // Service payments' port (its targetPort is paymentsPort)
  checkoutName: 'checkout' | 'checkout-web'; // a workload rename
  canaryLabel: 'web' | 'web-canary'; // web-canary's pod label: the class it shares with web, or one of its own
  billing: 'none' | 'billing' | 'finance'; // Namespace billing and its worker (a document insert/delete), by team label
  ingress: 'none' | 'payments' | 'web'; // an Ingress routing to a Service
  podIp: boolean; // a Pod with status.podIP inside payments' ipBlock (a class with an address)
  hostNet: boolean; // web-canary runs on the host network
}

const apps = (s: State) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {environment: ${s.envLabel}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${s.checkoutName}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${s.checkoutLabel}}}
  template:
    metadata: {labels: {app: ${s.checkoutLabel}}}
    spec:
      containers:
        - name: checkout
          image: example/checkout:1
          env: [{name: PAYMENTS_URL, value: "http://payments.shop:${s.paymentsPort}/v1"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: payments, namespace: shop}
spec:
  selector: {matchLabels: {app: payments}}
  template:
    metadata: {labels: {app: payments}}
    spec:
      containers: [{name: payments, image: example/payments:1, ports: [{containerPort: ${s.paymentsPort}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: shop}
spec:
  selector: {app: payments}
  ports: [{port: ${s.servicePort}, targetPort: ${s.paymentsPort}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: example/web:1, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-canary, namespace: shop}
spec:
  selector: {matchLabels: {app: ${s.canaryLabel}}}
  template:
    metadata: {labels: {app: ${s.canaryLabel}}}
    spec: {${s.hostNet ? 'hostNetwork: true, ' : ''}containers: [{name: web, image: example/web:2, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

const policies = (s: State) => {
  const payments = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: payments, namespace: shop}
spec:
  podSelector: {matchLabels: {app: payments}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: checkout}}}]
      ports: [{port: ${s.policyPort}}]
    - from: [{ipBlock: {cidr: 10.1.0.0/16}}]
      ports: [{port: ${s.policyPort}}]
    - from: [{namespaceSelector: {matchLabels: {team: billing}}}]
`;
  const web = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]
      ports: [{port: http}]
`;
  const checkout = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: checkout, namespace: shop}
spec:
  podSelector: {matchLabels: {app: checkout}}
  policyTypes: [Ingress${s.egress ? ', Egress' : ''}]
${s.egress ? `  egress:\n    - to: [{podSelector: {matchLabels: {app: payments}}}]\n      ports: [{port: ${s.policyPort}}]\n` : ''}`;
  const docs = s.swapped ? [checkout, payments, web] : [payments, web, checkout];
  return `${'# moved\n'.repeat(s.comment)}${docs.join('---\n')}`;
};

const extra = (s: State) => {
  const docs: string[] = [];
  if (s.duplicate) docs.push('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: payments, namespace: shop}\nspec:\n  selector: {matchLabels: {app: payments}}\n  template:\n    metadata: {labels: {app: payments, tier: db}}\n    spec: {containers: [{name: p, image: p}]}\n');
  if (s.billing !== 'none') {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: billing\n  labels: {team: ${s.billing}, environment: staging}\n`);
    docs.push('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, namespace: billing}\nspec:\n  selector: {matchLabels: {app: worker}}\n  template:\n    metadata: {labels: {app: worker}}\n    spec: {containers: [{name: w, image: w, env: [{name: PAY, value: "http://payments.shop:' + s.servicePort + '"}]}]}\n');
  }
  if (s.ingress !== 'none') {
    const port = s.ingress === 'payments' ? s.servicePort : 80;
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: front, namespace: shop}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: {service: {name: ${s.ingress}, port: {number: ${port}}}}\n`);
  }
  if (s.podIp) docs.push('apiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: shop, labels: {app: probe}}\nspec: {containers: [{name: p, image: p}]}\nstatus: {podIP: 10.1.2.3}\n');
  return docs.length > 0 ? docs.join('---\n') : '# nothing here\n';
};

const files = (s: State): Record<string, string> => ({ 'file:///w/apps.yaml': apps(s), 'file:///w/policies.yaml': policies(s), 'file:///w/extra.yaml': extra(s) });

/** A deterministic generator (mulberry32): the same walk on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDITS: ((s: State, r: () => number) => void)[] = [
  (s, r) => (s.policyPort = [8443, 8080, 9090][Math.floor(r() * 3)]),
  (s, r) => (s.paymentsPort = [8443, 8080][Math.floor(r() * 2)]),
  (s) => (s.checkoutLabel = s.checkoutLabel === 'checkout' ? 'checkout-v2' : 'checkout'),
  (s) => (s.comment = (s.comment + 1) % 3),
  (s) => (s.swapped = !s.swapped),
  (s) => (s.duplicate = !s.duplicate),
  (s) => (s.envLabel = s.envLabel === 'prod' ? 'staging' : 'prod'),
  (s) => (s.egress = !s.egress),
  (s, r) => (s.servicePort = [80, 8443, 9000][Math.floor(r() * 3)]),
  (s) => (s.checkoutName = s.checkoutName === 'checkout' ? 'checkout-web' : 'checkout'),
  (s) => (s.canaryLabel = s.canaryLabel === 'web' ? 'web-canary' : 'web'),
  (s, r) => (s.billing = (['none', 'billing', 'finance'] as const)[Math.floor(r() * 3)]),
  (s, r) => (s.ingress = (['none', 'payments', 'web'] as const)[Math.floor(r() * 3)]),
  (s) => (s.podIp = !s.podIp),
  (s) => (s.hostNet = !s.hostNet),
];

const show = (f: Finding) => `${f.rule} ${f.severity} ${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`;

/**
 * What the surfaces show of a snapshot: its findings, every connection, the code lenses
 * and the hover at the start of every line of every file.
 */
function outputs(snapshot: Snapshot): { findings: string[]; connections: string[]; lenses: string[]; hovers: string[] } {
  const connections = allConnections(snapshot.analysis.reach, { includeSelf: true }).map((c) => `${endpointName(c.src)} -> ${endpointName(c.dst)}: ${c.conn.toString()}`);
  const lenses: string[] = [];
  const hovers: string[] = [];
  const locate = (span: { file: string; start: number }) => ({ uri: span.file, line: new LineIndex(snapshot.text(span.file) ?? '').positionAt(span.start).line });
  for (const uri of snapshot.uris()) {
    for (const l of snapshot.lenses(uri)) lenses.push(`${uri}:${l.span.start} ${l.target.kind} ${l.target.id}: ${l.title}`);
    const text = snapshot.text(uri) ?? '';
    let at = 0;
    for (const line of text.split('\n')) {
      const offset = at + (line.length - line.trimStart().length);
      const h = snapshot.hover(uri, offset, locate);
      if (h) hovers.push(`${uri}:${offset} ${h.span.start}-${h.span.end} ${h.markdown}`);
      at += line.length + 1;
    }
  }
  return { findings: snapshot.findings().map(show).sort(), connections, lenses, hovers };
}

/** Evidence as data, spans resolved (anchored spans are read where the document is now). */
function evidenceText(e: Evidence): string {
  const span = (s: { file: string; start: number; end: number }) => `${s.file}:${s.start}-${s.end}`;
  const end = (x: Evidence['flows'][number]['src']) => (x.type === 'workload' ? `w${x.index}:${x.workload.namespace}/${x.workload.name}` : JSON.stringify(x));
  return JSON.stringify({
    flows: e.flows.map((f) => [end(f.src), end(f.dst), f.protocol, f.port, f.kind, span(f.where), f.what, f.service ?? null]),
    notes: e.notes.map((n) => [n.message, span(n.span), n.unresolved ?? null]),
  });
}

/**
 * The caches the editor keeps across edits of the world, each against what it stands for:
 * the evidence of every option set the surfaces ask (rule, change impact, hover) against a
 * collection that reuses nothing, and each workload's connections (hover, lenses) against
 * the whole connection list's.
 */
function checkCaches(snapshot: Snapshot, step: number): void {
  const { analysis } = snapshot;
  for (const baseline of [{ dns: false }, { dns: true, apiServer: true }, { dns: false, apiServer: false }]) {
    const options = evidenceOptionsOf(DEFAULTS, baseline);
    const kept = snapshot.evidence(baseline);
    assert.equal(evidenceText(kept), evidenceText(collectEvidence(analysis.files, analysis.model, options, 'fresh')), `step ${step}: evidence ${JSON.stringify(baseline)}`);
  }
  const { reach } = analysis;
  const show = (list: readonly { src: Parameters<typeof endpointName>[0]; dst: Parameters<typeof endpointName>[0]; conn: { toString(): string } }[]) => list.map((c) => `${endpointName(c.src)} -> ${endpointName(c.dst)}: ${c.conn.toString()}`);
  // Each workload's lists first (connectionsOf reads the whole index when it exists).
  const one = reach.model.workloads.map((_w, i) => ({ into: show(connectionsOf(reach, i, 'into')), from: show(connectionsOf(reach, i, 'from')) }));
  const whole = connectionIndex(reach);
  one.forEach((lists, i) => {
    assert.deepEqual(lists.into, show(whole.into.get(i) ?? []), `step ${step}: connections into workload ${i}`);
    assert.deepEqual(lists.from, show(whole.from.get(i) ?? []), `step ${step}: connections from workload ${i}`);
  });
}

test('a seeded walk of 160 edits in one workspace gives, at every step, the findings, connections, lenses and hovers of a fresh workspace', () => {
  const r = rng(20261207);
  const s: State = {
    paymentsPort: 8443, policyPort: 8443, checkoutLabel: 'checkout', comment: 0, swapped: false, duplicate: false, envLabel: 'prod', egress: false,
    servicePort: 8443, checkoutName: 'checkout', canaryLabel: 'web', billing: 'none', ingress: 'none', podIp: false, hostNet: false,
  };
  const ws = new Workspace();
  let before = files(s);
  ws.applyChange(Object.entries(before).map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
  const states: Record<string, string>[] = [before];
  const seen = [outputs(ws.snapshot())];
  checkCaches(ws.snapshot(), 0);
  for (let i = 0; i < 160; i++) {
    EDITS[Math.floor(r() * EDITS.length)](s, r);
    const after = files(s);
    // Only the files whose text changed are sent, as an editor does.
    const changed = Object.entries(after).filter(([uri, text]) => before[uri] !== text);
    ws.applyChange(changed.map(([uri, text]) => ({ kind: 'open' as const, uri, text })));
    seen.push(outputs(ws.snapshot()));
    checkCaches(ws.snapshot(), i + 1);
    assert.deepEqual(checkIncremental(ws.snapshot().analysis.reach), [], `step ${i + 1}: the patched reachability differs from a fresh build`);
    states.push(after);
    before = after;
  }
  const rules = new Set<string>();
  states.forEach((state, i) => {
    const fresh = new Workspace();
    fresh.applyChange(Object.entries(state).map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
    const expected = outputs(fresh.snapshot());
    assert.deepEqual(seen[i].findings, expected.findings, `step ${i}: findings`);
    assert.deepEqual(seen[i].connections, expected.connections, `step ${i}: connections`);
    assert.deepEqual(seen[i].lenses, expected.lenses, `step ${i}: lenses`);
    assert.deepEqual(seen[i].hovers, expected.hovers, `step ${i}: hovers`);
    for (const f of expected.findings) rules.add(f.split(' ')[0]);
  });
  // The walk reaches the cached paths it is meant to check.
  for (const id of ['evidenced-flow-blocked', 'duplicate-object', 'selector-matches-nothing', 'ingress-controller-blocked', 'ipblock-covers-pods', 'selects-host-network', 'cross-environment']) {
    assert.ok(rules.has(id), `the walk never raised ${id}: ${[...rules].join(', ')}`);
  }
});
