import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';
import { analyzeYaml, yaml } from '../../helpers/manifests';

// kubernetes-sigs/network-policy-api's policy-assistant walkthrough demo: written for the
// v0.1.1 CRDs it installs (a peer's namespaces: {namespaceSelector: …}, removed in v0.1.3).
const earlier = yaml`
  apiVersion: policy.networking.k8s.io/v1alpha1
  kind: AdminNetworkPolicy
  metadata:
    name: anp2
  spec:
    priority: 2
    subject:
      namespaces: {}
    ingress:
    - name: "development-ns"
      action: "Pass"
      from:
      - namespaces:
          namespaceSelector:
            matchLabels:
              development: "true"
`;

test('a peer written for the v0.1.0–v0.1.2 CRDs is info, not a rejection, and the analysis reads its selector as they do', () => {
  const found = runRule('invalid-cluster-policy', earlier);
  assert.deepEqual(found.map((f) => [f.severity, f.path, f.text]), [['info', 'spec.ingress[0].from[0].namespaces.namespaceSelector', 'namespaceSelector']]);
  assert.match(found[0].message, /^namespaces: \{namespaceSelector: …\} is the peer of the v0\.1\.0–v0\.1\.2 CRDs .*: they accept it, and this analysis reads it as they do; the CRDs of v0\.1\.3 and later reject the AdminNetworkPolicy /);
  const [anp] = analyzeYaml(earlier).model.clusterPolicies;
  assert.deepEqual(anp.rejected, []);
  const peer = anp.ingress[0].peers[0];
  assert.ok(peer.type === 'pods');
  assert.deepEqual({ ...peer.namespaceSelector.matchLabels }, { development: 'true' });
});

test('the inner selector is still checked, and anything else stays a rejection (the subject, a selector with other keys)', () => {
  const badInner = earlier.replace('development: "true"', 'development: [x]');
  assert.ok(runRule('invalid-cluster-policy', badInner).some((f) => f.severity === 'error' && f.path.startsWith('spec.ingress[0].from[0].namespaces.namespaceSelector.matchLabels')));
  const subject = earlier.replace('namespaces: {}', 'namespaces: {namespaceSelector: {}}');
  const s = runRule('invalid-cluster-policy', subject).filter((f) => f.path === 'spec.subject.namespaces.namespaceSelector');
  assert.deepEqual(s.map((f) => f.severity), ['error']);
  const mixed = earlier.replace(/- namespaces:\n( +)/, '- namespaces:\n$1matchLabels: {a: b}\n$1');
  assert.deepEqual(runRule('invalid-cluster-policy', mixed).map((f) => f.severity), ['error']);
  assert.ok(analyzeYaml(mixed).model.clusterPolicies[0].rejected.length > 0);
});
