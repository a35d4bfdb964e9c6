import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { unknownField } from '../../../server/src/core/validate/unknown-field';
import { analyzeYaml, yaml } from '../helpers/manifests';

function messages(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of runRules(analyzeYaml(text), { rules: [unknownField] })) out[f.path] = f.message;
  return out;
}

const policy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n${spec}`;

describe('unknown-field', () => {
  test('what dropping a misspelled selector field does depends on where the selector is', () => {
    const m = messages(
      policy(yaml`
        podSelector: {matchLables: {app: web}}
        ingress:
          - from:
              - namespaceSelector: {matchLabel: {team: a}}
              - namespaceSelector: {matchLabels: {team: a}}
                podSelector: {matchLabel: {app: x}}
              - podSelector: {matchLabels: {app: y}, matchExpresions: [{key: tier, operator: Exists}]}
      `.replace(/^/gm, '  ')),
    );
    assert.match(m['spec.podSelector.matchLables'], /did you mean matchLabels\? .*selects every pod in the policy's namespace: the policy applies to all of them\./);
    assert.match(m['spec.ingress[0].from[0].namespaceSelector.matchLabel'], /selector is left empty and selects every namespace\./);
    assert.match(m['spec.ingress[0].from[1].podSelector.matchLabel'], /selects every pod in the selected namespaces\./);
    assert.match(m['spec.ingress[0].from[2].podSelector.matchExpresions'], /did you mean matchExpressions\? .*the selector loses these requirements and selects more than intended\./);
  });

  test('spec fields: the consequence follows the policy types', () => {
    const m = messages(policy('  podSelector: {}\n  policyTypes: [Ingress]\n  ingres: [{}]\n  egres: [{}]\n'));
    assert.match(m['spec.ingres'], /did you mean ingress\? .*the selected pods accept no ingress at all\./);
    // Egress is not among the policy types: the egress rules did nothing anyway.
    assert.match(m['spec.egres'], /did you mean egress\? .*silently dropped\.$/);
    const defaulted = messages(policy('  podSelector: {}\n  Egress: [{}]\n'));
    assert.match(defaulted['spec.Egress'], /case-sensitive, write egress\. .*Egress is not defaulted in: egress stays open\./);
  });

  test('a misplaced key names where it belongs; no guess when nothing is close', () => {
    const m = messages(policy('  podSelector: {}\n  ingress:\n  - from:\n    - matchLabels: {app: x}\n    ports: [{port: 80}]\n    namespaceSelector: {}\n  frobnicate: 1\n'));
    assert.match(m['spec.ingress[0].from[0].matchLabels'], /matchLabels is a field of a label selector \(podSelector, namespaceSelector\), not of a peer \(an item of from or to\); check the indentation\./);
    assert.match(m['spec.ingress[0].namespaceSelector'], /namespaceSelector is a field of a peer/);
    assert.match(m['spec.frobnicate'], /valid fields are podSelector, policyTypes, ingress, egress\./);
  });

  test('under a misspelled key, the fields are checked as what it was meant to be', () => {
    const m = messages(policy('  podSelector: {}\n  ingress:\n  - to:\n    - podSelectr: {}\n'));
    assert.deepEqual(Object.keys(m).sort(), ['spec.ingress[0].to', 'spec.ingress[0].to[0].podSelectr']);
    assert.match(m['spec.ingress[0].to[0].podSelectr'], /the peer is left empty, which the API server rejects anyway\./);
  });

  test('status, merge keys and the items of a typed list are accepted', () => {
    const list = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicyList
      items:
        - metadata: {name: a, namespace: shop}
          spec: {podSelector: {}}
          status: {}
    `;
    assert.deepEqual(messages(list), {});
    const merged = policy('  podSelector: &sel {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - podSelector: {<<: *sel}\n');
    assert.deepEqual(messages(merged), {});
  });

  test('an unknown field rejects the policy: the analysis ignores it', () => {
    const { model } = analyzeYaml(policy('  podSelector: {matchLables: {app: web}}\n'));
    assert.match(model.policies[0].rejected.join('\n'), /spec\.podSelector\.matchLables: Unknown field "matchLables"/);
  });
});
