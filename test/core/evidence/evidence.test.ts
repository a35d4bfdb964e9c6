/**
 * Evidence, one kind at a time: real demo applications (test/real-repos, test/evidence-apps)
 * for Service addresses, and small real-world-shaped manifests for the other kinds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { addressesIn } from '../../../server/src/core/k8s/addresses';
import { analyzeOnce, Workspace } from '../../../server/src/core/workspace';
import { endName } from '../../../server/src/core/evidence/evidence';
import { LineIndex } from '../../../server/src/core/base/span';
import { parseIntent } from '../../../server/src/core/evidence/intent';
import { evidenceFor, yamlFiles } from '../../helpers/evidence';
import { docs, yaml } from '../../helpers/manifests';
import { ROOT } from '../../helpers/paths';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { evidenceOf, evidenceOptionsOf } from '../../../server/src/core/analysis/evidence';
import { DEFAULTS } from '../../../server/src/core/analysis/config';

const one = (text: string) => [{ path: 'app.yaml', text }];

test('addresses: svc, svc:port, svc.ns, svc.ns.svc, svc.ns.svc.cluster.local, URLs with user info', () => {
  const read = (s: string) => addressesIn(s).map((a) => `${a.name}|${a.namespace ?? ''}|${a.port ?? ''}|${a.certain}`);
  assert.deepEqual(read('redis-cart:6379'), ['redis-cart||6379|true']);
  assert.deepEqual(read('http://payments.shop:8443/v1'), ['payments|shop|8443|true']);
  assert.deepEqual(read('http://catalog.catalog.svc:80'), ['catalog|catalog|80|true']);
  assert.deepEqual(read('zipkin.jaeger.svc.cluster.local'), ['zipkin|jaeger||true']);
  assert.deepEqual(read('amqp://user:secret@rabbitmq:5672/'), ['rabbitmq||5672|true']);
  assert.deepEqual(read('mongodb://documentdb:10260/orderdb'), ['documentdb||10260|true']);
  assert.deepEqual(read('http://payment/paymentAuth'), ['payment||80|true']);
  assert.deepEqual(read('redis'), ['redis|||false']);
  // Hosts outside the cluster, loopback and addresses are no Service.
  assert.deepEqual(read('https://api.example.com/x'), []);
  assert.deepEqual(read('localhost:8080 127.0.0.1:9000'), []);
  assert.deepEqual(read('/var/run/app.sock'), []);
});

test('address evidence, Online Boutique: every documented call from its *_ADDR env, the Service port mapped to the target port', () => {
  const r = evidenceFor(yamlFiles(join(ROOT, 'test/real-repos/online-boutique/repo/kustomize/base')));
  const email = r.flows.find((f) => f.dst === 'default/emailservice');
  assert.deepEqual(
    { src: email?.src, port: email?.port, service: email?.service, file: email?.file, line: email?.line, what: email?.what },
    { src: 'default/checkoutservice', port: 8080, service: 'default/emailservice:5000', file: 'checkoutservice.yaml', line: 64, what: 'env EMAIL_SERVICE_ADDR' },
  );
  assert.equal(r.edges.filter((e) => e.startsWith('default/frontend => ')).length, 7);
  assert.ok(r.edges.includes('default/cartservice => default/redis-cart : TCP 6379'));
  assert.ok(r.edges.includes('{outside the cluster} => default/frontend : TCP 8080'), 'frontend-external is a LoadBalancer');
  // The optional shopping assistant's Service is not in the base: reported, never guessed.
  assert.deepEqual(r.notes.map((n) => `${n.file}:${n.line}`), ['frontend.yaml:84']);
  assert.match(r.notes[0].message, /shoppingassistantservice:80.*no Service default\/shoppingassistantservice.*not evidenced/);
  assert.ok(!r.edges.some((e) => e.includes('shoppingassistant')));
});

test('address evidence from ConfigMaps read through envFrom (AWS retail store, with its kustomize namespaces); a database name is no address', () => {
  const r = evidenceFor(yamlFiles(join(ROOT, 'test/real-repos/eks-workshop/repo/manifests/base-application')));
  const mysql = r.flows.find((f) => f.dst === 'catalog/catalog-mysql');
  // The ConfigMap is read where its kustomization puts it (namespace: catalog).
  assert.equal(mysql?.what, 'ConfigMap catalog/catalog key RETAIL_CATALOG_PERSISTENCE_ENDPOINT (envFrom)');
  assert.equal(`${mysql?.file}:${mysql?.line}`, 'catalog/configMap.yaml:7');
  // RETAIL_CATALOG_PERSISTENCE_DB_NAME: catalog and MYSQL_DATABASE: catalog name a database, not the Service.
  assert.ok(!r.edges.some((e) => e.startsWith('catalog/catalog => catalog/catalog ') || e.startsWith('catalog/catalog-mysql => ')), r.edges.join('\n'));
  // With kustomize's namespaces, `catalog.catalog.svc` is the catalog Service: a flow, no note.
  assert.ok(r.edges.includes('ui/ui => catalog/catalog : TCP 8080'), r.edges.join('\n'));
  assert.ok(!r.notes.some((n) => /catalog\.catalog\.svc/.test(n.message)));
});

test('address evidence: HOST + PORT keys of one ConfigMap, and an init container waiting with nc (AKS Store)', () => {
  const r = evidenceFor(yamlFiles(join(ROOT, 'test/evidence-apps/aks-store/repo')));
  const rabbit = r.flows.filter((f) => f.src === 'default/order-service' && f.dst === 'default/rabbitmq');
  assert.deepEqual(rabbit.map((f) => `${f.protocol} ${f.port} ${f.what}`).sort(), [
    'TCP 5672 ConfigMap default/order-service-configs key ORDER_QUEUE_HOSTNAME (envFrom)',
    'TCP 5672 container wait-for-rabbitmq command[2]',
  ]);
  assert.ok(!r.edges.includes('default/order-service => default/rabbitmq : TCP 15672'), 'the sibling PORT key picks the port');
  assert.ok(r.notes.some((n) => /ai-service:5001/.test(n.message)));
});

const SHOP = yaml`
  apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
`;
const PAYMENTS = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: payments
    namespace: shop
  spec:
    selector:
      matchLabels: {app: payments}
    template:
      metadata:
        labels: {app: payments}
      spec:
        containers:
          - name: payments
            image: payments:1.0
            ports:
              - name: https
                containerPort: 9443
              - name: metrics
                containerPort: 9090
`;
const PAYMENTS_SVC = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: payments
    namespace: shop
    labels: {app: payments}
  spec:
    selector: {app: payments}
    ports:
      - name: https
        port: 8443
        targetPort: https
      - name: metrics
        port: 9090
        targetPort: metrics
`;
const checkout = (env: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: checkout
    namespace: shop
  spec:
    selector:
      matchLabels: {app: checkout}
    template:
      metadata:
        labels: {app: checkout}
      spec:
        containers:
          - name: checkout
            image: checkout:1.0
            env:
${env}
`;

test('address evidence: a named targetPort resolves on the pods; configMapKeyRef and mounted ConfigMaps are read', () => {
  const cm = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: checkout-config
      namespace: shop
    data:
      payments: "https://payments.shop.svc.cluster.local:8443"
      app.properties: |
        upstream.url=http://payments:8443/v1
  `;
  const env = '              - name: PAYMENTS_URL\n                valueFrom:\n                  configMapKeyRef: {name: checkout-config, key: payments}';
  const withVolume = checkout(env).replace('      containers:', '      volumes:\n        - name: cfg\n          configMap: {name: checkout-config}\n      containers:');
  const r = evidenceFor(one(docs(SHOP, PAYMENTS, PAYMENTS_SVC, cm, withVolume)));
  assert.deepEqual(r.edges, ['shop/checkout => shop/payments : TCP 9443']);
  assert.deepEqual(r.flows.map((f) => f.what).sort(), [
    'ConfigMap shop/checkout-config key app.properties (volume)',
    // The same value read twice (env and volume) is one piece of evidence.
    'ConfigMap shop/checkout-config key payments (env PAYMENTS_URL)',
  ]);
});

test('address evidence: a port the Service does not have is a note, not a flow', () => {
  const r = evidenceFor(one(docs(SHOP, PAYMENTS, PAYMENTS_SVC, checkout('              - name: PAYMENTS_URL\n                value: http://payments:8080/v1'))));
  assert.deepEqual(r.edges, []);
  assert.match(r.notes[0].message, /Service shop\/payments has no port 8080/);
});

test('ingress evidence: from the configured ingress controller to the backend target port', () => {
  const ing = yaml`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: pay, namespace: shop}
    spec:
      rules:
        - http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service: {name: payments, port: {name: https}}
  `;
  const r = evidenceFor(one(docs(SHOP, PAYMENTS, PAYMENTS_SVC, ing)));
  assert.deepEqual(r.edges, ['{ingress controller} => shop/payments : TCP 9443']);
  assert.equal(r.evidence.flows[0].src.type === 'peer' && r.evidence.flows[0].src.namespace, 'ingress-nginx');
});

test('gateway evidence: an HTTPRoute backendRef (Bookinfo)', () => {
  const r = evidenceFor(yamlFiles(join(ROOT, 'test/evidence-apps/bookinfo/repo')));
  assert.deepEqual(r.edges, ['{ingress controller} => default/productpage-v1 : TCP 9080']);
});

test('exposed evidence: NodePort Services from outside (Voting App), and externalIPs', () => {
  const r = evidenceFor(yamlFiles(join(ROOT, 'test/evidence-apps/voting-app/repo')));
  assert.deepEqual(r.edges, ['{outside the cluster} => default/result : TCP 80', '{outside the cluster} => default/vote : TCP 80']);
  const ext = PAYMENTS_SVC.replace('  selector:', '  externalIPs: [203.0.113.10]\n  selector:');
  assert.deepEqual(evidenceFor(one(docs(SHOP, PAYMENTS, ext))).edges, ['{outside the cluster} => shop/payments : TCP 9090', '{outside the cluster} => shop/payments : TCP 9443']);
});

test('monitor evidence: ServiceMonitor by Service port name, PodMonitor by container port name', () => {
  const sm = yaml`
    apiVersion: monitoring.coreos.com/v1
    kind: ServiceMonitor
    metadata: {name: payments, namespace: monitoring}
    spec:
      namespaceSelector: {matchNames: [shop]}
      selector: {matchLabels: {app: payments}}
      endpoints:
        - port: metrics
  `;
  const r = evidenceFor(one(docs(SHOP, PAYMENTS, PAYMENTS_SVC, sm)));
  assert.deepEqual(r.edges, ['{prometheus} => shop/payments : TCP 9090']);
  const pm = yaml`
    apiVersion: monitoring.coreos.com/v1
    kind: PodMonitor
    metadata: {name: payments, namespace: shop}
    spec:
      selector: {matchLabels: {app: payments}}
      podMetricsEndpoints:
        - port: metrics
  `;
  assert.deepEqual(evidenceFor(one(docs(SHOP, PAYMENTS, pm))).edges, ['{prometheus} => shop/payments : TCP 9090']);
  // Another namespace than the monitor's own, without a namespaceSelector: not scraped.
  assert.deepEqual(evidenceFor(one(docs(SHOP, PAYMENTS, PAYMENTS_SVC, sm.replace('  namespaceSelector: {matchNames: [shop]}\n', '')))).edges, []);
});

test('control-plane evidence: an admission webhook (default port 443) and an APIService', () => {
  const whSvc = PAYMENTS_SVC.replace('port: 8443', 'port: 443');
  const wh = yaml`
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata: {name: payments-webhook}
    webhooks:
      - name: validate.payments.example.com
        clientConfig:
          service: {namespace: shop, name: payments, path: /validate}
        admissionReviewVersions: [v1]
        sideEffects: None
  `;
  const r = evidenceFor(one(docs(SHOP, PAYMENTS, whSvc, wh)));
  assert.deepEqual(r.flows.map((f) => `${f.src} => ${f.dst} : ${f.port} [${f.kind}]`), ['{control plane} => shop/payments : 9443 [webhook]']);
  const api = yaml`
    apiVersion: apiregistration.k8s.io/v1
    kind: APIService
    metadata: {name: v1beta1.metrics.k8s.io}
    spec:
      group: metrics.k8s.io
      version: v1beta1
      service: {namespace: shop, name: payments, port: 9090}
  `;
  assert.deepEqual(evidenceFor(one(docs(SHOP, PAYMENTS, PAYMENTS_SVC, api))).flows.map((f) => `${f.src} => ${f.dst} : ${f.port} [${f.kind}]`), ['{control plane} => shop/payments : 9090 [api-service]']);
  assert.match(evidenceFor(one(docs(SHOP, api))).notes[0].message, /calls Service shop\/payments, which is not in the workspace/);
});

test('headless evidence: a StatefulSet to itself through its headless Service', () => {
  const sts = yaml`
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: cache, namespace: shop}
    spec:
      serviceName: cache
      selector: {matchLabels: {app: cache}}
      template:
        metadata: {labels: {app: cache}}
        spec:
          containers:
            - name: cache
              image: cache:1
              ports: [{name: peer, containerPort: 7000}]
  `;
  const svc = yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: cache, namespace: shop}
    spec:
      clusterIP: None
      selector: {app: cache}
      ports: [{name: peer, port: 7000}]
  `;
  assert.deepEqual(evidenceFor(one(docs(SHOP, sts, svc))).edges, ['shop/cache => shop/cache : TCP 7000']);
  assert.deepEqual(evidenceFor(one(docs(SHOP, sts, svc.replace('  clusterIP: None\n', '')))).edges, [], 'not headless: no member-to-member evidence');
});

test('declared intent: allow-to / allow-from with a required reason', () => {
  assert.deepEqual(parseIntent('billing/ledger:8443, external:443/TCP; settlement callbacks'), {
    endpoints: [
      { namespace: 'billing', name: 'ledger', port: 8443, protocol: 'TCP' },
      { name: 'external', port: 443, protocol: 'TCP' },
    ],
    reason: 'settlement callbacks',
  });
  assert.ok('error' in parseIntent('payments:8443'));
  const annotated = (value: string) => checkout('              - {name: MODE, value: live}').replace('  namespace: shop\nspec:', `  namespace: shop\n  annotations:\n    netpol.studio/allow-to: "${value}"\nspec:`);
  const r = evidenceFor(one(docs(SHOP, PAYMENTS, annotated('payments:9443; card vault callbacks (OPS-12)'))));
  assert.deepEqual(r.flows.map((f) => `${f.src} => ${f.dst} : ${f.port} ${f.what}`), ['shop/checkout => shop/payments : 9443 netpol.studio/allow-to (card vault callbacks (OPS-12))']);
  const noReason = evidenceFor(one(docs(SHOP, PAYMENTS, annotated('payments:9443'))));
  assert.deepEqual(noReason.flows, []);
  assert.match(noReason.notes[0].message, /a reason is required/);
});

test('DNS baseline: every pod to kube-dns on UDP and TCP 53, switchable; not for dnsPolicy Default', () => {
  const app = checkout('              - {name: MODE, value: live}');
  assert.deepEqual(evidenceFor(one(docs(SHOP, app)), { dns: true }).edges, ['shop/checkout => {cluster DNS} : TCP 53', 'shop/checkout => {cluster DNS} : UDP 53']);
  assert.deepEqual(evidenceFor(one(docs(SHOP, app)), { dns: false }).edges, []);
  assert.deepEqual(evidenceFor(one(docs(SHOP, app.replace('      containers:', '      dnsPolicy: Default\n      containers:'))), { dns: true }).edges, []);
});

test('bad input costs nothing: half-typed env, non-string values, a huge value', () => {
  const broken = checkout('              - name: A\n              - value: http://x:1\n              - {name: B, value: 8443}\n              - {name: C, value: [1, 2]}\n              - name: D\n                value: "' + 'a:1 '.repeat(30000) + '"');
  const r = evidenceFor(one(docs(SHOP, broken)));
  assert.deepEqual(r.edges, []);
});

test('hover on a workload lists its evidenced callers and callees with links to the evidence', () => {
  const files = yamlFiles(join(ROOT, 'test/real-repos/online-boutique/repo/kustomize/base'));
  const snapshot = analyzeOnce(files);
  const checkout = files.find((f) => f.path === 'checkoutservice.yaml')!;
  const h = snapshot.hover(checkout.path, checkout.text.indexOf('name: checkoutservice') + 7, (span) => ({ uri: span.file, line: new LineIndex(files.find((f) => f.path === span.file)!.text).positionAt(span.start).line }));
  const md = h?.markdown ?? '';
  assert.match(md, /\*\*Evidenced callers\*\* \(1 flow\):\n\n- `default\/frontend` on TCP 5050: \[env CHECKOUT\\_SERVICE\\_ADDR\]\(frontend\.yaml#L80\)/);
  assert.match(md, /\*\*Evidenced callees\*\* \(6 flows, and the cluster DNS\):/);
  assert.match(md, /- `default\/emailservice` on TCP 8080: \[env EMAIL\\_SERVICE\\_ADDR\]\(checkoutservice\.yaml#L64\)/);
});

test('evidence carries over a keystroke in a policy, and is read again when an object it reads changes', () => {
  const app = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, envFrom: [{configMapRef: {name: web}}]}]}
`;
  const config = (url: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: shop}\ndata: {API_URL: "${url}"}\n`;
  const policy = (port: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress: [{ports: [{port: ${port}}]}]\n`;
  const ws = new Workspace();
  ws.applyChange([
    { kind: 'disk', uri: 'file:///app.yaml', text: app },
    { kind: 'disk', uri: 'file:///config.yaml', text: config('http://api/v1') },
    { kind: 'disk', uri: 'file:///policy.yaml', text: policy(8080) },
  ]);
  const first = ws.snapshot().evidence({ dns: false });
  assert.deepEqual(first.flows.map((f) => `${endName(f.src)} ${endName(f.dst)} ${f.port}`), ['shop/web shop/api 8080']);
  ws.applyChange({ kind: 'open', uri: 'file:///policy.yaml', text: policy(8081) });
  assert.equal(ws.snapshot().evidence({ dns: false }), first, 'a policy edit reads no evidence again');
  ws.applyChange({ kind: 'open', uri: 'file:///config.yaml', text: config('http://nothing-here/v1') });
  const after = ws.snapshot().evidence({ dns: false });
  assert.notEqual(after, first);
  assert.deepEqual(after.flows, []);
});

test('API-server baseline: a pod whose ServiceAccount a RoleBinding or ClusterRoleBinding names, with its token mounted, calls the API server; the evidence is the binding subject', () => {
  const operator = (name: string, sa: string | undefined, pod = '') => yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}, namespace: ops}
    spec:
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:${sa ? `\n          serviceAccountName: ${sa}` : ''}${pod ? `\n          ${pod}` : ''}
          containers: [{name: c, image: example/${name}:1}]
  `;
  const rbac = yaml`
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: quiet, namespace: ops}
    automountServiceAccountToken: false
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: reconciler, namespace: ops}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reconciler}
    subjects:
      - kind: ServiceAccount
        name: reconciler
      - kind: ServiceAccount
        name: quiet
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: watcher}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    subjects:
      - {kind: ServiceAccount, name: watcher, namespace: ops}
      - {kind: ServiceAccount, name: nowhere}
  `;
  const text = docs(
    operator('reconciler', 'reconciler'),
    operator('unmounted', 'reconciler', 'automountServiceAccountToken: false'),
    operator('quiet', 'quiet'),
    operator('quiet-but-mounted', 'quiet', 'automountServiceAccountToken: true'),
    operator('watcher', 'watcher'),
    operator('plain', undefined),
    rbac,
  );
  const analysis = analyze([{ path: 'ops.yaml', text }]);
  const calls = (apiServer: boolean) =>
    evidenceOf(analysis, evidenceOptionsOf(DEFAULTS, { dns: false, apiServer }))
      .flows.filter((f) => f.kind === 'api-access')
      .map((f) => `${endName(f.src)} => ${endName(f.dst)} ${f.protocol} ${f.port} ${f.service?.namespace}/${f.service?.name}:${f.service?.port} @ ${text.slice(f.where.start, f.where.end).split('\n')[0]}`)
      .sort();
  assert.deepEqual(calls(true), [
    'ops/quiet-but-mounted => {control plane} TCP 443 default/kubernetes:443 @ kind: ServiceAccount',
    'ops/reconciler => {control plane} TCP 443 default/kubernetes:443 @ kind: ServiceAccount',
    'ops/watcher => {control plane} TCP 443 default/kubernetes:443 @ {kind: ServiceAccount, name: watcher, namespace: ops}',
  ]);
  assert.deepEqual(calls(false), [], 'switched off');
  const what = evidenceOf(analysis, evidenceOptionsOf(DEFAULTS)).flows.find((f) => f.kind === 'api-access')?.what ?? '';
  assert.match(what, /^(RoleBinding ops\/reconciler|ClusterRoleBinding watcher) binds ServiceAccount ops\/\S+, whose token the pods mount: the API server/);
});
