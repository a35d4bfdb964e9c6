import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { emptyPeer } from '../../../server/src/core/validate/empty-peer';
import { ipblockWithSelector } from '../../../server/src/core/validate/ipblock-with-selector';
import { unknownField } from '../../../server/src/core/validate/unknown-field';
import { analyzeYaml, clusterConnlist, deployment, docs } from '../helpers/manifests';

const WORKLOADS = docs(deployment('a', { namespace: 'shop', labels: { app: 'a' } }), deployment('b', { namespace: 'shop', labels: { app: 'b' } }));

const policy = (ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
${ingress}`;

describe('empty-peer and ipblock-with-selector', () => {
  test('from: [{}] rejects the whole policy; the empty rule ingress: [{}] is valid', () => {
    const emptyRule = docs(WORKLOADS, policy('  - {}\n'));
    assert.deepEqual(analyzeYaml(emptyRule).model.policies[0].rejected, []);
    assert.deepEqual(runRules(analyzeYaml(emptyRule), { rules: [emptyPeer] }), []);
    assert.deepEqual(clusterConnlist(emptyRule), ['shop/a[Deployment] => shop/b[Deployment] : All Connections', 'shop/b[Deployment] => shop/a[Deployment] : All Connections']);

    // Rejected: the policy never exists, so b is not isolated either.
    const emptyPeerPolicy = docs(WORKLOADS, policy('  - from: [{}]\n    ports: [{port: 80}]\n'));
    const { model } = analyzeYaml(emptyPeerPolicy);
    assert.match(model.policies[0].rejected.join('\n'), /spec\.ingress\[0\]\.from\[0\]: A peer must specify podSelector, namespaceSelector or ipBlock/);
    assert.deepEqual(clusterConnlist(emptyPeerPolicy), ['shop/a[Deployment] => shop/b[Deployment] : All Connections', 'shop/b[Deployment] => shop/a[Deployment] : All Connections']);
  });

  test('a peer whose only key is misspelled is left to unknown-field, once', () => {
    const text = policy('  - from: [{podSelectr: {}}]\n');
    assert.deepEqual(runRules(analyzeYaml(text), { rules: [emptyPeer] }), []);
    assert.equal(runRules(analyzeYaml(text), { rules: [unknownField] }).length, 1);
  });

  test('ipBlock with a selector rejects the policy', () => {
    const text = docs(WORKLOADS, policy('  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {matchLabels: {app: a}}}]\n'));
    const [f] = runRules(analyzeYaml(text), { rules: [ipblockWithSelector] });
    assert.equal(f.path, 'spec.ingress[0].from[0].podSelector');
    assert.match(analyzeYaml(text).model.policies[0].rejected.join('\n'), /may not specify both ipBlock and another peer/);
  });
});
