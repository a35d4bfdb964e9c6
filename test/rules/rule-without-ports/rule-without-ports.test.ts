import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { ruleWithoutPorts } from '../../../server/src/core/rules/rule-without-ports';
import { fixesFor } from '../../../server/src/core/fixes/fixes';
import { analyzeYaml, deployment, docs, yaml } from '../../helpers/manifests';

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

  test('an egress rule to every pod of the cluster: the example keeps DNS (k8spatterns egress-allow-internal-only)', () => {
    const internal = policy.replace('- to: [{podSelector: {matchLabels: {app: db}}}]', '- to: [{namespaceSelector: {}}]');
    assert.notEqual(internal, policy);
    const text = docs(deployment('db', { namespace: 'shop', labels: { app: 'db' }, ports: [{ containerPort: 5432 }] }), internal);
    const egress = runRules(analyzeYaml(text), { rules: [ruleWithoutPorts] }).find((f) => f.path.startsWith('spec.egress'))!;
    assert.match(egress.message, /e\.g\. ports: \[\{port: 5432, protocol: TCP\}, \{port: 53, protocol: UDP\}, \{port: 53, protocol: TCP\}\] \(these destinations include the cluster DNS: keep 53 over UDP and TCP\)\./);
    // Destinations that are not the DNS: no such note.
    const plain = runRules(analyzeYaml(docs(deployment('db', { namespace: 'shop', labels: { app: 'db' }, ports: [{ containerPort: 5432 }] }), policy)), { rules: [ruleWithoutPorts] }).find((f) => f.path.startsWith('spec.egress'))!;
    assert.doesNotMatch(plain.message, /cluster DNS/);
  });

  test('without known pods, a placeholder', () => {
    const [f] = runRules(analyzeYaml(policy), { rules: [ruleWithoutPorts] });
    assert.match(f.message, /e\.g\. ports: \[\{port: <port>, protocol: TCP\}\]/);
  });

  test('the port fix adds ports only where it knows every peer\'s pods: not beside an ipBlock, a namespace picked by other labels, or pods without declared ports', () => {
    const egress = (peers: string) => yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: web, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: web}}
        policyTypes: [Egress]
        egress:
          - to: ${peers}
    `;
    const world = [
      deployment('web', { namespace: 'shop', labels: { app: 'web' }, ports: [{ containerPort: 8080 }] }),
      deployment('db', { namespace: 'shop', labels: { app: 'db' }, ports: [{ containerPort: 5432 }] }),
      deployment('cache', { namespace: 'shop', labels: { app: 'cache' } }),
    ];
    const titles = (peers: string) => {
      const text = docs(...world, egress(peers));
      const analysis = analyzeYaml(text);
      const [f] = runRules(analysis, { rules: [ruleWithoutPorts] });
      assert.ok(f, peers);
      return fixesFor(f, { analysis, text: () => text }).map((x) => x.title);
    };
    assert.deepEqual(titles('[{podSelector: {matchLabels: {app: db}}}]'), ['Add ports: 5432 (the container ports of the destination pods)']);
    assert.deepEqual(titles('[{podSelector: {matchLabels: {app: db}}}, {ipBlock: {cidr: 10.0.0.0/8}}]'), []);
    assert.deepEqual(titles('[{namespaceSelector: {matchLabels: {team: data}}}]'), []);
    assert.deepEqual(titles('[{podSelector: {matchLabels: {app: cache}}}]'), []);
    assert.deepEqual(titles('[{podSelector: {matchLabels: {app: db}}}, {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]'), [
      'Add ports: 53, 53/UDP, 5432 (the container ports of the destination pods)',
    ]);
  });
});
