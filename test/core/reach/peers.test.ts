import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterConnlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

/**
 * Three namespaces (two of team a, one undeclared), each with an `app: x` and an
 * `app: y` workload; `prod/api` is the destination guarded by the policy under test.
 */
const CLUSTER = docs(
  namespace('prod', { team: 'a', env: 'prod' }),
  namespace('staging', { team: 'a', env: 'staging' }),
  deployment('api', { namespace: 'prod', labels: { app: 'api' } }),
  ...['prod', 'staging', 'legacy'].flatMap((ns) => [
    deployment('x', { namespace: ns, labels: { app: 'x' } }),
    deployment('y', { namespace: ns, labels: { app: 'y' } }),
  ]),
);

/** Sources admitted to prod/api by an ingress rule with the given `from` list. */
function sourcesOfApi(from: string): string[] {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: prod
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
    - from:
${from.split('\n').map((l) => `        ${l}`).join('\n')}
`;
  return clusterConnlist(docs(CLUSTER, policy))
    .filter((l) => l.includes(' => prod/api[Deployment] : '))
    .map((l) => l.slice(0, l.indexOf('[Deployment]')));
}

describe('ingress peers', () => {
  test('podSelector alone: pods of the policy namespace only', () => {
    assert.deepEqual(sourcesOfApi('- podSelector: {matchLabels: {app: x}}'), ['prod/x']);
    assert.deepEqual(sourcesOfApi('- podSelector: {}'), ['prod/x', 'prod/y']);
  });

  test('namespaceSelector alone: every pod of the matching namespaces', () => {
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchLabels: {env: staging}}'), ['staging/x', 'staging/y']);
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchLabels: {team: a}}'), ['prod/x', 'prod/y', 'staging/x', 'staging/y']);
  });

  test('namespaceSelector: {} selects every namespace, declared or not', () => {
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {}'), ['legacy/x', 'legacy/y', 'prod/x', 'prod/y', 'staging/x', 'staging/y']);
  });

  test('namespaceSelector and podSelector in one peer: AND', () => {
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchLabels: {team: a}}\n  podSelector: {matchLabels: {app: x}}'), ['prod/x', 'staging/x']);
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {}\n  podSelector: {matchLabels: {app: y}}'), ['legacy/y', 'prod/y', 'staging/y']);
  });

  test('the classic mistake: two list items are OR, admitting far more', () => {
    // Meant "app=x pods of team-a namespaces"; the stray "-" makes it two peers:
    // every pod of team-a namespaces, OR app=x pods of the policy namespace.
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchLabels: {team: a}}\n- podSelector: {matchLabels: {app: x}}'), [
      'prod/x',
      'prod/y',
      'staging/x',
      'staging/y',
    ]);
  });

  test('a peer namespaceSelector left empty (null) is absent, not {}: the policy namespace only', () => {
    // Peer selectors are pointers in the API: null decodes as nil, unlike `{}`.
    assert.deepEqual(sourcesOfApi('- namespaceSelector:\n  podSelector: {matchLabels: {app: x}}'), ['prod/x']);
    assert.deepEqual(sourcesOfApi('- namespaceSelector: null\n  podSelector: {matchLabels: {app: x}}'), ['prod/x']);
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {}\n  podSelector: {matchLabels: {app: x}}'), ['legacy/x', 'prod/x', 'staging/x']);
    // A null podSelector next to a namespaceSelector: every pod of those namespaces.
    assert.deepEqual(sourcesOfApi('- podSelector:\n  namespaceSelector: {matchLabels: {env: staging}}'), ['staging/x', 'staging/y']);
  });

  test('undeclared namespaces carry only kubernetes.io/metadata.name', () => {
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: legacy}}'), ['legacy/x', 'legacy/y']);
    // A `name:` label that nobody set selects nothing.
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchLabels: {name: legacy}}'), []);
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}'), ['legacy/x', 'legacy/y']);
  });

  test('declared namespaces match on their own labels and on the automatic name label', () => {
    assert.deepEqual(
      sourcesOfApi('- namespaceSelector: {matchLabels: {team: a, kubernetes.io/metadata.name: staging}}\n  podSelector: {matchLabels: {app: y}}'),
      ['staging/y'],
    );
    assert.deepEqual(sourcesOfApi('- namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}'), [
      'legacy/x',
      'legacy/y',
      'staging/x',
      'staging/y',
    ]);
  });

  test('peers of one rule are ORed with each other, and rules with each other', () => {
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: api-ingress, namespace: prod}
      spec:
        podSelector: {matchLabels: {app: api}}
        ingress:
          - from:
              - podSelector: {matchLabels: {app: x}}
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: legacy}}
                podSelector: {matchLabels: {app: y}}
            ports: [{port: 443}]
          - from:
              - namespaceSelector: {matchLabels: {env: staging}}
            ports: [{port: 8443}]
    `;
    assert.deepEqual(
      clusterConnlist(docs(CLUSTER, policy)).filter((l) => l.includes('=> prod/api')),
      [
        'legacy/y[Deployment] => prod/api[Deployment] : TCP 443',
        'prod/x[Deployment] => prod/api[Deployment] : TCP 443',
        'staging/x[Deployment] => prod/api[Deployment] : TCP 8443',
        'staging/y[Deployment] => prod/api[Deployment] : TCP 8443',
      ],
    );
  });
});

describe('egress peers', () => {
  test('egress to: podSelector alone stays in the policy namespace; namespaceSelector reaches out', () => {
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: api-egress, namespace: prod}
      spec:
        podSelector: {matchLabels: {app: api}}
        policyTypes: [Egress]
        egress:
          - to: [{podSelector: {matchLabels: {app: y}}}]
            ports: [{port: 5432}]
          - to: [{namespaceSelector: {matchLabels: {env: staging}}, podSelector: {matchLabels: {app: x}}}]
    `;
    assert.deepEqual(
      clusterConnlist(docs(CLUSTER, policy)).filter((l) => l.startsWith('prod/api')),
      ['prod/api[Deployment] => prod/y[Deployment] : TCP 5432', 'prod/api[Deployment] => staging/x[Deployment] : All Connections'],
    );
  });
});
