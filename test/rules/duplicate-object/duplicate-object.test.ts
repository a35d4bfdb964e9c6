import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';
import { yaml } from '../../helpers/manifests';

// argo-cd's manifests/base: the real StatefulSet, and a partial copy (replicas 0, no
// labels) in a folder of its own that base/kustomization.yaml does not list.
const statefulSet = yaml`
  apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: argocd-application-controller}
  spec:
    selector: {matchLabels: {app.kubernetes.io/name: argocd-application-controller}}
    template:
      metadata: {labels: {app.kubernetes.io/name: argocd-application-controller}}
      spec: {containers: [{name: argocd-application-controller, image: quay.io/argoproj/argocd}]}
`;
const partial = yaml`
  apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: argocd-application-controller}
  spec:
    replicas: 0
    template:
      spec: {containers: [{name: argocd-application-controller, image: quay.io/argoproj/argocd}]}
`;

test('a definition in another file is named; the assumed namespace is said', () => {
  const found = runRule('duplicate-object', [
    { path: 'base/application-controller/argocd-application-controller-statefulset.yaml', text: statefulSet },
    { path: 'base/application-controller-deployment/argocd-application-controller-statefulset.yaml', text: partial },
  ]);
  assert.deepEqual(found.map((f) => f.text), ['argocd-application-controller', 'argocd-application-controller']);
  assert.match(found[0].message, /^StatefulSet default\/argocd-application-controller \(namespace not set; analysed as default\) is also defined in base\/application-controller-deployment\/argocd-application-controller-statefulset\.yaml\. /);
  assert.match(found[1].message, /is also defined in base\/application-controller\/argocd-application-controller-statefulset\.yaml\. /);
});

test('NetworkPolicies are left to duplicate-policy-name', () => {
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: {}}\n';
  assert.deepEqual(runRule('duplicate-object', `${policy}---\n${policy}`), []);
});
