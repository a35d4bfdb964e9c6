import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';
import { yaml } from '../../helpers/manifests';
import { isPlaceholder } from '../../../server/src/core/k8s/names';

const policy = (cidr: string, except = '') => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: api-server, namespace: monitoring}
  spec:
    podSelector: {matchLabels: {app: prometheus}}
    policyTypes: [Egress]
    egress: [{to: [{ipBlock: {cidr: "${cidr}"${except}}}], ports: [{port: 443}]}]
`;

test('a placeholder where a CIDR goes (sed, envsubst, a template) is info that says so, not an error', () => {
  for (const value of ['APISERVER', 'API_SERVER_CIDR', '${POD_CIDR}', '$POD_CIDR', '${NODE_IP}/32', '<api-server-ip>/32', '{{ api_server_cidr }}/32']) {
    const found = runRule('invalid-cidr', policy(value));
    assert.equal(found.length, 1, value);
    assert.equal(found[0].severity, 'info', value);
    assert.match(found[0].message, /is no CIDR but reads as a placeholder that a script or a template fills in before the manifest is applied\. As written, the API server rejects this policy/);
  }
  const [e] = runRule('invalid-cidr', policy('10.0.0.0/8', ', except: [REPLACE_ME]'));
  assert.equal(e.severity, 'info');
});

test('a malformed address stays an error', () => {
  for (const value of ['10.0.0/8', 'apiserver', 'Api', '10.0.0.0/33', 'X', 'FD00']) {
    const found = runRule('invalid-cidr', policy(value));
    assert.equal(found[0]?.severity, 'error', value);
  }
  assert.equal(isPlaceholder('FD00::/8'), false);
});
