import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterConnlist, connlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

const BASE = docs(
  namespace('net'),
  deployment('client', { namespace: 'net', labels: { role: 'client' } }),
  deployment('server', {
    namespace: 'net',
    labels: { role: 'server' },
    ports: [
      { containerPort: 8080, name: 'http' },
      { containerPort: 53, name: 'dns', protocol: 'UDP' },
      { containerPort: 5353, name: 'dns-tcp' },
      { containerPort: 9000, name: 'metrics' },
      { containerPort: 3868, name: 'diameter', protocol: 'SCTP' },
    ],
  }),
);

/** What net/client may open to net/server when server's only ingress rule has these ports. */
function clientToServer(ports: string, base = BASE): string | undefined {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server, namespace: net}
spec:
  podSelector: {matchLabels: {role: server}}
  ingress:
    - from: [{podSelector: {matchLabels: {role: client}}}]
${ports === '' ? '' : `      ports:\n${ports.split('\n').map((l) => `        ${l}`).join('\n')}\n`}`;
  const line = clusterConnlist(docs(base, policy)).find((l) => l.startsWith('net/client[Deployment] => net/server[Deployment] : '));
  return line?.slice(line.lastIndexOf(' : ') + 3);
}

describe('numeric ports and protocols', () => {
  test('a numeric port defaults to TCP', () => {
    assert.equal(clientToServer('- port: 8080'), 'TCP 8080');
  });

  test('UDP and SCTP ports, and a protocol without a port (all its ports)', () => {
    assert.equal(clientToServer('- {port: 53, protocol: UDP}\n- {port: 3868, protocol: SCTP}'), 'SCTP 3868,UDP 53');
    assert.equal(clientToServer('- protocol: UDP'), 'UDP 1-65535');
  });

  test('endPort makes a range; overlapping and touching entries merge', () => {
    assert.equal(clientToServer('- {port: 32000, endPort: 32767}'), 'TCP 32000-32767');
    assert.equal(clientToServer('- {port: 8000, endPort: 8080}\n- {port: 8081}\n- {port: 8050, endPort: 8060}\n- {port: 8083}'), 'TCP 8000-8081,8083');
  });

  test('a rule without ports (or ports: []) allows every port of every protocol', () => {
    assert.equal(clientToServer(''), 'All Connections');
    const policy = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: server, namespace: net}
      spec:
        podSelector: {matchLabels: {role: server}}
        ingress:
          - from: [{podSelector: {matchLabels: {role: client}}}]
            ports: []
    `;
    assert.ok(clusterConnlist(docs(BASE, policy)).includes('net/client[Deployment] => net/server[Deployment] : All Connections'));
  });
});

describe('named ports', () => {
  test('ingress: resolved on the selected pod by name and protocol', () => {
    assert.equal(clientToServer('- port: http'), 'TCP 8080');
    assert.equal(clientToServer('- {port: dns, protocol: UDP}'), 'UDP 53');
    // `dns` is a UDP port: a TCP rule naming it matches nothing.
    assert.equal(clientToServer('- port: dns'), undefined);
    assert.equal(clientToServer('- {port: diameter, protocol: SCTP}\n- port: metrics'), 'SCTP 3868,TCP 9000');
  });

  test('an unresolvable named port contributes nothing, other entries still count', () => {
    assert.equal(clientToServer('- port: grpc'), undefined);
    assert.equal(clientToServer('- port: grpc\n- port: 443'), 'TCP 443');
  });

  test('one ingress rule, several selected pods: each resolves the name on itself', () => {
    const text = docs(
      deployment('client', { namespace: 'net', labels: { role: 'client' } }),
      deployment('api-v1', { namespace: 'net', labels: { tier: 'api', v: '1' }, ports: [{ containerPort: 8080, name: 'web' }] }),
      deployment('api-v2', { namespace: 'net', labels: { tier: 'api', v: '2' }, ports: [{ containerPort: 9443, name: 'web' }] }),
      deployment('api-v3', { namespace: 'net', labels: { tier: 'api', v: '3' }, ports: [{ containerPort: 8080, name: 'http' }] }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api, namespace: net}
        spec:
          podSelector: {matchLabels: {tier: api}}
          ingress:
            - from: [{podSelector: {matchLabels: {role: client}}}]
              ports: [{port: web}]
      `,
    );
    assert.deepEqual(clusterConnlist(text).filter((l) => l.startsWith('net/client')), [
      'net/client[Deployment] => net/api-v1[Deployment] : TCP 8080',
      'net/client[Deployment] => net/api-v2[Deployment] : TCP 9443',
    ]);
  });

  test('egress: resolved on each destination pod, not on the source', () => {
    const text = docs(
      // The source itself declares `web` as 1111: that must not matter.
      deployment('client', { namespace: 'net', labels: { role: 'client' }, ports: [{ containerPort: 1111, name: 'web' }] }),
      deployment('a', { namespace: 'net', labels: { app: 'a' }, ports: [{ containerPort: 8080, name: 'web' }] }),
      deployment('b', { namespace: 'net', labels: { app: 'b' }, ports: [{ containerPort: 9090, name: 'web' }, { containerPort: 9091, name: 'web', protocol: 'UDP' }] }),
      deployment('c', { namespace: 'net', labels: { app: 'c' } }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: client-egress, namespace: net}
        spec:
          podSelector: {matchLabels: {role: client}}
          policyTypes: [Egress]
          egress:
            - to: [{podSelector: {}}]
              ports: [{port: web}]
      `,
    );
    assert.deepEqual(connlist(text).filter((l) => l.startsWith('net/client')), [
      'net/client[Deployment] => net/a[Deployment] : TCP 8080',
      'net/client[Deployment] => net/b[Deployment] : TCP 9090',
    ]);
  });

  test('egress named port and ingress numeric port intersect per destination', () => {
    const text = docs(
      deployment('client', { namespace: 'net', labels: { role: 'client' } }),
      deployment('a', { namespace: 'net', labels: { app: 'a' }, ports: [{ containerPort: 8080, name: 'web' }] }),
      deployment('b', { namespace: 'net', labels: { app: 'b' }, ports: [{ containerPort: 9090, name: 'web' }] }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: client-egress, namespace: net}
        spec:
          podSelector: {matchLabels: {role: client}}
          policyTypes: [Egress]
          egress:
            - ports: [{port: web}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: only-8000s, namespace: net}
        spec:
          podSelector: {matchExpressions: [{key: app, operator: Exists}]}
          ingress:
            - ports: [{port: 8000, endPort: 8999}]
      `,
    );
    assert.deepEqual(clusterConnlist(text).filter((l) => l.startsWith('net/client')), ['net/client[Deployment] => net/a[Deployment] : TCP 8080']);
  });
});
