import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';

const policy = (rules: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Ingress, Egress]\n${rules}`;

test('on every port, or admitting labelled pods from anywhere, it is a warning', () => {
  const found = runRule('all-namespaces', policy('  ingress:\n    - from:\n        - namespaceSelector: {}\n    - from:\n        - namespaceSelector: {}\n          podSelector: {matchLabels: {app: prometheus}}\n'));
  assert.deepEqual(found.map((f) => f.severity), ['warning', 'warning']);
  assert.match(found[1].message, /whoever can create a pod in any namespace can give it those labels/);
});

test('scoped by the rule\'s ports (argo-cd\'s metrics ports), or an egress peer naming its pods (eks-workshop\'s ui), it is info', () => {
  const found = runRule(
    'all-namespaces',
    policy('  ingress:\n    - from:\n        - namespaceSelector: { }\n      ports:\n        - port: 5558\n          protocol: TCP\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n          podSelector:\n            matchLabels: {app.kubernetes.io/component: service}\n'),
  );
  assert.deepEqual(found.map((f) => f.severity), ['info', 'info']);
  assert.match(found[0].message, /The rule lists its ports, so this reads as deliberate .*; if it is not, name the namespaces you mean/);
  assert.match(found[1].message, /The peer names the pods it means/);
});

test('an egress peer without pods, on every port, stays a warning', () => {
  const found = runRule('all-namespaces', policy('  egress:\n    - to:\n        - namespaceSelector: {}\n'));
  assert.deepEqual(found.map((f) => f.severity), ['warning']);
});
