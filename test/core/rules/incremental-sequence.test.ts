/**
 * The editor's caches (rule verdicts per policy and world, evidence carried over policy
 * keystrokes, evidenced-flow-blocked's per-flow memo, duplicate-object's replay, unchanged
 * documents keeping their objects while they move) must never show what a fresh analysis
 * would not. A seeded random walk of edits, as a user types them into one workspace, is
 * run without interruption (no other workspace in between, so the carry-over paths are the
 * ones taken); each state's findings are then compared with a fresh workspace's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core';
import type { Finding } from '../../../server/src/core/lint/rule';

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
}

const apps = (s: State) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {environment: ${s.envLabel}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
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
  ports: [{port: ${s.paymentsPort}}]
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
`;
  const checkout = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: checkout, namespace: shop}
spec:
  podSelector: {matchLabels: {app: checkout}}
  policyTypes: [Ingress${s.egress ? ', Egress' : ''}]
${s.egress ? `  egress:\n    - to: [{podSelector: {matchLabels: {app: payments}}}]\n      ports: [{port: ${s.policyPort}}]\n` : ''}`;
  const docs = s.swapped ? [checkout, payments] : [payments, checkout];
  return `${'# moved\n'.repeat(s.comment)}${docs.join('---\n')}`;
};

const extra = (s: State) =>
  s.duplicate ? 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: payments, namespace: shop}\nspec:\n  selector: {matchLabels: {app: payments}}\n  template:\n    metadata: {labels: {app: payments, tier: db}}\n    spec: {containers: [{name: p, image: p}]}\n' : '# nothing here\n';

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
];

const show = (f: Finding) => `${f.rule} ${f.severity} ${f.span.file}:${f.span.start}-${f.span.end} ${f.path} ${f.message}`;

test('a seeded walk of 120 edits in one workspace gives, at every step, the findings of a fresh workspace', () => {
  const r = rng(20261207);
  const s: State = { paymentsPort: 8443, policyPort: 8443, checkoutLabel: 'checkout', comment: 0, swapped: false, duplicate: false, envLabel: 'prod', egress: false };
  const ws = new Workspace();
  let before = files(s);
  ws.applyChange(Object.entries(before).map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
  const states: Record<string, string>[] = [before];
  const seen: string[][] = [ws.snapshot().findings().map(show).sort()];
  for (let i = 0; i < 120; i++) {
    EDITS[Math.floor(r() * EDITS.length)](s, r);
    const after = files(s);
    // Only the files whose text changed are sent, as an editor does.
    const changed = Object.entries(after).filter(([uri, text]) => before[uri] !== text);
    ws.applyChange(changed.map(([uri, text]) => ({ kind: 'open' as const, uri, text })));
    seen.push(ws.snapshot().findings().map(show).sort());
    states.push(after);
    before = after;
  }
  const rules = new Set<string>();
  states.forEach((state, i) => {
    const fresh = new Workspace();
    fresh.applyChange(Object.entries(state).map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
    const expected = fresh.snapshot().findings().map(show).sort();
    assert.deepEqual(seen[i], expected, `step ${i}`);
    for (const f of expected) rules.add(f.split(' ')[0]);
  });
  // The walk reaches the cached paths it is meant to check.
  for (const id of ['evidenced-flow-blocked', 'duplicate-object', 'selector-matches-nothing']) assert.ok(rules.has(id), `the walk never raised ${id}: ${[...rules].join(', ')}`);
});
