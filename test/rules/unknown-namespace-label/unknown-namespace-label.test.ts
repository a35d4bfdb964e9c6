import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { unknownNamespaceLabel } from '../../../server/src/core/rules/unknown-namespace-label';
import { analyzeYaml, docs, namespace, yaml } from '../../helpers/manifests';
import type { SourceFile } from '../../../server/src/core/manifest/types';

function run(input: string | SourceFile[]) {
  const files = typeof input === 'string' ? [{ path: 'manifests.yaml', text: input }] : input;
  return runRules(analyzeYaml(files), { rules: [unknownNamespaceLabel] });
}

const policy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: api, namespace: shop}
  spec:
    podSelector: {}
    ingress:
      - from:
          - namespaceSelector: {matchLabels: {name: monitoring}}
          - namespaceSelector:
              matchExpressions: [{key: env, operator: In, values: [shop, monitoring]}]
`;

describe('unknown-namespace-label', () => {
  test('without declared Namespaces, namespace labels are unknown: no finding', () => {
    assert.deepEqual(run(policy), []);
  });

  test('a label carried by a Namespace in another file is known', () => {
    const findings = run([
      { path: 'ns.yaml', text: docs(namespace('monitoring', { name: 'monitoring' })) },
      { path: 'policy.yaml', text: policy },
    ]);
    assert.deepEqual(findings.map((f) => f.path), ['spec.ingress[0].from[1].namespaceSelector.matchExpressions[0].key']);
    // Both values name known namespaces (shop is referenced by the policy itself).
    assert.match(findings[0].message, /write \{key: kubernetes\.io\/metadata\.name, operator: In, values: \[shop, monitoring\]\}/);
  });

  test('a value that names no known namespace gets no name suggestion', () => {
    const [f] = run(docs(namespace('shop'), policy.replace('{name: monitoring}', '{name: prod}')));
    assert.match(f.message, /has a label name /);
    assert.doesNotMatch(f.message, /write kubernetes\.io\/metadata\.name/);
  });

  test('the name confusion is a warning; another key is info (namespaces made at run time may carry it)', () => {
    // kubeflow's policies admit user namespaces that the profile controller labels at run time.
    const kubeflow = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: ml-pipeline, namespace: kubeflow}
      spec:
        podSelector: {matchLabels: {app: ml-pipeline}}
        ingress:
          - from:
              - namespaceSelector: {matchLabels: {app.kubernetes.io/part-of: kubeflow-profile}}
              - namespaceSelector: {matchLabels: {name: kubeflow}}
            ports: [{port: 8888}]
    `;
    const findings = run(docs(namespace('kubeflow', { 'app.kubernetes.io/name': 'kubeflow' }), kubeflow));
    assert.deepEqual(findings.map((f) => [f.path, f.severity]), [
      ['spec.ingress[0].from[0].namespaceSelector.matchLabels.app.kubernetes.io/part-of', 'info'],
      ['spec.ingress[0].from[1].namespaceSelector.matchLabels.name', 'warning'],
    ]);
    assert.match(findings[0].message, /^None of the 1 Namespace declared here has a label app\.kubernetes\.io\/part-of .*matches only namespaces made elsewhere/);
  });

  test('a key whose values are all namespaces of the workspace is the confusion too', () => {
    const findings = run(docs(namespace('shop'), namespace('monitoring'), policy));
    assert.deepEqual(findings.map((f) => [f.path, f.severity]), [
      ['spec.ingress[0].from[0].namespaceSelector.matchLabels.name', 'warning'],
      ['spec.ingress[0].from[1].namespaceSelector.matchExpressions[0].key', 'warning'],
    ]);
  });
});
