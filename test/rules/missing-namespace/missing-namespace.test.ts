import { test } from 'node:test';
import assert from 'node:assert/strict';
import { yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

test('the message names the namespace the analysis assumed', () => {
  const text = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny}
    spec: {podSelector: {}}
  `;
  const found = runRule('missing-namespace', text, { analyze: { defaultNamespace: 'team-a' } });
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'deny');
  assert.equal(found[0].path, 'metadata.name');
  assert.match(found[0].message, /assumes namespace "team-a"/);
});
