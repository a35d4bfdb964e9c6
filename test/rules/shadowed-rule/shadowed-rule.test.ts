import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

/** Paths of the shadowed rules of a policy whose ingress rules are these (YAML flow items). */
function shadowed(...rules: string[]): string[] {
  const text = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: p, namespace: shop}
    spec:
      podSelector: {}
      ingress:
  ` + rules.map((r) => `  - ${r}\n`).join('');
  return runRule('shadowed-rule', text).map((f) => f.path);
}

describe('shadowed-rule: selector implication', () => {
  test('matchLabels and In with one value are the same requirement: identical rules, the later reported', () => {
    assert.deepEqual(
      shadowed('{from: [{podSelector: {matchLabels: {app: web}}}]}', '{from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}}]}'),
      ['spec.ingress[1]'],
    );
  });

  test('In a subset of values implies In more values and Exists', () => {
    assert.deepEqual(shadowed('{from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api]}]}}]}', '{from: [{podSelector: {matchLabels: {app: web}}}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed('{from: [{podSelector: {matchExpressions: [{key: app, operator: Exists}]}}]}', '{from: [{podSelector: {matchLabels: {app: web}}}]}'), ['spec.ingress[1]']);
    // The narrower rule is the shadowed one, wherever it stands.
    assert.deepEqual(shadowed('{from: [{podSelector: {matchLabels: {app: web}}}]}', '{from: [{podSelector: {matchExpressions: [{key: app, operator: Exists}]}}]}'), ['spec.ingress[0]']);
  });

  test('NotIn is implied by an In outside its values, by DoesNotExist, by a wider NotIn', () => {
    const notIn = '{from: [{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [db]}]}}]}';
    assert.deepEqual(shadowed(notIn, '{from: [{podSelector: {matchLabels: {app: web}}}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed(notIn, '{from: [{podSelector: {matchExpressions: [{key: app, operator: DoesNotExist}]}}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed(notIn, '{from: [{podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [db, cache]}]}}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed(notIn, '{from: [{podSelector: {matchLabels: {app: db}}}]}'), []);
    // NotIn matches pods without the key: Exists does not follow from it.
    assert.deepEqual(shadowed('{from: [{podSelector: {matchExpressions: [{key: app, operator: Exists}]}}]}', notIn), []);
  });

  test("a podSelector alone is the policy's namespace, the one its name label names", () => {
    const own = '{from: [{podSelector: {matchLabels: {app: web}}}]}';
    assert.deepEqual(shadowed('{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]}', own), ['spec.ingress[1]']);
    assert.deepEqual(shadowed('{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: billing}}}]}', own), []);
    // The reverse: a namespace selector requiring more than the name is not the own namespace.
    assert.deepEqual(shadowed(own, '{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: web}}}]}'), ['spec.ingress[1]']);
  });

  test('each peer of the shadowed rule needs a covering peer; more peers in the wider rule are fine', () => {
    assert.deepEqual(shadowed('{from: [{podSelector: {matchLabels: {app: a}}}, {podSelector: {matchLabels: {app: b}}}]}', '{from: [{podSelector: {matchLabels: {app: b}}}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed('{from: [{podSelector: {matchLabels: {app: a}}}]}', '{from: [{podSelector: {matchLabels: {app: a}}}, {podSelector: {matchLabels: {app: b}}}]}'), ['spec.ingress[0]']);
    assert.deepEqual(shadowed('{from: [{podSelector: {matchLabels: {app: a}}}, {podSelector: {matchLabels: {app: c}}}]}', '{from: [{podSelector: {matchLabels: {app: a}}}, {podSelector: {matchLabels: {app: b}}}]}'), []);
  });
});

describe('shadowed-rule: allow-all rules', () => {
  test('two empty rules: the later is the duplicate, marked on its {}', () => {
    const text = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: p, namespace: shop}
      spec:
        podSelector: {}
        ingress: [{}, {}]
    `;
    const found = runRule('shadowed-rule', text);
    assert.deepEqual(found.map((f) => [f.at, f.text, f.path]), [['manifests.yaml:6:16-18', '{}', 'spec.ingress[1]']]);
    assert.match(found[0].message, /allows exactly what spec.ingress\[0\] of this policy allows/);
  });

  test('a rule without peers covers ipBlocks and selectors, not the other way round', () => {
    assert.deepEqual(shadowed('{ports: [{port: 443}]}', '{from: [{ipBlock: {cidr: 0.0.0.0/0}}, {namespaceSelector: {}}], ports: [{port: 443}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed('{from: [{ipBlock: {cidr: 0.0.0.0/0}}, {namespaceSelector: {}}]}', '{ports: [{port: 443}]}'), []);
  });
});

describe('shadowed-rule: ports', () => {
  test('a range covers the ports inside it; a protocol without a port covers that protocol', () => {
    assert.deepEqual(shadowed('{ports: [{port: 8000, endPort: 8100}]}', '{ports: [{port: 8080}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed('{ports: [{protocol: UDP}]}', '{ports: [{port: dns, protocol: UDP}]}'), ['spec.ingress[1]']);
    assert.deepEqual(shadowed('{ports: [{protocol: UDP}]}', '{ports: [{port: dns}]}'), []);
  });

  test('a rule with fewer constraints on both sides is not shadowed by one with more', () => {
    assert.deepEqual(shadowed('{from: [{podSelector: {}}], ports: [{port: 80}]}', '{from: [{podSelector: {matchLabels: {app: web}}}]}'), []);
  });
});
