import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';
import { yaml } from '../../helpers/manifests';
import { Workspace } from '../../../server/src/core/workspace';

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

test('files that share several objects are alternative installs: info, and the message says how to analyse them', () => {
  const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: pets}\nspec: {selector: {app: ${name}}, ports: [{port: 80}]}\n`;
  const all = ['order-service', 'product-service', 'store-front'].map(service).join('---\n');
  const found = runRule('duplicate-object', [
    { path: 'aks-store-all-in-one.yaml', text: all },
    { path: 'aks-store-quickstart.yaml', text: all },
  ]);
  assert.equal(found.length, 6);
  assert.ok(found.every((f) => f.severity === 'info'));
  assert.match(found[0].message, /alternative installs of one application, analyse one at a time/);
});

test('a strategic merge patch ($patch: delete) names the object it patches: no finding', () => {
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argocd-application-controller\n$patch: delete\n';
  assert.deepEqual(runRule('duplicate-object', [{ path: 'base/s.yaml', text: statefulSet.replace('StatefulSet', 'Deployment') }, { path: 'components/delete.patch.yaml', text: patch }]), []);
});

test('a Namespace declared again with the same labels is info (Sock Shop re-declares it to annotate it); with other labels, a warning', () => {
  const ns = (extra: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sock-shop\n${extra}`;
  const same = runRule('duplicate-object', [
    { path: 'manifests/00-sock-shop-ns.yaml', text: ns('  labels: {team: shop, env: prod}\n') },
    { path: 'manifests/policy.yaml', text: ns('  labels: {env: prod, team: shop}\n  annotations: {net.beta.kubernetes.io/network-policy: x}\n') },
  ]);
  assert.deepEqual(same.map((f) => f.severity), ['info', 'info']);
  assert.match(same[0].message, /same labels, so namespaceSelectors match it alike/);
  const other = runRule('duplicate-object', `${ns('  labels: {env: prod}\n')}---\n${ns('  labels: {env: staging}\n')}`);
  assert.deepEqual(other.map((f) => f.severity), ['warning', 'warning']);
});

test('different files that nothing deploys together: info, saying which one wins when the folder is applied as a whole', () => {
  const ns = (env: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sock-shop\n  labels: {env: ${env}}\n`;
  const found = runRule('duplicate-object', [
    { path: 'manifests/00-sock-shop-ns.yaml', text: ns('prod') },
    { path: 'manifests/policy.yaml', text: ns('staging') },
  ]);
  assert.deepEqual(found.map((f) => f.severity), ['info', 'info']);
  assert.match(found[0].message, /Nothing here deploys them together \(no kustomization lists both\): applied one after the other, the last one applied holds; if the folder is applied as a whole \(kubectl apply -f takes a folder's files in name order\), the one in manifests\/policy\.yaml wins\./);
});

test('edits replay the last findings only while every named object is the same: a policy keystroke keeps them, moving a definition or adding a kustomization does not', () => {
  const dep = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: i}]}\n`;
  const policy = (port: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: ${port}}]}]\n`;
  const shape = (ws: InstanceType<typeof Workspace>) =>
    ws
      .snapshot()
      .findings()
      .filter((f) => f.rule === 'duplicate-object')
      .map((f) => `${f.span.file}:${f.span.start} ${f.severity} ${f.message}`)
      .sort();
  const steps: { uri: string; text: string }[][] = [
    [
      { uri: 'file:///app/a.yaml', text: `${policy(1)}---\n${dep('web')}` },
      { uri: 'file:///app/b.yaml', text: dep('web') },
    ],
    [{ uri: 'file:///app/a.yaml', text: `${policy(10000)}---\n${dep('web')}` }],
    [{ uri: 'file:///app/a.yaml', text: `${dep('web')}---\n${policy(10000)}` }],
    [{ uri: 'file:///app/kustomization.yaml', text: 'resources: [a.yaml]\n' }],
  ];
  const state = new Map<string, string>();
  const expected = steps.map((changes) => {
    for (const c of changes) state.set(c.uri, c.text);
    const scratch = new Workspace();
    scratch.applyChange([...state].map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
    return shape(scratch);
  });
  const ws = new Workspace();
  const counts: number[] = [];
  for (const [i, changes] of steps.entries()) {
    ws.applyChange(changes.map((c) => ({ kind: 'disk' as const, uri: c.uri, text: c.text })));
    const found = shape(ws);
    assert.deepEqual(found, expected[i], `step ${i}`);
    counts.push(found.length);
  }
  assert.deepEqual(counts, [2, 2, 2, 0], 'deployed together until a kustomization lists a.yaml alone');
});

test('cluster-level policies are cluster-scoped: no namespace in their identity; a second BaselineAdminNetworkPolicy is told to merge', () => {
  const banp = (ns: string) => `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default${ns}}\nspec:\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`;
  // One written with a namespace, one without: still one object (the namespace means nothing for a cluster-scoped kind).
  const found = runRule('duplicate-object', [
    { path: 'a.yaml', text: banp('') },
    { path: 'b.yaml', text: banp(', namespace: shop') },
  ]);
  assert.equal(found.length, 2);
  assert.match(found[0].message, /^BaselineAdminNetworkPolicy default is also defined in b\.yaml\. .* while this analysis applies every definition as a policy of its own\. A cluster has one BaselineAdminNetworkPolicy, named "default": merge their rules into one definition\.$/);
  assert.doesNotMatch(found[0].message, /namespace not set/);
  const anp = (name: string) => `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n`;
  const two = runRule('duplicate-object', [{ path: 'a.yaml', text: anp('x') }, { path: 'b.yaml', text: anp('x') }]);
  assert.match(two[0].message, /^AdminNetworkPolicy x is also defined in b\.yaml\. .*Keep one definition, or give them different names/);
  assert.deepEqual(runRule('duplicate-object', [{ path: 'a.yaml', text: anp('x') }, { path: 'b.yaml', text: anp('y') }]), []);
});

test('definitions for disjoint OpenShift cluster profiles are variants, never applied together (cluster-monitoring-operator manifests/)', () => {
  const deployment = (profiles: string[]) => yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: cluster-monitoring-operator
      namespace: openshift-monitoring
      annotations:
${profiles.map((p) => `        include.release.openshift.io/${p}: "true"`).join('\n')}
    spec:
      selector: {matchLabels: {app: cluster-monitoring-operator}}
      template:
        metadata: {labels: {app: cluster-monitoring-operator}}
        spec: {containers: [{name: operator, image: quay.io/openshift/origin-cluster-monitoring-operator}]}
  `;
  const files = (a: string[], b: string[]) => [
    { path: 'manifests/0000_50_cluster-monitoring-operator_05-deployment.yaml', text: deployment(a) },
    { path: 'manifests/0000_50_cluster-monitoring-operator_05-deployment-ibm-cloud-managed.yaml', text: deployment(b) },
  ];
  assert.deepEqual(runRule('duplicate-object', files(['self-managed-high-availability', 'single-node-developer'], ['ibm-cloud-managed'])), []);
  // A profile in common: both are applied on it, and the later replaces the earlier.
  assert.equal(runRule('duplicate-object', files(['self-managed-high-availability', 'ibm-cloud-managed'], ['ibm-cloud-managed'])).length, 2);
});
