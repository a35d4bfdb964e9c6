import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, docs, yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

const API = docs(
  deployment('api', { namespace: 'shop', labels: { app: 'api' }, ports: [{ containerPort: 8080, name: 'http' }] }),
  yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: api, namespace: shop}
    spec:
      selector: {app: api}
      ports:
        - {port: 80, targetPort: 8080}
  `,
);

const policy = (ns: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: api, namespace: ${ns}}
  spec:
    podSelector: {matchLabels: {app: api}}
    ingress:
      - ports:
          - port: 80
`;

test('across files: the Service, its targetPort and the port to use are named', () => {
  const found = runRule('service-port-not-container-port', [{ path: 'api.yaml', text: API }, { path: 'policy.yaml', text: policy('shop') }]);
  assert.deepEqual(found.map((f) => [f.at, f.text]), [['policy.yaml:8:16-18', '80']]);
  assert.match(found[0].message, /^Port 80 is Service shop\/api's port, which forwards to targetPort 8080 on shop\/api\[Deployment\];/);
  assert.match(found[0].message, /Use port: 8080\.$/);
});

test('a Service of another namespace than the selected pods is not theirs', () => {
  const other = deployment('api', { namespace: 'billing', labels: { app: 'api' } });
  assert.deepEqual(runRule('service-port-not-container-port', docs(API, other, policy('billing'))), []);
});

test("a sidecar port of an operator's resource is its pods' port (a Prometheus behind kube-rbac-proxy, cluster-monitoring-operator)", () => {
  const prometheus = (listenLocal: boolean) => yaml`
    apiVersion: monitoring.coreos.com/v1
    kind: Prometheus
    metadata: {name: k8s, namespace: openshift-monitoring}
    spec:
      podMetadata: {labels: {app.kubernetes.io/name: prometheus}}
      listenLocal: ${String(listenLocal)}
      containers:
      - name: kube-rbac-proxy-web
        ports: [{containerPort: 9091, name: web}]
  `;
  const rest = yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: prometheus-k8s, namespace: openshift-monitoring}
    spec:
      selector: {app.kubernetes.io/name: prometheus}
      ports: [{name: web, port: 9091, targetPort: web}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: prometheus, namespace: openshift-monitoring}
    spec:
      podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
      ingress:
        - ports: [{port: 9091, protocol: TCP}]
  `;
  assert.deepEqual(runRule('service-port-not-container-port', docs(prometheus(true), rest)), []);
  // Without listenLocal the operator's own web port (9090) is declared too: 9091 is still a pod port.
  assert.deepEqual(runRule('service-port-not-container-port', docs(prometheus(false), rest)), []);
});
