import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { unsupportedApiVersion } from '../../../server/src/core/validate/unsupported-api-version';
import { analyzeYaml } from '../helpers/manifests';

describe('unsupported-api-version', () => {
  test('items of a typed list inherit its apiVersion: the finding points at the item', () => {
    const text = 'apiVersion: extensions/v1beta1\nkind: NetworkPolicyList\nitems:\n- metadata: {name: a, namespace: shop}\n  spec: {podSelector: {}}\n';
    const analysis = analyzeYaml(text);
    const [f] = runRules(analysis, { rules: [unsupportedApiVersion] });
    assert.equal(text.slice(f.span.start, f.span.end), 'metadata');
    assert.match(f.message, /removed in Kubernetes 1\.16/);
    // The analysis indeed ignores it, as the message says.
    assert.equal(analysis.model.policies.length, 0);
  });

  test('every version of Kubernetes groups but networking.k8s.io/v1; no other group', () => {
    const doc = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {}\n`;
    const count = (v: string) => runRules(analyzeYaml(doc(v)), { rules: [unsupportedApiVersion] }).length;
    assert.deepEqual(['v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1', 'networking.k8s.io/v2'].map(count), [1, 1, 1, 1]);
    assert.deepEqual(['networking.k8s.io/v1', 'projectcalico.org/v3', 'crd.projectcalico.org/v1', 'crd.antrea.io/v1beta1'].map(count), [0, 0, 0, 0]);
  });
});
