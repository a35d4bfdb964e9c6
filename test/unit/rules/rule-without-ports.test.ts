import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { ruleWithoutPorts } from '../../../server/src/core/rules/rule-without-ports';
import { analyzeYaml, deployment, docs, yaml } from '../helpers/manifests';

const policy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: web, namespace: shop}
  spec:
    podSelector: {matchLabels: {app: web}}
    policyTypes: [Ingress, Egress]
    ingress:
      - from: [{podSelector: {matchLabels: {app: front}}}]
    egress:
      - to: [{podSelector: {matchLabels: {app: db}}}]
`;

describe('rule-without-ports', () => {
  test('suggests the ports the receiving pods declare: the selected pods for ingress, the peers for egress', () => {
    const text = docs(
      deployment('web', { namespace: 'shop', labels: { app: 'web' }, ports: [{ containerPort: 8080 }, { containerPort: 8443 }] }),
      deployment('db', { namespace: 'shop', labels: { app: 'db' }, ports: [{ containerPort: 5432 }] }),
      policy,
    );
    const [ingress, egress] = runRules(analyzeYaml(text), { rules: [ruleWithoutPorts] });
    assert.match(ingress.message, /the selected pods declare containerPorts TCP 8080 and TCP 8443\), e\.g\. ports: \[\{port: 8080, protocol: TCP\}\]/);
    assert.match(egress.message, /the destination pods declare containerPorts TCP 5432\), e\.g\. ports: \[\{port: 5432, protocol: TCP\}\]/);
  });

  test('without known pods, a placeholder', () => {
    const [f] = runRules(analyzeYaml(policy), { rules: [ruleWithoutPorts] });
    assert.match(f.message, /e\.g\. ports: \[\{port: <port>, protocol: TCP\}\]/);
  });
});
