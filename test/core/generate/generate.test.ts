import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { APPS } from '../../evidence-apps/ground-truth';
import { yamlFiles } from '../../helpers/evidence';
import { ROOT } from '../../helpers/paths';
import type { SourceFile } from '../../../server/src/core/manifest/types';
import { generate, verifyGenerated } from './verify';

const lines: string[] = [];

for (const app of APPS) {
  test(`generate on ${app.name}: every evidenced flow allowed, nothing else, no warning, idempotent, deterministic`, () => {
    const files = yamlFiles(join(ROOT, app.dir), app.only).map((f) => ({ path: `${app.dir}/${f.path}`, text: f.text }));
    const v = verifyGenerated(files, {}, app.name);
    assert.ok(v.policies > 0, `${app.name}: no policy generated`);
    lines.push(`${app.name}: ${v.policies} policies, ${v.flows} evidenced flows allowed, ${v.closed} closed and listed`);
  });
}

test('generate on examples/ (existing policies, several namespaces, the cluster DNS and ingress controller in the files)', () => {
  const files = yamlFiles(join(ROOT, 'examples')).map((f) => ({ path: `examples/${f.path}`, text: f.text }));
  const v = verifyGenerated(files, {}, 'examples');
  assert.ok(v.policies >= 4);
  const ingressOnly = verifyGenerated(files, { ingressOnly: true }, 'examples --ingress-only');
  assert.ok(ingressOnly.policies >= 1);
  const shop = verifyGenerated(files, { namespaces: ['shop'] }, 'examples --namespace shop');
  assert.ok(shop.policies >= 1 && shop.policies < v.policies);
  lines.push(`examples: ${v.policies} policies, ${v.flows} evidenced flows allowed`);
});

test('generate: report', () => {
  process.stdout.write(`${lines.join('\n')}\n`);
});

// ---- the shape of what is written

const shop = (extra = ''): SourceFile[] => [
  {
    path: 'shop.yaml',
    text: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
        pod-template-hash: abc
    spec:
      containers:
        - name: web
          image: web
          ports:
            - containerPort: 8080
          env:
            - name: API_URL
              value: http://api.shop:80/v1
            - name: PAYMENTS_URL
              value: http://payments.billing.svc:8443
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
        tier: back
    spec:
      containers:
        - name: api
          image: api
          ports:
            - containerPort: 9090
              name: http
          env:
            - name: LEDGER_HOST
              value: ledger.finance.svc.cluster.local:7000
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: finance
spec:
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
        - name: ledger
          image: ledger
          ports:
            - containerPort: 7000
---
apiVersion: v1
kind: Service
metadata:
  name: ledger
  namespace: finance
spec:
  selector:
    app: ledger
  ports:
    - port: 7000
${extra}`,
  },
];

test('generate: one policy per workload, narrowed selector, exact ports, peers of other namespaces in one item, DNS, evidence comments and annotation', () => {
  const { result } = generate(shop());
  assert.deepEqual(result.files.map((f) => f.name), ['finance-netpol.yaml', 'shop-netpol.yaml']);
  const web = result.files[1].policies.find((p) => p.workload === 'shop/web')!;
  assert.equal(
    web.text,
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-least-privilege
  namespace: shop
  annotations:
    netpol.studio/evidence: |-
      ingress[0]: Service shop/web type LoadBalancer (shop.yaml:39)
      egress[0]: env API_URL (shop.yaml:29)
      egress[1]: baseline: DNS (shop.yaml:6)
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
    - Egress
  ingress:
    # shop.yaml:39 Service shop/web type LoadBalancer
    - from:
        - ipBlock:
            # netpol-disable-next-line allow-all-cidr -- Service shop/web type LoadBalancer: exposed outside the cluster
            cidr: 0.0.0.0/0
      ports:
        - port: 8080
          protocol: TCP
  egress:
    # shop.yaml:29 env API_URL
    - to:
        - podSelector:
            matchLabels:
              app: api
      ports:
        - port: 9090
          protocol: TCP
    # shop.yaml:6 baseline: DNS
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: TCP
        - port: 53
          protocol: UDP
`,
  );
  const api = result.files[1].policies.find((p) => p.workload === 'shop/api')!;
  assert.match(api.text, / {4}- to:\n {8}- namespaceSelector:\n {12}matchLabels:\n {14}kubernetes\.io\/metadata\.name: finance\n {10}podSelector:\n {12}matchLabels:\n {14}app: ledger\n {6}ports:\n {8}- port: 7000\n/);
  assert.match(api.text, / {4}- from:\n {8}- podSelector:\n {12}matchLabels:\n {14}app: web\n {6}ports:\n {8}- port: 9090\n/);
  // The reference to a Service that is not in the files stays closed, with the annotation that would declare it.
  const closed = result.notes.filter((n) => n.severity === 'info');
  assert.equal(closed.length, 1);
  assert.match(closed[0].message, /^stays closed: shop\/web → billing\/payments:8443: .*netpol\.studio\/allow-to: "billing\/payments:8443; <reason>"/);
  assert.equal(closed[0].span?.file, 'shop.yaml');
});

test('generate: --ingress-only writes Ingress policies; --namespace keeps to its namespaces', () => {
  const { result } = generate(shop(), { ingressOnly: true, namespaces: ['finance'] });
  assert.deepEqual(result.files.map((f) => f.name), ['finance-netpol.yaml']);
  const [p] = result.files[0].policies;
  assert.deepEqual(p.policyTypes, ['Ingress']);
  assert.doesNotMatch(p.text, /egress|Egress/);
  assert.match(p.text, /kubernetes\.io\/metadata\.name: shop\n {10}podSelector:\n {12}matchLabels:\n {14}app: api\n/);
});

test('generate: a selector is narrowed to the labels that tell a workload apart from its neighbours', () => {
  const twin = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-canary
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        track: canary
    spec:
      containers:
        - name: web
          image: web
`;
  const { result } = generate(shop(twin));
  const web = result.files[1].policies.find((p) => p.workload === 'shop/web')!;
  // app=web is the canary's too: tier=front alone tells web apart.
  assert.match(web.text, /podSelector:\n {4}matchLabels:\n {6}tier: front\n {2}policyTypes/);
  const canary = result.files[1].policies.find((p) => p.workload === 'shop/web-canary')!;
  assert.match(canary.text, /podSelector:\n {4}matchLabels:\n {6}track: canary\n/);
});

test('generate: a namespace-less bundle gets namespace-less policies (never the default namespace written)', () => {
  const files: SourceFile[] = [
    {
      path: 'app.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: front
spec:
  selector:
    matchLabels: {app: front}
  template:
    metadata:
      labels: {app: front}
    spec:
      containers:
        - name: front
          image: front
          env:
            - name: BACK_ADDR
              value: "back:5000"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: back
spec:
  selector:
    matchLabels: {app: back}
  template:
    metadata:
      labels: {app: back}
    spec:
      containers:
        - name: back
          image: back
          ports:
            - containerPort: 5000
---
apiVersion: v1
kind: Service
metadata:
  name: back
spec:
  selector: {app: back}
  ports:
    - port: 5000
`,
    },
  ];
  const v = verifyGenerated(files, {}, 'namespace-less');
  assert.equal(v.policies, 2);
  const { result } = generate(files);
  assert.deepEqual(result.files.map((f) => f.name), ['netpol.yaml']);
  assert.doesNotMatch(result.files[0].text, /namespace: |default/);
});

test('generate: an existing policy that admits exactly the evidence covers its workload; a wider one is a note; neither is edited', () => {
  const exact = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ledger-in
  namespace: finance
spec:
  podSelector:
    matchLabels:
      app: ledger
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: shop
          podSelector:
            matchLabels:
              app: api
      ports:
        - port: 7000
`;
  const covered = generate(shop(exact), { ingressOnly: true, namespaces: ['finance'] }).result;
  assert.deepEqual(covered.files, []);
  assert.deepEqual(covered.notes.filter((n) => n.severity === 'note'), []);
  const wider = exact.replace('      ports:\n        - port: 7000\n', '');
  const r = generate(shop(wider), { ingressOnly: true, namespaces: ['finance'] }).result;
  assert.deepEqual(r.files, []);
  const notes = r.notes.filter((n) => n.severity === 'note');
  assert.equal(notes.length, 1);
  assert.match(notes[0].message, /^finance\/ledger-in spec\.ingress\[0\] admits more than the evidence of finance\/ledger \(from shop\/api on SCTP 1-65535,TCP 1-6999,7001-65535,UDP 1-65535\)/);
  // Egress is not covered by it: the full run writes a policy with Egress only.
  const full = generate(shop(exact), { namespaces: ['finance'] }).result;
  assert.deepEqual(full.files[0].policies.map((p) => p.policyTypes), [['Egress']]);
});

test('generate: the wider rules of one existing policy are one note on the policy, with their count and examples', () => {
  const policy = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ledger-in
  namespace: finance
spec:
  podSelector:
    matchLabels:
      app: ledger
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: shop
          podSelector:
            matchLabels:
              app: api
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: shop
          podSelector:
            matchLabels:
              app: web
      ports:
        - port: 7000
`;
  const files = shop(policy);
  const r = generate(files, { ingressOnly: true, namespaces: ['finance'] }).result;
  const notes = r.notes.filter((n) => n.severity === 'note');
  assert.equal(notes.length, 1, notes.map((n) => n.message).join('\n'));
  assert.equal(
    notes[0].message,
    'finance/ledger-in: 2 of its rules admit more than the evidence of the workloads they apply to: spec.ingress[0] for finance/ledger (from shop/api on SCTP 1-65535,TCP 1-6999,7001-65535,UDP 1-65535); spec.ingress[1] for finance/ledger (from shop/web on TCP 7000). Existing policies are never edited, so they stay open; narrow them by hand if they are not needed.',
  );
  // At the policy (its first line), not at one of its rules.
  const text = files.map((f) => f.text).join('');
  assert.equal(notes[0].span?.file, 'shop.yaml');
  assert.ok(text.slice(notes[0].span!.start).startsWith('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ledger-in'), text.slice(notes[0].span!.start, notes[0].span!.start + 60));
});

test('generate: the control plane calling a webhook stays closed and is said (its addresses are in no manifest)', () => {
  const webhook = `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ledger-check
webhooks:
  - name: check.ledger.example.com
    clientConfig:
      service:
        namespace: finance
        name: ledger
        port: 7000
`;
  const { result } = generate(shop(webhook), { namespaces: ['finance'] });
  const info = result.notes.filter((n) => n.severity === 'info' && /control plane/.test(n.message));
  assert.equal(info.length, 1);
  assert.match(info[0].message, /^stays closed: \{control plane\} → finance\/ledger on TCP 7000 \(ValidatingWebhookConfiguration ledger-check webhooks\[0\]\)/);
  verifyGenerated(shop(webhook), {}, 'webhook');
});

test('generate: a workload that calls the API server (its ServiceAccount bound by RBAC, token mounted) keeps its egress open, says why, and the rest verifies', () => {
  const files = [
    {
      path: 'ops.yaml',
      text: `apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: controller, namespace: ops}
spec:
  selector: {matchLabels: {app: controller}}
  template:
    metadata: {labels: {app: controller}}
    spec:
      serviceAccountName: controller
      containers: [{name: c, image: example/controller:1, env: [{name: WEB_URL, value: "http://web.ops:8080"}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ops}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: example/web:1, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ops}
spec:
  selector: {app: web}
  ports: [{port: 8080}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: controller, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: controller}
subjects: [{kind: ServiceAccount, name: controller}]
`,
    },
  ];
  const { result } = generate(files);
  const policies = result.files.flatMap((f) => f.policies);
  assert.deepEqual(policies.map((p) => [p.workload, p.policyTypes.join(',')]), [['ops/controller', 'Ingress'], ['ops/web', 'Ingress,Egress']]);
  assert.ok(result.notes.some((n) => /^ops\/controller calls the API server \(RoleBinding ops\/controller binds ServiceAccount ops\/controller.*its egress is left open/.test(n.message)));
  verifyGenerated(files, {}, 'api-server');
});
