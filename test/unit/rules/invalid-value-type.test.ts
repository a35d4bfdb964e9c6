import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { VALIDATION_RULES } from '../../../server/src/core/validate/catalog';
import { invalidValueType } from '../../../server/src/core/validate/invalid-value-type';
import { analyzeYaml, clusterConnlist, deployment, docs } from '../helpers/manifests';

const policy = (value: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-b, namespace: shop}
spec:
  podSelector: {matchLabels: {app: b, version: ${value}}}
  policyTypes: [Ingress]
`;

describe('invalid-value-type', () => {
  test('an unquoted number as a label value fails to decode: the policy does not exist', () => {
    const workloads = docs(deployment('a', { namespace: 'shop', labels: { app: 'a' } }), deployment('b', { namespace: 'shop', labels: { app: 'b', version: '1' } }));
    const quoted = docs(workloads, policy('"1"'));
    assert.deepEqual(clusterConnlist(quoted), ['shop/b[Deployment] => shop/a[Deployment] : All Connections']);
    const unquoted = docs(workloads, policy('1'));
    const [f] = runRules(analyzeYaml(unquoted), { rules: [invalidValueType] });
    assert.equal(f.path, 'spec.podSelector.matchLabels.version');
    assert.match(f.message, /the value of version is the number 1: quote it, "1"\./);
    // Rejected: b stays open.
    assert.deepEqual(clusterConnlist(unquoted), ['shop/a[Deployment] => shop/b[Deployment] : All Connections', 'shop/b[Deployment] => shop/a[Deployment] : All Connections']);
  });

  test('YAML 1.1-only booleans (yes, on, y) are not reported: YAML 1.2 tools keep them as strings', () => {
    for (const v of ['yes', 'on', 'y', 'No']) assert.deepEqual(runRules(analyzeYaml(policy(v)), { rules: [invalidValueType] }), [], v);
    for (const v of ['true', 'False', '1.5', '0x1F']) assert.equal(runRules(analyzeYaml(policy(v)), { rules: [invalidValueType] }).length, 1, v);
  });

  test('types checked by the port, protocol, CIDR, operator and policyTypes rules are left to them', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: a, operator: [In]}]}
  policyTypes: Ingress
  ingress:
  - from: [{ipBlock: {cidr: [10.0.0.0/8], except: [{}]}}]
    ports: [{port: true, endPort: "90", protocol: 6}]
`;
    assert.deepEqual(runRules(analyzeYaml(text), { rules: [invalidValueType] }), []);
    // …and each of them does report its wrong type.
    const paths = runRules(analyzeYaml(text), { rules: VALIDATION_RULES }).map((f) => `${f.rule} ${f.path}`);
    assert.deepEqual(paths.sort(), [
      'invalid-cidr spec.ingress[0].from[0].ipBlock.cidr',
      'invalid-cidr spec.ingress[0].from[0].ipBlock.except[0]',
      'invalid-end-port spec.ingress[0].ports[0].endPort',
      'invalid-label-selector spec.podSelector.matchExpressions[0].operator',
      'invalid-policy-types spec.policyTypes',
      'invalid-port spec.ingress[0].ports[0].port',
      'invalid-protocol spec.ingress[0].ports[0].protocol',
    ]);
  });
});
