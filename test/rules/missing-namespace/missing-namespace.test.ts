import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

test('the message names the namespace the analysis assumed', () => {
  const text = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny}
    spec: {podSelector: {}}
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: deployer, namespace: team-a}
  `;
  const found = runRule('missing-namespace', text, { analyze: { defaultNamespace: 'team-a' } });
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'deny');
  assert.equal(found[0].path, 'metadata.name');
  assert.match(found[0].message, /assumes namespace "team-a"/);
});

test('a folder of which no manifest sets a namespace is installed with kubectl apply -n: no finding', () => {
  const policy = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: argocd-redis-network-policy}
    spec: {podSelector: {matchLabels: {app.kubernetes.io/name: argocd-redis}}, policyTypes: [Ingress]}
  `;
  const deployment = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: argocd-redis}
    spec:
      selector: {matchLabels: {app.kubernetes.io/name: argocd-redis}}
      template:
        metadata: {labels: {app.kubernetes.io/name: argocd-redis}}
        spec: {containers: [{name: redis, image: redis}]}
  `;
  assert.deepEqual(runRule('missing-namespace', `${policy}---\n${deployment}`), []);
  // The same policy beside manifests that set a namespace is reported.
  assert.equal(runRule('missing-namespace', `${policy}---\n${deployment.replace('name: argocd-redis}', 'name: argocd-redis, namespace: argocd}')}`).length, 1);
});
