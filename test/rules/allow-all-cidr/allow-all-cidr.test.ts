import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRule } from '../../helpers/traffic';
import { yaml } from '../../helpers/manifests';

const egress = (peer: string, ports: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: registry, namespace: storage}
  spec:
    podSelector: {matchLabels: {app: registry}}
    policyTypes: [Egress]
    egress:
      - to: [${peer}]
        ${ports}
`;

const PRIVATE = '{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}}';

test('egress to the internet on listed ports, the private networks excepted, is info and reads as deliberate (an operator reaching its object storage)', () => {
  const [f] = runRule('allow-all-cidr', egress(PRIVATE, 'ports: [{port: 443, protocol: TCP}]'));
  assert.equal(f.severity, 'info');
  assert.match(f.message, /may connect to any public address on the listed ports\. With the private networks excepted and the ports listed, this reads as deliberate access to public endpoints/);
  const [v6] = runRule('allow-all-cidr', egress('{ipBlock: {cidr: "::/0", except: ["fc00::/7"]}}', 'ports: [{port: 443}]'));
  assert.equal(v6.severity, 'info');
});

test('egress to any address on listed ports, private networks included, is info too, and says the cluster\'s networks are in it', () => {
  for (const peer of ['{ipBlock: {cidr: 0.0.0.0/0}}', '{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 192.168.0.0/16]}}']) {
    const [f] = runRule('allow-all-cidr', egress(peer, 'ports: [{port: 443}]'));
    assert.equal(f.severity, 'info', peer);
    assert.match(f.message, /may connect to any address on the listed ports: the whole internet, and the private networks the cluster's pods, nodes and Services live in\. With the ports listed, this reads as deliberate .* if only the internet is meant, except the private networks/);
  }
});

test('every port or the ingress direction stay warnings', () => {
  assert.equal(runRule('allow-all-cidr', egress(PRIVATE, ''))[0].severity, 'warning');
  assert.equal(runRule('allow-all-cidr', egress('{ipBlock: {cidr: 0.0.0.0/0}}', ''))[0].severity, 'warning');
  const ingress = egress(PRIVATE, 'ports: [{port: 443}]').replace('policyTypes: [Egress]', 'policyTypes: [Ingress]').replace('egress:', 'ingress:').replace('- to:', '- from:');
  assert.equal(runRule('allow-all-cidr', ingress)[0].severity, 'warning');
});
