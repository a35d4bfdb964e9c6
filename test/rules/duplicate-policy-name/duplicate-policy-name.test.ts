import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

const policy = (ns: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: allow-web${ns}
  spec:
    podSelector: {}
`;

test('duplicates across files name the other file; a defaulted namespace is said', () => {
  const found = runRule('duplicate-policy-name', [
    { path: 'base/allow-web.yaml', text: policy('') },
    { path: 'extra/allow-web.yaml', text: policy('') },
    { path: 'other/allow-web.yaml', text: policy('\n    namespace: other') },
  ]);
  assert.deepEqual(found.map((f) => [f.at, f.text]), [['base/allow-web.yaml:4:8-17', 'allow-web'], ['extra/allow-web.yaml:4:8-17', 'allow-web']]);
  assert.match(found[0].message, /^NetworkPolicy default\/allow-web \(no metadata.namespace: namespace "default" assumed\) is also defined in extra\/allow-web.yaml\./);
  assert.match(found[1].message, /is also defined in base\/allow-web.yaml\./);
});

test('the explicit default namespace and an omitted one are the same namespace', () => {
  const found = runRule('duplicate-policy-name', [
    { path: 'a.yaml', text: policy('') },
    { path: 'b.yaml', text: policy('\n    namespace: default') },
  ]);
  assert.equal(found.length, 2);
  // With another default namespace they no longer collide.
  assert.deepEqual(runRule('duplicate-policy-name', [{ path: 'a.yaml', text: policy('') }, { path: 'b.yaml', text: policy('\n    namespace: default') }], { analyze: { defaultNamespace: 'shop' } }), []);
});
