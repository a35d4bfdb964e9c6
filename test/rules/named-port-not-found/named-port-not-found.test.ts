import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, docs, yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

const WORKLOADS = docs(
  deployment('web', { namespace: 'shop', labels: { tier: 'front', app: 'web' }, ports: [{ containerPort: 8080, name: 'http' }] }),
  deployment('admin', { namespace: 'shop', labels: { tier: 'front', app: 'admin' }, ports: [{ containerPort: 9000, name: 'admin-http' }] }),
);

const policy = (port: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: front, namespace: shop}
  spec:
    podSelector: {matchLabels: {tier: front}}
    ingress:
      - ports:
          - port: ${port}
`;

test('one selected workload declaring the name is enough (policies often cover several)', () => {
  assert.deepEqual(runRule('named-port-not-found', [{ path: 'w.yaml', text: WORKLOADS }, { path: 'p.yaml', text: policy('admin-http') }]), []);
});

test('pods in another file; every selected workload named; the declared names listed', () => {
  const found = runRule('named-port-not-found', [{ path: 'w.yaml', text: WORKLOADS }, { path: 'p.yaml', text: policy('metrics') }]);
  assert.deepEqual(found.map((f) => [f.at, f.text]), [['p.yaml:8:16-23', 'metrics']]);
  assert.equal(
    found[0].message,
    'No pod this policy selects (shop/web[Deployment], shop/admin[Deployment]) declares a port named "metrics" for TCP, so this port matches nothing on them. Declared port names: admin-http (TCP 9000), http (TCP 8080).',
  );
});

test('no policy, no pods: nothing is judged without the pods', () => {
  assert.deepEqual(runRule('named-port-not-found', [{ path: 'p.yaml', text: policy('metrics') }]), []);
});
