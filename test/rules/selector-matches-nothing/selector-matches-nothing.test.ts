import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { selectorMatchesNothing } from '../../../server/src/core/rules/selector-matches-nothing';
import { analyzeYaml, deployment, docs, namespace, yaml } from '../../helpers/manifests';
import type { SourceFile } from '../../../server/src/core/manifest/types';

function run(input: string | SourceFile[], analyzeOptions: AnalyzeOptions = {}) {
  const files = typeof input === 'string' ? [{ path: 'manifests.yaml', text: input }] : input;
  return runRules(analyzeYaml(files, analyzeOptions), { rules: [selectorMatchesNothing] }).map((f) => ({
    ...f,
    text: files.find((x) => x.path === f.span.file)!.text.slice(f.span.start, f.span.end),
  }));
}

const policy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: web, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    ingress:
      - from:
          - podSelector: {matchLabels: {app: front}}
          - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: edge}}
            podSelector: {matchLabels: {app: proxy}}
`;

describe('selector-matches-nothing', () => {
  test('a workspace of policies only says nothing', () => {
    assert.deepEqual(run(policy), []);
  });

  test('workloads in another file are what the selectors are checked against', () => {
    const findings = run([
      { path: 'policies.yaml', text: policy },
      { path: 'apps.yaml', text: docs(deployment('web', { namespace: 'shop', labels: { app: 'web' } }), deployment('front', { namespace: 'shop', labels: { app: 'frontend' } })) },
    ]);
    // edge has no workloads here: its peer is not judged.
    assert.deepEqual(findings.map((f) => [f.span.file, f.text, f.path]), [['policies.yaml', '{matchLabels: {app: front}}', 'spec.ingress[0].from[0].podSelector']]);
    assert.match(findings[0].message, /Workloads in shop have app=web and app=frontend/);
  });

  test('a named namespace with workloads is judged; with one of several names unknown, it is not', () => {
    const apps = docs(deployment('web', { namespace: 'shop', labels: { app: 'web' } }), deployment('envoy', { namespace: 'edge', labels: { app: 'envoy' } }));
    const findings = run(docs(apps, policy));
    assert.deepEqual(findings.map((f) => f.text), ['{matchLabels: {app: front}}', '{matchLabels: {app: proxy}}']);
    assert.match(findings[1].message, /^No workload in this workspace has app=proxy in namespace edge, the namespace this peer's namespaceSelector names\. /);
    const several = policy.replace('{matchLabels: {kubernetes.io/metadata.name: edge}}', '{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [edge, edge-2]}]}');
    assert.deepEqual(run(docs(apps, several)).map((f) => f.text), ['{matchLabels: {app: front}}']);
  });

  test('namespace labels beyond the name are judged only on declared namespaces', () => {
    const apps = docs(deployment('web', { namespace: 'shop', labels: { app: 'web' } }), deployment('proxy', { namespace: 'edge', labels: { app: 'proxy' } }));
    const labelled = policy.replace('{matchLabels: {kubernetes.io/metadata.name: edge}}', '{matchLabels: {kubernetes.io/metadata.name: edge, zone: dmz}}').replace('{app: front}', '{app: web}');
    // edge is not declared: its real labels are unknown.
    assert.deepEqual(run(docs(apps, labelled)), []);
    const declared = run(docs(namespace('edge', { zone: 'internal' }), apps, labelled));
    assert.equal(declared.length, 1);
    assert.equal(declared[0].path, 'spec.ingress[0].from[1].namespaceSelector');
    assert.deepEqual(run(docs(namespace('edge', { zone: 'dmz' }), apps, labelled)), []);
  });

  test('a rejected policy is skipped', () => {
    const apps = deployment('web', { namespace: 'shop', labels: { app: 'web' } });
    const rejected = policy.replace('{app: web}}', '{app: nothing}}\n  egress: [{ports: [{port: 0}]}]');
    assert.equal(run(docs(apps, policy.replace('{app: web}}', '{app: nothing}}'))).length, 2);
    assert.deepEqual(run(docs(apps, rejected)), []);
  });

  test('a peer that matches only hostNetwork pods matches nothing, unless they are treated as pods', () => {
    const text = docs(
      deployment('web', { namespace: 'shop', labels: { app: 'web' } }),
      deployment('agent', { namespace: 'shop', labels: { app: 'front' }, hostNetwork: true }),
      policy,
    );
    const [f, ...rest] = run(text);
    assert.equal(rest.length, 0);
    assert.equal(f.text, '{matchLabels: {app: front}}');
    assert.match(f.message, /matches only pods with hostNetwork: true \(Deployment shop\/agent\)/);
    assert.deepEqual(run(text, { hostNetwork: 'pod' }), []);
  });

  test('a peer that matches no workload is info (clients come from elsewhere); a spec.podSelector that matches nothing is a warning', () => {
    const apps = deployment('api', { namespace: 'shop', labels: { app: 'api' } });
    const findings = run(docs(apps, policy.replace('{app: web}', '{app: wbe}')));
    assert.deepEqual(findings.map((f) => [f.path, f.severity]), [
      ['spec.podSelector', 'warning'],
      ['spec.ingress[0].from[0].podSelector', 'info'],
    ]);
    assert.match(findings[1].message, /^No workload in this workspace has app=front in namespace shop, the policy.s own namespace, where this podSelector looks without a namespaceSelector\. .* Pods created at run time \(kubectl run --labels, Jobs and pods made by operators or controllers\) and pods deployed from another repository are not seen here: if this peer is for such pods, nothing is wrong\./);
    assert.doesNotMatch(findings[1].message, /matches nothing|admits nothing/);
  });

  test('a client made at run time (kubectl run --labels=access=true): the info says what is known, not that the peer admits nothing', () => {
    // kubernetes/website content/en/examples/service/networking/: nginx-policy.yaml (no
    // namespace) beside run-my-nginx.yaml; the task page makes the client with kubectl run.
    const nginxPolicy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: access-nginx
      spec:
        podSelector:
          matchLabels:
            app: nginx
        ingress:
        - from:
          - podSelector:
              matchLabels:
                access: "true"
    `;
    const found = run([
      { path: 'service/networking/nginx-policy.yaml', text: nginxPolicy },
      { path: 'service/networking/run-my-nginx.yaml', text: deployment('my-nginx', { labels: { run: 'my-nginx' } }).replace('{"run":"my-nginx"}\n    spec', '{"run":"my-nginx","app":"nginx"}\n    spec') },
    ]);
    assert.deepEqual(found.map((f) => [f.path, f.severity]), [['spec.ingress[0].from[0].podSelector', 'info']]);
    assert.match(found[0].message, /^No workload in this workspace has access=true in namespace default \(namespace not set; analysed as default\), the policy's own namespace/);
    assert.match(found[0].message, /No workload in default has the label access\. Pods created at run time \(kubectl run --labels/);
  });

  test('a peer one letter away from labels the namespace carries is a typo: a warning with did-you-mean and a fix (sock-shop carts-db-access)', () => {
    const carts = deployment('carts', { namespace: 'shop', labels: { name: 'carts' } });
    const db = deployment('carts-db', { namespace: 'shop', labels: { name: 'carts-db' } });
    const dbPolicy = (client: string) => yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: carts-db-access, namespace: shop}
      spec:
        podSelector: {matchLabels: {name: carts-db}}
        ingress:
          - from:
              - podSelector: {matchLabels: {name: ${client}}}
    `;
    const [f, ...rest] = run(docs(carts, db, dbPolicy('cart')));
    assert.equal(rest.length, 0);
    assert.deepEqual([f.path, f.severity, f.text], ['spec.ingress[0].from[0].podSelector', 'warning', '{matchLabels: {name: cart}}']);
    assert.match(f.message, /name=cart is one letter away from name=carts, which workloads here carry: a typo\? If so, change it to carts\. As written, this peer matches nothing\./);
    assert.doesNotMatch(f.message, /Pods created at run time/);
    assert.deepEqual(f.data && { meant: (f.data as { meant: string }).meant }, { meant: 'carts' });

    // Letter case alone is a typo too; digits alone (db-0, db-1) and short values are not.
    assert.match(run(docs(carts, db, dbPolicy('Carts')))[0].message, /differs only in letter case from name=carts/);
    const replicas = [0, 1].map((i) => deployment(`db-${i}`, { namespace: 'shop', labels: { name: `db-${i}` } }));
    const digits = run(docs(...replicas, dbPolicy('db-2').replace('{name: carts-db}', '{name: db-0}')));
    assert.deepEqual(digits.map((x) => x.severity), ['info']);
    const short = [deployment('web', { namespace: 'shop', labels: { name: 'web' } })];
    assert.deepEqual(run(docs(...short, dbPolicy('wb').replace('{name: carts-db}', '{name: web}'))).map((x) => x.severity), ['info']);
    // A value nothing in the namespace is near stays info (a client made elsewhere).
    assert.deepEqual(run(docs(carts, db, dbPolicy('cortex'))).map((x) => x.severity), ['info']);
  });

  test('a spec.podSelector near a label the namespace carries says did-you-mean, and stays a warning beside custom resources', () => {
    const carts = deployment('carts', { namespace: 'shop', labels: { name: 'carts' } });
    const cr = yaml`
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w, namespace: shop}
    `;
    const p = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: cart-access, namespace: shop}
      spec:
        podSelector: {matchLabels: {name: cart}}
    `;
    const [f] = run(docs(carts, cr, p));
    assert.deepEqual([f.path, f.severity], ['spec.podSelector', 'warning']);
    assert.match(f.message, /name=cart is one letter away from name=carts/);
    const [g] = run(docs(carts, cr, p.replace('{name: cart}', '{name: billing}')));
    assert.deepEqual([g.path, g.severity], ['spec.podSelector', 'info']);
  });

  test('a policy that names its namespace, where the only workloads set none, is info: which pods the namespace holds is not in the manifests (the Kubernetes docs examples)', () => {
    const dbPolicy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: test-network-policy, namespace: default}
      spec:
        podSelector: {matchLabels: {role: db}}
    `;
    const loose = deployment('my-nginx', { labels: { run: 'my-nginx' } });
    assert.doesNotMatch(loose, /namespace:/);
    const [f] = run(docs(loose, dbPolicy));
    assert.deepEqual([f.path, f.severity], ['spec.podSelector', 'info']);
    assert.match(f.message, /the workloads analysed in default set no namespace \(analysed as default, an assumption/);
    // A workload that writes namespace: default is evidence: the warning stays.
    const placed = deployment('my-nginx', { namespace: 'default', labels: { run: 'my-nginx' } });
    assert.deepEqual(run(docs(placed, dbPolicy)).map((x) => x.severity), ['warning']);
    // A namespace-less policy beside namespace-less workloads goes where they go: the warning stays.
    assert.deepEqual(run(docs(loose, dbPolicy.replace(', namespace: default', ''))).map((x) => x.severity), ['warning']);
  });

  test('a peer whose labels are those of workloads in another namespace lacks its namespaceSelector: a warning naming them, with the fix (eks-workshop orders)', () => {
    const ui = deployment('ui', { namespace: 'ui', labels: { app: 'ui' } });
    const orders = deployment('orders', { namespace: 'orders', labels: { app: 'orders' } });
    const p = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: orders, namespace: orders}
      spec:
        podSelector: {matchLabels: {app: orders}}
        ingress:
          - from:
              - podSelector: {matchLabels: {app: ui}}
    `;
    const [f, ...rest] = run(docs(ui, orders, p));
    assert.equal(rest.length, 0);
    assert.deepEqual([f.path, f.severity], ['spec.ingress[0].from[0].podSelector', 'warning']);
    assert.match(f.message, /Workloads with these labels run in namespace ui: a podSelector without a namespaceSelector looks only in orders, so this peer matches none of them\. If they are the pods you mean, add namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: ui\}\} to this peer/);
    assert.deepEqual((f.data as { namespaces: string[] }).namespaces, ['ui']);
    // Labels no workload anywhere carries stay info: a client made elsewhere.
    assert.deepEqual(run(docs(ui, orders, p.replace('{app: ui}}', '{app: batch}}'))).map((x) => x.severity), ['info']);
  });

  test('pods only run time makes, as other manifests show them, make a spec.podSelector that matches no workload info (longhorn)', () => {
    const manager = deployment('longhorn-manager', { namespace: 'longhorn-system', labels: { app: 'longhorn-manager' } });
    const byLabel = (name: string, key: string, value: string) => yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: ${name}, namespace: longhorn-system}
      spec:
        podSelector: {matchLabels: {${key}: ${value}}}
        policyTypes: [Ingress]
    `;
    const webhook = byLabel('longhorn-webhook', 'longhorn.io/admission-webhook', 'longhorn-admission-webhook');
    const instances = byLabel('instance-manager', 'longhorn.io/component', 'instance-manager');
    // Without other evidence: warnings.
    assert.deepEqual(run(docs(manager, webhook, instances)).map((f) => f.severity), ['warning', 'warning']);
    // A Service selects the same labels, which no pod template carries either: the manager labels its pods at run time.
    const service = yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: longhorn-admission-webhook, namespace: longhorn-system}
      spec:
        selector: {longhorn.io/admission-webhook: longhorn-admission-webhook}
        ports: [{port: 9502, targetPort: admission-wh}]
    `;
    const [f] = run(docs(manager, service, webhook));
    assert.deepEqual([f.path, f.severity], ['spec.podSelector', 'info']);
    assert.match(f.message, /Service longhorn-system\/longhorn-admission-webhook \(longhorn\.io\/admission-webhook=longhorn-admission-webhook\) selects the same pods, and no pod template here carries its labels either/);
    assert.doesNotMatch(f.message, /applies to nothing/);
    // A PodDisruptionBudget for the same labels is the same evidence (OLM's packageserver-pdb beside its packageserver policy).
    const pdb = yaml`
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: webhook-pdb, namespace: longhorn-system}
      spec:
        minAvailable: 1
        selector: {matchLabels: {longhorn.io/admission-webhook: longhorn-admission-webhook}}
    `;
    const [b] = run(docs(manager, pdb, webhook));
    assert.deepEqual([b.path, b.severity], ['spec.podSelector', 'info']);
    assert.match(b.message, /PodDisruptionBudget longhorn-system\/webhook-pdb \(longhorn\.io\/admission-webhook=longhorn-admission-webhook\) selects the same pods/);
    assert.deepEqual(run(docs(manager, pdb.replace('namespace: longhorn-system', 'namespace: elsewhere'), webhook)).map((x) => x.severity), ['warning']);
    // A Service whose selector a workload carries is no such evidence (the policy's labels are then a slip of its own).
    const served = service.replace('{longhorn.io/admission-webhook: longhorn-admission-webhook}', '{app: longhorn-manager}');
    assert.deepEqual(run(docs(manager, served, webhook)).map((x) => x.severity), ['warning']);
    // The CRDs of the API group whose prefix the label key carries: that group's operator makes and labels the pods.
    const crd = yaml`
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: instancemanagers.longhorn.io}
      spec:
        group: longhorn.io
        names: {kind: InstanceManager, plural: instancemanagers}
        scope: Namespaced
    `;
    const [g] = run(docs(manager, crd, instances));
    assert.deepEqual([g.path, g.severity], ['spec.podSelector', 'info']);
    assert.match(g.message, /The label longhorn\.io\/component is under the prefix of API group longhorn\.io, whose CustomResourceDefinitions this workspace installs \(InstanceManager\)/);
    // Another group's CRDs, or a config-only group's, are no evidence for this label.
    assert.deepEqual(run(docs(manager, crd.replace('group: longhorn.io', 'group: example.com'), instances)).map((x) => x.severity), ['warning']);
    assert.deepEqual(run(docs(manager, crd.replace('group: longhorn.io', 'group: cert-manager.io'), byLabel('x', 'cert-manager.io/component', 'y'))).map((x) => x.severity), ['warning']);
    // Keys under the prefixes every project uses say nothing of an operator.
    assert.deepEqual(run(docs(manager, crd.replace('group: longhorn.io', 'group: kubernetes.io'), byLabel('x', 'app.kubernetes.io/name', 'y'))).map((x) => x.severity), ['warning']);
  });

  test('Services that manifests refer to and none declares make a spec.podSelector that matches no workload info (a chart a script installs, an operator\'s operands)', () => {
    // k8s-security-demos: the MongoDB comes from a chart apply.sh installs; nosqlclient calls it as mongodb://mongodb.
    const client = (url: string) => yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: nosqlclient, namespace: production}
      spec:
        selector: {matchLabels: {app: nosqlclient}}
        template:
          metadata: {labels: {app: nosqlclient}}
          spec:
            containers:
              - name: nosqlclient
                image: mongoclient/mongoclient
                env: [{name: MONGO_URL, value: "${url}"}]
    `;
    const mongo = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-nosqlclient-to-mongo, namespace: production}
      spec:
        podSelector: {matchLabels: {app.kubernetes.io/name: mongodb}}
        ingress: [{from: [{podSelector: {matchLabels: {app: nosqlclient}}}], ports: [{port: mongodb}]}]
    `;
    const [f] = run(docs(client('mongodb://mongodb'), mongo));
    assert.deepEqual([f.path, f.severity], ['spec.podSelector', 'info']);
    assert.match(f.message, /Namespace production holds Services that manifests here refer to and none declares: Service production\/mongodb \(called by env MONGO_URL of Deployment production\/nosqlclient: mongodb:\/\/mongodb\)\. They and their pods are deployed another way/);
    assert.doesNotMatch(f.message, /applies to nothing/);
    // Declared, the Service is no evidence of anything deployed elsewhere (its pods would be a template's).
    const declared = yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: mongodb, namespace: production}
      spec: {selector: {app: mongo}, ports: [{port: 27017}]}
    `;
    assert.deepEqual(run(docs(client('mongodb://mongodb'), declared, mongo)).map((x) => x.severity), ['warning']);
    // A bare word, another namespace's Service, a host outside the cluster, the API server's own Service: no evidence for production.
    for (const url of ['mongodb', 'mongodb://mongodb.data.svc:27017', 'https://example.org', 'https://kubernetes.default.svc']) {
      assert.deepEqual(run(docs(client(url), mongo)).map((x) => x.severity), ['warning'], url);
    }
    // An Ingress that routes to an undeclared Service of the namespace is the same evidence.
    const ingress = yaml`
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: admin, namespace: production}
      spec:
        rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: mongo-express, port: {number: 8081}}}}]}}]
    `;
    const [i] = run(docs(client('mongodb'), ingress, mongo));
    assert.equal(i.severity, 'info');
    assert.match(i.message, /Service production\/mongo-express \(routed to by Ingress production\/admin\)/);
    // cluster-image-registry-operator: the operand ServiceMonitor scrapes a port no declared Service has (and names the Service it checks the certificate of).
    const operator = deployment('cluster-image-registry-operator', { namespace: 'openshift-image-registry', labels: { name: 'cluster-image-registry-operator' } });
    const registry = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: image-registry, namespace: openshift-image-registry}
      spec:
        podSelector: {matchLabels: {docker-registry: default}}
        policyTypes: [Ingress]
    `;
    const monitor = (endpoint: string) => yaml`
      apiVersion: monitoring.coreos.com/v1
      kind: ServiceMonitor
      metadata: {name: image-registry, namespace: openshift-image-registry}
      spec:
        selector: {}
        namespaceSelector: {matchNames: [openshift-image-registry]}
        endpoints: [${endpoint}]
    `;
    const [m] = run(docs(operator, monitor('{port: 5000-tcp}'), registry));
    assert.equal(m.severity, 'info');
    assert.match(m.message, /a Service with a port named 5000-tcp \(scraped by ServiceMonitor openshift-image-registry\/image-registry; no Service declared in openshift-image-registry has that port\)/);
    const [s] = run(docs(operator, monitor('{targetPort: 5000, tlsConfig: {serverName: image-registry.openshift-image-registry.svc}}'), registry));
    assert.equal(s.severity, 'info');
    assert.match(s.message, /Service openshift-image-registry\/image-registry \(named by tlsConfig\.serverName of ServiceMonitor openshift-image-registry\/image-registry: image-registry\.openshift-image-registry\.svc\)/);
    // A monitor of every namespace says nothing of one; a port a declared Service has is no evidence either.
    assert.deepEqual(run(docs(operator, monitor('{port: 5000-tcp}').replace('{matchNames: [openshift-image-registry]}', '{any: true}'), registry)).map((x) => x.severity), ['warning']);
    const metrics = yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: metrics, namespace: openshift-image-registry}
      spec: {selector: {name: cluster-image-registry-operator}, ports: [{name: 5000-tcp, port: 5000}]}
    `;
    assert.deepEqual(run(docs(operator, metrics, monitor('{port: 5000-tcp}'), registry)).map((x) => x.severity), ['warning']);
  });
});
