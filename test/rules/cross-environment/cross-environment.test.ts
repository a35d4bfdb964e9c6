import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { docs, yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

const NAMESPACES = docs(
  yaml`
    apiVersion: v1
    kind: Namespace
    metadata: {name: pay-prod, labels: {env: prod, environment: shared}}
  `,
  yaml`
    apiVersion: v1
    kind: Namespace
    metadata: {name: pay-dev, labels: {env: dev, environment: shared}}
  `,
);

const POLICY = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: api, namespace: pay-prod}
  spec:
    podSelector: {}
    ingress:
      - from:
          - namespaceSelector: {matchExpressions: [{key: env, operator: Exists}]}
`;

describe('cross-environment', () => {
  test('the environment label is an option', () => {
    const found = runRule('cross-environment', docs(NAMESPACES, POLICY), { rules: { environmentLabel: 'env' } });
    assert.equal(found.length, 1);
    assert.equal(found[0].text, 'namespaceSelector');
    assert.equal(found[0].path, 'spec.ingress[0].from[0].namespaceSelector');
    assert.match(found[0].message, /namespace pay-prod \(env=prod\) from namespaces of another environment \(dev\): pay-dev \(env=dev\)/);
    assert.match(found[0].message, /env=prod/);
  });

  test('with the default key, these namespaces are all one environment ("shared")', () => {
    assert.deepEqual(runRule('cross-environment', docs(NAMESPACES, POLICY)), []);
  });

  test('egress towards another environment, across files', () => {
    const egress = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: out, namespace: pay-dev}
      spec:
        podSelector: {}
        egress:
          - to:
              - namespaceSelector: {matchLabels: {env: prod}}
    `;
    const found = runRule('cross-environment', [{ path: 'ns.yaml', text: NAMESPACES }, { path: 'policy.yaml', text: egress }], { rules: { environmentLabel: 'env' } });
    assert.deepEqual(found.map((f) => [f.at, f.text]), [['policy.yaml:8:10-27', 'namespaceSelector']]);
    assert.match(found[0].message, /lets namespace pay-dev \(env=dev\) send traffic to namespaces of another environment \(prod\): pay-prod/);
  });
});
