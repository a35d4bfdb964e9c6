import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeYaml, clusterConnlist, docs } from '../../helpers/manifests';

const WORKLOADS = docs(
  'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop, labels: {app: a}}\nspec: {containers: [{name: c, image: i}]}',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: shop, labels: {app: b}}\nspec: {containers: [{name: c, image: i}]}',
);

const policy = (port: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-80, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - ports:
    - port: ${port}
`;

test('a policy the API server rejects does not exist for the analysis, and is noted', () => {
  const valid = clusterConnlist(docs(WORKLOADS, policy('80')));
  assert.deepEqual(valid, ['shop/a[Pod] => shop/b[Pod] : TCP 80', 'shop/b[Pod] => shop/a[Pod] : All Connections']);
  // port 0 is rejected: the policy never reaches the cluster, b stays open.
  const rejected = docs(WORKLOADS, policy('0'));
  assert.deepEqual(clusterConnlist(rejected), ['shop/a[Pod] => shop/b[Pod] : All Connections', 'shop/b[Pod] => shop/a[Pod] : All Connections']);
  const { model } = analyzeYaml(rejected);
  assert.equal(model.policies[0].rejected.length, 1);
  assert.match(model.notes.map((n) => n.message).join('\n'), /NetworkPolicy shop\/only-80 would be rejected by the API server \(spec\.ingress\[0\]\.ports\[0\]\.port: Invalid port 0/);
});

test('a warning-level finding (non-canonical CIDR) does not reject the policy', () => {
  const text = docs(WORKLOADS, `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sloppy, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.5/24}}]
`);
  const { model } = analyzeYaml(text);
  assert.deepEqual(model.policies[0].rejected, []);
  assert.deepEqual(clusterConnlist(text), ['shop/b[Pod] => shop/a[Pod] : All Connections']);
});
