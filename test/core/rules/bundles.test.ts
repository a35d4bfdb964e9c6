import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import { bundleOf } from '../../../server/src/core/model/bundles';
import { deployment, yaml } from '../../helpers/manifests';

// An install bundle applied with kubectl apply -n argocd (argo-cd's manifests/install.yaml):
// no object sets a namespace.
const redis = deployment('argocd-redis', { labels: { 'app.kubernetes.io/name': 'argocd-redis' }, ports: [{ containerPort: 6379 }] });
const redisPolicy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: argocd-redis-network-policy}
  spec:
    podSelector: {matchLabels: {app.kubernetes.io/name: argocd-redis}}
    policyTypes: [Ingress, Egress]
    ingress:
    - from:
      - podSelector: {matchLabels: {app.kubernetes.io/name: argocd-server}}
      ports: [{port: 6379, protocol: TCP}]
`;
const server = deployment('argocd-server', { labels: { 'app.kubernetes.io/name': 'argocd-server' } });

describe('bundles without namespaces (kubectl apply -n)', () => {
  const files = [
    { path: 'argocd/manifests/redis.yaml', text: `${redis}---\n${redisPolicy}` },
    { path: 'argocd/manifests/server.yaml', text: server },
  ];

  test('a bundle is a folder', () => {
    assert.equal(bundleOf('argocd/manifests/redis.yaml'), 'argocd/manifests');
    assert.equal(bundleOf('file:///w/a/b.yaml'), 'file:///w/a');
    assert.equal(bundleOf('C:\\w\\a\\b.yaml'), 'C:\\w\\a');
    const { model } = analyze(files);
    assert.deepEqual([...model.namespacelessBundles], ['argocd/manifests']);
  });

  test('missing-namespace does not fire; findings that name the assumed namespace say so', () => {
    const findings = runRules(analyze(files));
    assert.deepEqual(findings.filter((f) => f.rule === 'missing-namespace'), []);
    const dns = findings.find((f) => f.rule === 'egress-blocks-dns');
    assert.ok(dns, findings.map((f) => f.rule).join());
    assert.match(dns.message, /Deployment default\/argocd-redis \(namespace not set; analysed as default\)/);
    const deny = findings.find((f) => f.rule === 'namespace-without-default-deny');
    assert.match(deny?.message ?? '', /^Namespace default \(namespace not set; analysed as default\) has workloads/);
  });

  test('a folder where some manifest sets a namespace is not such a bundle', () => {
    const withNs = [...files, { path: 'argocd/manifests/sa.yaml', text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x, namespace: argocd}\n' }];
    const findings = runRules(analyze(withNs));
    assert.equal(findings.filter((f) => f.rule === 'missing-namespace').length, 1);
    assert.ok(!findings.some((f) => f.message.includes('namespace not set; analysed as')));
  });

  test('no fix writes the assumed default namespace into a manifest', () => {
    const analysis = analyze(files);
    const texts = new Map(files.map((f) => [f.path, f.text]));
    for (const finding of runRules(analysis)) {
      for (const fix of fixesFor(finding, { analysis, text: (p) => texts.get(p) })) {
        for (const edit of fix.edits) {
          const text = 'newText' in edit ? edit.newText : edit.text;
          assert.doesNotMatch(text, /namespace: default|metadata\.name: default/, `${finding.rule}: ${fix.title}`);
        }
      }
    }
  });
});
