import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, docs, yaml } from '../../helpers/manifests';
import { runRule } from '../../helpers/traffic';

const AGENT = deployment('agent', { namespace: 'ops', labels: { app: 'agent' }, hostNetwork: true });
const DENY = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny, namespace: ops}
  spec:
    policyTypes: [Ingress]
`;

test('an omitted podSelector selects every pod: the finding is on spec', () => {
  const found = runRule('selects-host-network', docs(AGENT, DENY));
  assert.equal(found.length, 1);
  assert.equal(found[0].text, 'spec');
  assert.equal(found[0].path, 'spec.podSelector');
  // As open as pods no policy selects: info, as workload-not-isolated is.
  assert.equal(found[0].severity, 'info');
  assert.match(found[0].message, /ops\/agent\[Deployment\]/);
});

test('silent when the analysis treats hostNetwork pods as pods (--host-network pod)', () => {
  assert.deepEqual(runRule('selects-host-network', docs(AGENT, DENY), { analyze: { hostNetwork: 'pod' } }), []);
});
