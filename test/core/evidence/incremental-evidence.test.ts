/**
 * The evidence the editor keeps across edits (each workload's part reused while what it
 * read is the same: evidence/evidence.ts) must equal a collection that reuses nothing, after
 * every edit of a seeded walk that moves workloads (their indices shift), edits ConfigMaps
 * an env reads, Services an address names in another namespace, a headless Service, the
 * RBAC that makes a pod call the API server, the cluster DNS Service and allow annotations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/core';
import { collectEvidence } from '../../../server/src/core/evidence/evidence';
import { evidenceOptionsOf } from '../../../server/src/core/analysis/evidence';
import { DEFAULTS } from '../../../server/src/core/analysis/config';
import type { Evidence } from '../../../server/src/core/evidence/types';

interface State {
  front: number; // workloads inserted before every other (indices shift)
  cmValue: 'orders' | 'orders.backend' | 'nowhere'; // the ConfigMap value checkout reads (envFrom)
  keyRef: 'ORDERS_HOST' | 'OTHER'; // the key its keyRef names
  ordersPort: 8080 | 9090; // Service orders' port in namespace backend
  ordersLabel: 'orders' | 'orders-v2'; // the orders pods' label (the Service selects `orders`)
  headless: boolean; // Service db is headless
  binding: boolean; // a RoleBinding binds checkout's ServiceAccount
  automount: boolean | undefined; // the ServiceAccount's automountServiceAccountToken
  dnsService: boolean; // kube-system/kube-dns is in the workspace
  intent: 'none' | 'from-web' | 'to-orders' | 'bad'; // checkout's allow annotation
  ordersNs: 'backend' | 'shop'; // where orders lives
}

const front = (s: State) =>
  Array.from({ length: s.front }, (_, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: front-${i}, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: front-${i}}}\n    spec: {containers: [{name: f, image: f, env: [{name: API_URL, value: "http://orders.${s.ordersNs}:${s.ordersPort}"}]}]}\n`).join('---\n') || '# none\n';

const apps = (s: State) => {
  const annotation =
    s.intent === 'none' ? '' : s.intent === 'from-web' ? `\n  annotations: {netpol.studio/allow-from: "web:8080; the web tier calls it"}` : s.intent === 'to-orders' ? `\n  annotations: {netpol.studio/allow-to: "${s.ordersNs}/orders; orders API"}` : `\n  annotations: {netpol.studio/allow-to: "orders"}`;
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: checkout-config, namespace: shop}
data:
  ORDERS_HOST: ${s.cmValue}
  ORDERS_PORT: "${s.ordersPort}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop${annotation}
spec:
  template:
    metadata: {labels: {app: checkout}}
    spec:
      serviceAccountName: checkout
      containers:
        - name: c
          image: c
          ports: [{containerPort: 8080}]
          envFrom: [{configMapRef: {name: checkout-config}}]
          env: [{name: ORDERS, valueFrom: {configMapKeyRef: {name: checkout-config, key: ${s.keyRef}}}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: w, image: w, ports: [{containerPort: 8080}], command: [sh, -c, "nc -z checkout 8080"]}]}
---
apiVersion: v1
kind: Service
metadata: {name: checkout, namespace: shop}
spec: {selector: {app: checkout}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: checkout, namespace: shop}
${s.automount === undefined ? '' : `automountServiceAccountToken: ${s.automount}\n`}${s.binding ? '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: checkout-reader, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\nsubjects: [{kind: ServiceAccount, name: checkout}]\n' : ''}`;
};

const backend = (s: State) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: ${s.ordersNs}}
spec:
  template:
    metadata: {labels: {app: ${s.ordersLabel}}}
    spec: {containers: [{name: o, image: o, ports: [{containerPort: ${s.ordersPort}, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: ${s.ordersNs}}
spec: {selector: {app: orders}, ports: [{port: ${s.ordersPort}, targetPort: http}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: backend}
spec:
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: d, image: d, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: backend}
spec: {${s.headless ? 'clusterIP: None, ' : ''}selector: {app: db}, ports: [{port: 5432}]}
${s.dnsService ? '---\napiVersion: v1\nkind: Service\nmetadata: {name: kube-dns, namespace: kube-system}\nspec: {selector: {k8s-app: kube-dns}, ports: [{port: 53, protocol: UDP, targetPort: 53}]}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: coredns, namespace: kube-system}\nspec:\n  template:\n    metadata: {labels: {k8s-app: kube-dns}}\n    spec: {containers: [{name: d, image: d, ports: [{containerPort: 53, protocol: UDP}]}]}\n' : ''}`;

const files = (s: State): Record<string, string> => ({ 'file:///e/0-front.yaml': front(s), 'file:///e/apps.yaml': apps(s), 'file:///e/backend.yaml': backend(s) });

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

const EDITS: ((s: State, r: () => number) => void)[] = [
  (s, r) => (s.front = pick(r, [0, 1, 2])),
  (s, r) => (s.cmValue = pick(r, ['orders', 'orders.backend', 'nowhere'] as const)),
  (s) => (s.keyRef = s.keyRef === 'ORDERS_HOST' ? 'OTHER' : 'ORDERS_HOST'),
  (s) => (s.ordersPort = s.ordersPort === 8080 ? 9090 : 8080),
  (s) => (s.ordersLabel = s.ordersLabel === 'orders' ? 'orders-v2' : 'orders'),
  (s) => (s.headless = !s.headless),
  (s) => (s.binding = !s.binding),
  (s, r) => (s.automount = pick(r, [undefined, true, false])),
  (s) => (s.dnsService = !s.dnsService),
  (s, r) => (s.intent = pick(r, ['none', 'from-web', 'to-orders', 'bad'] as const)),
  (s) => (s.ordersNs = s.ordersNs === 'backend' ? 'shop' : 'backend'),
];

function evidenceText(e: Evidence): string {
  const span = (s: { file: string; start: number; end: number }) => `${s.file}:${s.start}-${s.end}`;
  const end = (x: Evidence['flows'][number]['src']) => (x.type === 'workload' ? `w${x.index}:${x.workload.namespace}/${x.workload.name}` : JSON.stringify(x));
  return JSON.stringify({
    flows: e.flows.map((f) => [end(f.src), end(f.dst), f.protocol, f.port, f.kind, span(f.where), f.what, f.service ?? null]),
    notes: e.notes.map((n) => [n.message, span(n.span), n.unresolved ?? null]),
  });
}

test('evidence kept across a seeded walk of 120 edits of the world equals a collection that reuses nothing, for every option set', () => {
  const r = rng(15);
  const s: State = { front: 1, cmValue: 'orders', keyRef: 'ORDERS_HOST', ordersPort: 8080, ordersLabel: 'orders', headless: true, binding: true, automount: undefined, dnsService: true, intent: 'from-web', ordersNs: 'backend' };
  const ws = new Workspace();
  let before = files(s);
  ws.applyChange(Object.entries(before).map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
  const kinds = new Set<string>();
  for (let i = 0; i <= 120; i++) {
    if (i > 0) {
      EDITS[Math.floor(r() * EDITS.length)](s, r);
      const after = files(s);
      ws.applyChange(Object.entries(after).filter(([uri, text]) => before[uri] !== text).map(([uri, text]) => ({ kind: 'open' as const, uri, text })));
      before = after;
    }
    const snapshot = ws.snapshot();
    // The rule's evidence first (as a run of the rules asks it), then the others.
    snapshot.findings();
    for (const baseline of [{ dns: false }, { dns: true, apiServer: true }, { dns: false, apiServer: false }]) {
      const kept = snapshot.evidence(baseline);
      const { files: loaded, model } = snapshot.analysis;
      assert.equal(evidenceText(kept), evidenceText(collectEvidence(loaded, model, evidenceOptionsOf(DEFAULTS, baseline), 'fresh')), `step ${i}: evidence ${JSON.stringify(baseline)}`);
      for (const f of kept.flows) kinds.add(f.kind);
    }
  }
  // The walk reaches every part a workload's evidence has.
  for (const kind of ['address', 'headless', 'annotation', 'dns', 'api-access']) assert.ok(kinds.has(kind), `the walk never showed a ${kind} flow: ${[...kinds].join(', ')}`);
});
