import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';

const policy = (rules: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Ingress, Egress]\n${rules}`;

test('admitting labelled pods from any namespace on every port is a warning', () => {
  const found = runRule('all-namespaces', policy('  ingress:\n    - from:\n        - namespaceSelector: {}\n          podSelector: {matchLabels: {app: prometheus}}\n'));
  assert.deepEqual(found.map((f) => f.severity), ['warning']);
  assert.match(found[0].message, /whoever can create a pod in any namespace can give it those labels/);
});

test('a peer that is namespaceSelector: {} alone (Flux\'s allow-webhooks, "in-cluster only") is info, as an explicit allow-all is', () => {
  const found = runRule(
    'all-namespaces',
    policy('  ingress:\n    - from:\n        - namespaceSelector: {}\n    - from:\n        - namespaceSelector: {}\n          podSelector: {}\n  egress:\n    - to:\n        - namespaceSelector: {}\n'),
  );
  assert.deepEqual(found.map((f) => f.severity), ['info', 'info', 'info']);
  assert.match(found[0].message, /every pod of the cluster" in so many words .*If you meant the policy's own namespace, write podSelector: \{\} instead/);
  // The allow-all it is narrower than is info as well.
  const allowAll = runRule('allow-all-peers', policy('  ingress:\n    - {}\n'));
  assert.deepEqual(allowAll.map((f) => f.severity), ['info']);
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

test('an egress peer naming pods in every namespace is info, an ingress one on every port a warning', () => {
  const found = runRule('all-namespaces', policy('  ingress:\n    - from:\n        - namespaceSelector: {}\n          podSelector: {matchLabels: {role: client}}\n  egress:\n    - to:\n        - namespaceSelector: {}\n          podSelector: {matchLabels: {role: client}}\n'));
  assert.deepEqual(found.map((f) => f.severity), ['warning', 'info']);
});
