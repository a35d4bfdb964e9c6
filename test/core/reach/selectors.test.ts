import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorMatches } from '../../../server/src/core/reach/selectors';
import { analyzeYaml, clusterConnlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

/**
 * One namespace of pods with varied labels, and a policy isolating `db` whose only
 * ingress rule admits the given peer podSelector. Returns the workloads that reach db.
 */
const LAB = docs(
  namespace('lab'),
  deployment('db', { namespace: 'lab', labels: { app: 'db' } }),
  deployment('fe-prod', { namespace: 'lab', labels: { app: 'fe', env: 'prod' } }),
  deployment('fe-dev', { namespace: 'lab', labels: { app: 'fe', env: 'dev' } }),
  deployment('be-prod', { namespace: 'lab', labels: { app: 'be', env: 'prod', tier: 'backend' } }),
  deployment('tools', { namespace: 'lab', labels: { app: 'tools' } }),
);

function sourcesOfDb(podSelector: string): string[] {
  const policy = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: db-ingress
      namespace: lab
    spec:
      podSelector:
        matchLabels: {app: db}
      ingress:
        - from:
            - podSelector: ${podSelector}
  `;
  return clusterConnlist(docs(LAB, policy))
    .filter((l) => l.includes(' => lab/db[Deployment] : '))
    .map((l) => {
      assert.match(l, / : All Connections$/);
      return l.slice('lab/'.length, l.indexOf('[Deployment]'));
    });
}

describe('label selectors (podSelector of a peer)', () => {
  test('matchLabels: every listed label must be present with that value', () => {
    assert.deepEqual(sourcesOfDb('{matchLabels: {env: prod}}'), ['be-prod', 'fe-prod']);
    assert.deepEqual(sourcesOfDb('{matchLabels: {app: fe, env: prod}}'), ['fe-prod']);
    assert.deepEqual(sourcesOfDb('{matchLabels: {env: staging}}'), []);
  });

  test('In: the key must exist with one of the values', () => {
    assert.deepEqual(sourcesOfDb('{matchExpressions: [{key: env, operator: In, values: [prod, dev]}]}'), ['be-prod', 'fe-dev', 'fe-prod']);
    assert.deepEqual(sourcesOfDb('{matchExpressions: [{key: app, operator: In, values: [be, tools]}]}'), ['be-prod', 'tools']);
  });

  test('NotIn: also matches pods that lack the key', () => {
    assert.deepEqual(sourcesOfDb('{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}'), ['fe-dev', 'tools']);
  });

  test('Exists and DoesNotExist', () => {
    assert.deepEqual(sourcesOfDb('{matchExpressions: [{key: tier, operator: Exists}]}'), ['be-prod']);
    assert.deepEqual(sourcesOfDb('{matchExpressions: [{key: env, operator: DoesNotExist}]}'), ['tools']);
  });

  test('matchLabels and matchExpressions are ANDed, as are several expressions', () => {
    assert.deepEqual(sourcesOfDb('{matchLabels: {app: fe}, matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}'), ['fe-prod']);
    assert.deepEqual(
      sourcesOfDb('{matchExpressions: [{key: env, operator: Exists}, {key: tier, operator: DoesNotExist}, {key: app, operator: NotIn, values: [be]}]}'),
      ['fe-dev', 'fe-prod'],
    );
  });

  test('the empty selector selects every pod of the namespace', () => {
    assert.deepEqual(sourcesOfDb('{}'), ['be-prod', 'fe-dev', 'fe-prod', 'tools']);
  });

  test('selectors the API server rejects select nothing', () => {
    // Checked on the selector itself: a policy holding one is rejected as a whole,
    // which is a separate question (what the analysis does with rejected objects).
    const peers = [
      '{matchExpressions: [{key: env, operator: In, values: [prod]}]}', // control: valid
      '{matchExpressions: [{key: env, operator: in, values: [prod]}]}', // operators are case-sensitive
      '{matchExpressions: [{key: env, operator: In}]}',
      '{matchExpressions: [{key: env, operator: In, values: []}]}',
      '{matchExpressions: [{key: env, operator: NotIn}]}',
      '{matchExpressions: [{key: env, operator: Exists, values: [prod]}]}',
      // One invalid expression spoils the whole selector, even next to valid parts.
      '{matchLabels: {env: prod}, matchExpressions: [{key: tier, operator: exists}]}',
    ];
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: lab}
spec:
  podSelector: {}
  ingress:
    - from:
${peers.map((sel) => `        - podSelector: ${sel}`).join('\n')}
`;
    const { model } = analyzeYaml(policy);
    const selectors = (model.policies[0].ingress[0].peers ?? []).map((peer) => {
      assert.equal(peer.type, 'selector');
      assert.ok(peer.podSelector);
      return peer.podSelector;
    });
    assert.equal(selectors.length, peers.length);
    const podLabels: Record<string, string>[] = [{}, { env: 'prod' }, { env: 'dev' }, { env: 'prod', tier: 'backend' }, { app: 'tools' }];
    const matched = selectors.map((sel) => podLabels.filter((l) => selectorMatches(sel, l)).length);
    assert.deepEqual(matched, [2, 0, 0, 0, 0, 0, 0]);
  });
});

describe('label selectors (the policy podSelector decides who is isolated)', () => {
  test('a policy whose podSelector uses NotIn isolates the pods lacking the key too', () => {
    const text = docs(
      LAB,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-non-prod, namespace: lab}
        spec:
          podSelector:
            matchExpressions:
              - {key: env, operator: NotIn, values: [prod]}
      `,
    );
    // Isolated (no ingress at all): db, fe-dev, tools. Open: fe-prod, be-prod.
    const dsts = new Set(clusterConnlist(text).map((l) => l.slice(l.indexOf(' => ') + 4, l.indexOf(' : '))));
    assert.deepEqual([...dsts].sort(), ['lab/be-prod[Deployment]', 'lab/fe-prod[Deployment]']);
  });

  test('an invalid policy podSelector isolates nothing', () => {
    const text = docs(
      LAB,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: broken, namespace: lab}
        spec:
          podSelector:
            matchExpressions: [{key: app, operator: Equals, values: [db]}]
      `,
    );
    assert.equal(clusterConnlist(text).length, 5 * 4, 'every ordered pair of the 5 workloads');
  });
});
