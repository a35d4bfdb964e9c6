import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../../server/src/core/rules/run';
import { invalidName } from '../../../server/src/core/validate/invalid-name';
import { analyzeYaml } from '../helpers/manifests';

const findings = (text: string) => runRules(analyzeYaml(text), { rules: [invalidName] });

describe('invalid-name', () => {
  test('a missing name points at metadata', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  namespace: shop\nspec: {podSelector: {}}\n';
    const [f] = findings(text);
    assert.equal(text.slice(f.span.start, f.span.end), 'metadata');
    assert.equal(f.path, 'metadata.name');
  });

  test('annotations are limited to 256 KiB in total, counted in UTF-8 bytes', () => {
    const annotated = (value: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  annotations:\n    note: "${value}"\nspec: {podSelector: {}}\n`;
    // 'note' (4 bytes) + the value: exactly at the limit is fine.
    assert.deepEqual(findings(annotated('x'.repeat(256 * 1024 - 4))), []);
    // é is 2 bytes: under the limit in characters, over it in bytes.
    const [f] = findings(annotated('é'.repeat(128 * 1024)));
    assert.equal(f.path, 'metadata.annotations');
    assert.match(f.message, /262148 bytes; the API server accepts at most 262144/);
  });

  test('a name of another type is left to invalid-value-type; an invalid name rejects the policy', () => {
    assert.deepEqual(findings('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: 2024}\nspec: {}\n'), []);
    const { model } = analyzeYaml('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: My_Policy, namespace: shop}\nspec: {}\n');
    assert.match(model.policies[0].rejected.join('\n'), /metadata\.name: Invalid metadata\.name "My_Policy".* Use e\.g\. "my-policy"\./);
  });
});
