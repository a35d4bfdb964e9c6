import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { selectorMatchesNothing } from '../../../server/src/core/rules/selector-matches-nothing';
import { analyzeYaml, connlist, deployment, docs, yaml } from '../../helpers/manifests';

// The operator bundle's shape (kube-prometheus manifests/): a Prometheus and an
// Alertmanager resource, and the policies written for the pods their operator makes.
const prometheus = yaml`
  apiVersion: monitoring.coreos.com/v1
  kind: Prometheus
  metadata:
    name: k8s
    namespace: monitoring
  spec:
    podMetadata:
      labels:
        app.kubernetes.io/component: prometheus
        app.kubernetes.io/instance: k8s
        app.kubernetes.io/name: prometheus
        app.kubernetes.io/part-of: kube-prometheus
    replicas: 2
    serviceAccountName: prometheus-k8s
`;

const alertmanager = yaml`
  apiVersion: monitoring.coreos.com/v1
  kind: Alertmanager
  metadata:
    name: main
    namespace: monitoring
  spec:
    podMetadata:
      labels:
        app.kubernetes.io/component: alert-router
        app.kubernetes.io/name: alertmanager
    replicas: 3
`;

const alertmanagerPolicy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: alertmanager-main
    namespace: monitoring
  spec:
    podSelector:
      matchLabels:
        app.kubernetes.io/component: alert-router
        app.kubernetes.io/name: alertmanager
    policyTypes: [Ingress]
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app.kubernetes.io/name: prometheus
      ports:
      - {port: 9093, protocol: TCP}
      - {port: 8080, protocol: TCP}
    - from:
      - podSelector:
          matchLabels:
            app.kubernetes.io/name: alertmanager
      ports:
      - {port: 9094, protocol: TCP}
      - {port: 9094, protocol: UDP}
`;

const grafana = deployment('grafana', { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } });

describe('pods that operators make', () => {
  test('Prometheus and Alertmanager: the podMetadata labels plus the operator labels, and the operator ports', () => {
    const { model } = analyzeYaml(docs(prometheus, alertmanager));
    const [p, a] = model.workloads;
    assert.equal(`${p.namespace}/${p.name}[${p.kind}]`, 'monitoring/k8s[Prometheus]');
    assert.deepEqual({ ...p.pods[0].labels }, {
      'app.kubernetes.io/component': 'prometheus',
      'app.kubernetes.io/instance': 'k8s',
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/part-of': 'kube-prometheus',
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      prometheus: 'k8s',
      'operator.prometheus.io/name': 'k8s',
      'operator.prometheus.io/shard': '0',
    });
    assert.deepEqual(p.pods[0].ports.map((x) => `${x.name}:${x.port}/${x.protocol}`), ['web:9090/TCP', 'reloader-web:8080/TCP']);
    assert.equal(a.pods[0].labels.alertmanager, 'main');
    assert.equal(a.pods[0].labels['app.kubernetes.io/instance'], 'main');
    assert.deepEqual(a.pods[0].ports.map((x) => `${x.port}/${x.protocol}`), ['9093/TCP', '9094/TCP', '9094/UDP', '8080/TCP']);
  });

  test('spec.listenLocal drops the web port, spec.portName names it, spec.thanos adds the sidecar ports, spec.containers add theirs (cluster-monitoring-operator)', () => {
    const { model } = analyzeYaml(yaml`
      apiVersion: monitoring.coreos.com/v1
      kind: Prometheus
      metadata: {name: k8s, namespace: openshift-monitoring}
      spec:
        listenLocal: true
        thanos: {version: v0.39.2}
        containers:
        - name: kube-rbac-proxy-web
          ports: [{containerPort: 9091, name: web}]
        - name: prometheus
      ---
      apiVersion: monitoring.coreos.com/v1
      kind: Alertmanager
      metadata: {name: main, namespace: monitoring}
      spec:
        portName: http-web
        containers:
        - name: proxy
          ports: [{containerPort: 8080, name: proxy-http}]
    `);
    const [p, a] = model.workloads;
    assert.deepEqual(p.pods[0].ports.map((x) => `${x.name}:${x.port}/${x.protocol}`), ['reloader-web:8080/TCP', 'http:10902/TCP', 'grpc:10901/TCP', 'web:9091/TCP']);
    // (A container port of the resource replaces the operator's of the same number and protocol.)
    assert.deepEqual(a.pods[0].ports.map((x) => `${x.name}:${x.port}/${x.protocol}`), ['http-web:9093/TCP', 'mesh-tcp:9094/TCP', 'mesh-udp:9094/UDP', 'proxy-http:8080/TCP']);
  });

  test('the operator sets its own labels last: a podMetadata label of the same key does not win', () => {
    const text = prometheus.replace('app.kubernetes.io/instance: k8s', 'app.kubernetes.io/instance: other');
    assert.equal(analyzeYaml(text).model.workloads[0].pods[0].labels['app.kubernetes.io/instance'], 'k8s');
  });

  test('ThanosRuler', () => {
    const { model } = analyzeYaml(yaml`
      apiVersion: monitoring.coreos.com/v1
      kind: ThanosRuler
      metadata: {name: rules, namespace: monitoring}
      spec: {queryEndpoints: ['dnssrv+_http._tcp.thanos-query.monitoring.svc']}
    `);
    assert.equal(model.workloads[0].pods[0].labels['thanos-ruler'], 'rules');
    assert.equal(model.workloads[0].pods[0].labels['app.kubernetes.io/name'], 'thanos-ruler');
  });

  test('the policies written for them match them, and reach lists their flows', () => {
    const text = docs(prometheus, alertmanager, alertmanagerPolicy, grafana);
    assert.deepEqual(runRules(analyzeYaml(text), { rules: [selectorMatchesNothing] }), []);
    const flows = connlist(text).filter((l) => l.includes('main[Alertmanager]') && !l.startsWith('0.0.0.0'));
    // (A workload's flows to itself, the mesh port 9094, are not listed, as in netpol-analyzer.)
    assert.ok(flows.includes('monitoring/k8s[Prometheus] => monitoring/main[Alertmanager] : TCP 8080,9093'), flows.join('\n'));
    assert.ok(!flows.some((l) => l.startsWith('monitoring/grafana[Deployment] => monitoring/main[Alertmanager]')), flows.join('\n'));
  });

  test('a custom resource with a pod template (an Argo Rollouts Rollout) is a workload like a Deployment', () => {
    const { model } = analyzeYaml(yaml`
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 5
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx
              ports: [{name: http, containerPort: 8080}]
        strategy: {canary: {steps: [{setWeight: 20}]}}
    `);
    assert.equal(model.workloads.length, 1);
    assert.equal(model.workloads[0].kind, 'Rollout');
    assert.deepEqual({ ...model.workloads[0].pods[0].labels }, { app: 'web' });
    assert.deepEqual(model.workloads[0].pods[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  test('a custom resource without containers in its template is not; neither is a built-in kind by that shape', () => {
    const { model } = analyzeYaml(yaml`
      apiVersion: example.com/v1
      kind: Thing
      metadata: {name: t, namespace: shop}
      spec: {template: {metadata: {labels: {app: t}}}}
      ---
      apiVersion: v1
      kind: PodTemplate
      metadata: {name: pt, namespace: shop}
      template:
        metadata: {labels: {app: pt}}
        spec: {containers: [{name: c, image: x}]}
    `);
    assert.deepEqual(model.workloads, []);
  });

  // CloudNativePG's documentation sample (docs/src/samples/networkpolicy-example.yaml and
  // cluster-example.yaml): the policy selects the pods of the cluster the operator makes.
  const cnpgCluster = (spec: string, annotations = '') => yaml`
    apiVersion: postgresql.cnpg.io/v1
    kind: Cluster
    metadata:
      name: cluster-example
      namespace: db${annotations}
    spec:
${spec}
  `;

  test('a CloudNativePG Cluster: one pod shape per instance, the first the primary, the inherited labels, the postgres ports', () => {
    const { model } = analyzeYaml(cnpgCluster('      instances: 3\n      inheritedMetadata:\n        labels: {team: payments, cnpg.io/cluster: other}\n      storage: {size: 1Gi}'));
    assert.equal(model.workloads.length, 1);
    const [w] = model.workloads;
    assert.equal(w.kind, 'Cluster');
    assert.deepEqual(
      w.pods.map((p) => [p.labels['cnpg.io/instanceName'], p.labels.role, p.labels['cnpg.io/instanceRole']]),
      [
        ['cluster-example-1', 'primary', 'primary'],
        ['cluster-example-2', 'replica', 'replica'],
        ['cluster-example-3', 'replica', 'replica'],
      ],
    );
    // The inherited label is there; the operator's own wins over an inherited one of the same key.
    assert.equal(w.pods[0].labels.team, 'payments');
    assert.equal(w.pods[0].labels['cnpg.io/cluster'], 'cluster-example');
    assert.equal(w.pods[0].labels['cnpg.io/podRole'], 'instance');
    assert.equal(w.pods[0].labels['app.kubernetes.io/name'], 'postgresql');
    assert.deepEqual(w.pods[0].ports.map((p) => `${p.name} ${p.port}`), ['postgresql 5432', 'metrics 9187', 'status 8000']);
  });

  test('a CloudNativePG Cluster without instances has one (the default), and pprof with its annotation', () => {
    const { model } = analyzeYaml(cnpgCluster('      storage: {size: 1Gi}', '\n      annotations: {alpha.cnpg.io/enableInstancePprof: "true"}'));
    assert.equal(model.workloads[0].pods.length, 1);
    assert.ok(model.workloads[0].pods[0].ports.some((p) => p.name === 'pprof' && p.port === 6060));
  });

  test('the documentation\'s policy for a CloudNativePG cluster matches it, and a primary-only policy leaves the replicas open', () => {
    const operator = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: cnpg-controller-manager, namespace: cnpg-system}
      spec:
        selector: {matchLabels: {app.kubernetes.io/name: cloudnative-pg}}
        template:
          metadata: {labels: {app.kubernetes.io/name: cloudnative-pg}}
          spec: {containers: [{name: manager, image: x}]}
    `;
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: allow-operator, namespace: db}
      spec:
        podSelector:
          matchLabels:
            cnpg.io/cluster: cluster-example
        ingress:
          - from:
              - namespaceSelector:
                  matchLabels:
                    kubernetes.io/metadata.name: cnpg-system
                podSelector:
                  matchLabels:
                    app.kubernetes.io/name: cloudnative-pg
            ports:
              - port: 8000
              - port: 5432
    `;
    const text = docs(cnpgCluster('      instances: 2'), operator, policy);
    assert.deepEqual(runRules(analyzeYaml(text), { rules: [selectorMatchesNothing] }), []);
    assert.ok(connlist(text).includes('cnpg-system/cnpg-controller-manager[Deployment] => db/cluster-example[Cluster] : TCP 5432,8000'), connlist(text).join('\n'));
    const primaryOnly = text.replace('cnpg.io/cluster: cluster-example', 'cnpg.io/instanceRole: primary');
    const fromOutside = (t: string) => connlist(t).some((l) => l.startsWith('0.0.0.0-255.255.255.255[External] => db/cluster-example[Cluster]'));
    assert.ok(!fromOutside(text), 'every instance is isolated');
    assert.deepEqual(runRules(analyzeYaml(primaryOnly), { rules: [selectorMatchesNothing] }), []);
    assert.ok(fromOutside(primaryOnly), 'the replica stays open');
  });
});

describe('namespaces with custom resources the model does not know', () => {
  // Flagger's Canary makes a `<target>-primary` Deployment at run time (gitops-istio apps/).
  const canary = yaml`
    apiVersion: flagger.app/v1beta1
    kind: Canary
    metadata: {name: frontend, namespace: prod}
    spec:
      targetRef: {apiVersion: apps/v1, kind: Deployment, name: frontend}
      service: {port: 9898}
  `;
  const policy = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: primary, namespace: prod}
    spec:
      podSelector: {matchLabels: {app: frontend-primary}}
      ingress: [{}]
  `;
  const app = deployment('frontend', { namespace: 'prod', labels: { app: 'frontend' } });

  test('a policy that selects no workload there is info, and says why', () => {
    const [f] = runRules(analyzeYaml(docs(app, canary, policy)), { rules: [selectorMatchesNothing] });
    assert.equal(f.severity, 'info');
    assert.match(f.message, /custom resources this analysis does not model \(Canary frontend\)/);
  });

  test('config-only custom resources (a ServiceMonitor) change nothing: still a warning', () => {
    const monitor = yaml`
      apiVersion: monitoring.coreos.com/v1
      kind: ServiceMonitor
      metadata: {name: frontend, namespace: prod}
      spec: {selector: {matchLabels: {app: frontend}}, endpoints: [{port: http}]}
    `;
    // The Service it scrapes is declared (a port it names that no declared Service has would be evidence of Services deployed elsewhere).
    const service = yaml`
      apiVersion: v1
      kind: Service
      metadata: {name: frontend, namespace: prod, labels: {app: frontend}}
      spec: {selector: {app: frontend}, ports: [{name: http, port: 80}]}
    `;
    const [f] = runRules(analyzeYaml(docs(app, service, monitor, policy)), { rules: [selectorMatchesNothing] });
    assert.equal(f.severity, 'warning');
    assert.deepEqual(analyzeYaml(docs(app, monitor)).model.customResources.size, 0);
  });

  test('a configured severity below info stays', () => {
    const [f] = runRules(analyzeYaml(docs(app, canary, policy)), { rules: [selectorMatchesNothing], severities: { 'selector-matches-nothing': 'hint' } });
    assert.equal(f.severity, 'hint');
  });
});
