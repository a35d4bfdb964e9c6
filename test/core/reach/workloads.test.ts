import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterConnlist, connlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

describe('endpoints and owner grouping', () => {
  const replicaPod = (name: string, track: string) => yaml`
    apiVersion: v1
    kind: Pod
    metadata:
      name: ${name}
      namespace: shop
      labels: {app: web, track: ${track}}
      ownerReferences:
        - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: 9f1e0000-0000-4000-8000-00000000000a, controller: true}
    spec:
      containers: [{name: web, image: web:2}]
  `;

  test('pods of one owner are one endpoint with the union of their connections', () => {
    const text = docs(
      namespace('shop'),
      replicaPod('web-5d8f-stable', 'stable'),
      replicaPod('web-5d8f-canary', 'canary'),
      deployment('db', { namespace: 'shop', labels: { app: 'db' } }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: db}}
          ingress:
            - from: [{podSelector: {matchLabels: {track: canary}}}]
              ports: [{port: 5432}]
            - from: [{podSelector: {matchLabels: {track: stable}}}]
              ports: [{port: 5433}]
            - from: [{podSelector: {matchLabels: {track: beta}}}]
              ports: [{port: 5434}]
      `,
    );
    assert.deepEqual(clusterConnlist(text), [
      'shop/db[Deployment] => shop/web-5d8f[ReplicaSet] : All Connections',
      'shop/web-5d8f[ReplicaSet] => shop/db[Deployment] : TCP 5432-5433',
    ]);
  });

  test('pods without a controller owner keep their own name and kind Pod', () => {
    const text = docs(
      yaml`
        apiVersion: v1
        kind: Pod
        metadata: {name: debug-shell, namespace: shop, labels: {run: debug-shell}}
        spec: {containers: [{name: sh, image: busybox}]}
      `,
      deployment('db', { namespace: 'shop', labels: { app: 'db' } }),
    );
    assert.deepEqual(clusterConnlist(text), ['shop/db[Deployment] => shop/debug-shell[Pod] : All Connections', 'shop/debug-shell[Pod] => shop/db[Deployment] : All Connections']);
  });

  test('distinct workloads with identical pods still connect to each other', () => {
    const text = docs(
      deployment('worker-a', { namespace: 'batch', labels: { app: 'worker' } }),
      deployment('worker-b', { namespace: 'batch', labels: { app: 'worker' } }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: workers, namespace: batch}
        spec:
          podSelector: {matchLabels: {app: worker}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: worker}}}]
              ports: [{port: 7000}]
      `,
    );
    assert.deepEqual(clusterConnlist(text), ['batch/worker-a[Deployment] => batch/worker-b[Deployment] : TCP 7000', 'batch/worker-b[Deployment] => batch/worker-a[Deployment] : TCP 7000']);
    assert.deepEqual(connlist(text, {}, { includeSelf: true, external: false }), [
      'batch/worker-a[Deployment] => batch/worker-a[Deployment] : TCP 7000',
      'batch/worker-a[Deployment] => batch/worker-b[Deployment] : TCP 7000',
      'batch/worker-b[Deployment] => batch/worker-a[Deployment] : TCP 7000',
      'batch/worker-b[Deployment] => batch/worker-b[Deployment] : TCP 7000',
    ]);
  });
});

describe('hostNetwork pods', () => {
  const MON = docs(
    namespace('mon'),
    yaml`
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: node-exporter, namespace: mon}
      spec:
        selector: {matchLabels: {app: node-exporter}}
        template:
          metadata: {labels: {app: node-exporter}}
          spec:
            hostNetwork: true
            containers:
              - name: node-exporter
                image: quay.io/prometheus/node-exporter:v1.8.0
                ports: [{containerPort: 9100, name: metrics}]
    `,
    deployment('prometheus', { namespace: 'mon', labels: { app: 'prometheus' } }),
    deployment('grafana', { namespace: 'mon', labels: { app: 'grafana' } }),
    yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: default-deny, namespace: mon}
      spec:
        podSelector: {}
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: grafana-from-namespace, namespace: mon}
      spec:
        podSelector: {matchLabels: {app: grafana}}
        ingress:
          - from: [{podSelector: {}}]
    `,
  );

  test("hostNetwork 'node' (default): not isolated by policies, not matched by selector peers", () => {
    const expected = [
      'mon/grafana[Deployment] => mon/node-exporter[DaemonSet] : All Connections',
      'mon/prometheus[Deployment] => mon/grafana[Deployment] : All Connections',
      'mon/prometheus[Deployment] => mon/node-exporter[DaemonSet] : All Connections',
    ];
    assert.deepEqual(clusterConnlist(MON), expected);
    assert.deepEqual(clusterConnlist(MON, { hostNetwork: 'node' }), expected);
  });

  test("hostNetwork 'pod': an ordinary pod, isolated and matched like the others", () => {
    assert.deepEqual(clusterConnlist(MON, { hostNetwork: 'pod' }), [
      'mon/node-exporter[DaemonSet] => mon/grafana[Deployment] : All Connections',
      'mon/prometheus[Deployment] => mon/grafana[Deployment] : All Connections',
    ]);
  });
});
