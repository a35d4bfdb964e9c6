import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterConnlist, connlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

const EDGE = docs(
  namespace('edge'),
  deployment('gateway', { namespace: 'edge', labels: { app: 'gateway' }, ports: [{ containerPort: 443, name: 'https' }] }),
  deployment('internal', { namespace: 'edge', labels: { app: 'internal' } }),
);

describe('ipBlock peers', () => {
  test('ingress ipBlocks with except partition the source address space', () => {
    const text = docs(
      EDGE,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: gateway, namespace: edge}
        spec:
          podSelector: {matchLabels: {app: gateway}}
          ingress:
            - from:
                - ipBlock:
                    cidr: 10.0.0.0/8
                    except: [10.1.0.0/16]
              ports: [{port: https}]
            - from:
                - ipBlock: {cidr: 192.168.0.0/24}
      `,
    );
    assert.deepEqual(connlist(text), [
      '0.0.0.0-9.255.255.255[External] => edge/internal[Deployment] : All Connections',
      '10.0.0.0-10.0.255.255[External] => edge/gateway[Deployment] : TCP 443',
      '10.0.0.0-10.0.255.255[External] => edge/internal[Deployment] : All Connections',
      '10.1.0.0-10.1.255.255[External] => edge/internal[Deployment] : All Connections',
      '10.2.0.0-10.255.255.255[External] => edge/gateway[Deployment] : TCP 443',
      '10.2.0.0-10.255.255.255[External] => edge/internal[Deployment] : All Connections',
      '11.0.0.0-192.167.255.255[External] => edge/internal[Deployment] : All Connections',
      '192.168.0.0-192.168.0.255[External] => edge/gateway[Deployment] : All Connections',
      '192.168.0.0-192.168.0.255[External] => edge/internal[Deployment] : All Connections',
      '192.168.1.0-255.255.255.255[External] => edge/internal[Deployment] : All Connections',
      // Destinations are cut by egress ipBlocks only: there are none.
      'edge/gateway[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'edge/gateway[Deployment] => edge/internal[Deployment] : All Connections',
      'edge/internal[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
    ]);
  });

  test('egress ipBlocks partition the destination address space', () => {
    const text = docs(
      EDGE,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: internet-only, namespace: edge}
        spec:
          podSelector: {matchLabels: {app: internal}}
          policyTypes: [Egress]
          egress:
            - to:
                - ipBlock:
                    cidr: 0.0.0.0/0
                    except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
              ports: [{port: 443}]
            - to: [{podSelector: {matchLabels: {app: gateway}}}]
      `,
    );
    const lines = connlist(text);
    assert.deepEqual(lines.filter((l) => l.startsWith('edge/internal')), [
      'edge/internal[Deployment] => 0.0.0.0-9.255.255.255[External] : TCP 443',
      'edge/internal[Deployment] => 11.0.0.0-172.15.255.255[External] : TCP 443',
      'edge/internal[Deployment] => 172.32.0.0-192.167.255.255[External] : TCP 443',
      'edge/internal[Deployment] => 192.169.0.0-255.255.255.255[External] : TCP 443',
      'edge/internal[Deployment] => edge/gateway[Deployment] : All Connections',
    ]);
    // The unrestricted workload reaches every cell of the same partition.
    assert.deepEqual(lines.filter((l) => l.startsWith('edge/gateway') && l.includes('[External]')).map((l) => l.slice(l.indexOf(' => ') + 4, l.indexOf('[External]'))), [
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-172.15.255.255',
      '172.16.0.0-172.31.255.255',
      '172.32.0.0-192.167.255.255',
      '192.168.0.0-192.168.255.255',
      '192.169.0.0-255.255.255.255',
    ]);
  });

  test('IPv6 ipBlocks with except: IPv6 ranges appear as their own endpoints', () => {
    const text = docs(
      EDGE,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: gateway-v6, namespace: edge}
        spec:
          podSelector: {matchLabels: {app: gateway}}
          ingress:
            - from:
                - ipBlock:
                    cidr: 2001:db8::/32
                    except: [2001:db8:ff::/48]
                - ipBlock: {cidr: 203.0.113.0/24}
              ports: [{port: 443}]
      `,
    );
    assert.deepEqual(connlist(text).filter((l) => l.includes('=> edge/gateway')), [
      '2001:db8:100::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External] => edge/gateway[Deployment] : TCP 443',
      '2001:db8::-2001:db8:fe:ffff:ffff:ffff:ffff:ffff[External] => edge/gateway[Deployment] : TCP 443',
      '203.0.113.0-203.0.113.255[External] => edge/gateway[Deployment] : TCP 443',
    ]);
    // The open workload is reachable from every cell: 3 IPv4 and 5 IPv6 ones.
    assert.deepEqual(
      connlist(text).filter((l) => l.includes('[External] => edge/internal')).map((l) => l.slice(0, l.indexOf('[External]'))),
      [
        '0.0.0.0-203.0.112.255',
        '2001:db8:100::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
        '2001:db8::-2001:db8:fe:ffff:ffff:ffff:ffff:ffff',
        '2001:db8:ff::-2001:db8:ff:ffff:ffff:ffff:ffff:ffff',
        '2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
        '203.0.113.0-203.0.113.255',
        '203.0.114.0-255.255.255.255',
        '::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      ],
    );
  });

  test('ipBlock does not match pods inside the cluster, even 0.0.0.0/0 and ::/0', () => {
    const text = docs(
      EDGE,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: from-anywhere, namespace: edge}
        spec:
          podSelector: {matchLabels: {app: gateway}}
          ingress:
            - from: [{ipBlock: {cidr: 0.0.0.0/0}}, {ipBlock: {cidr: '::/0'}}]
      `,
    );
    assert.deepEqual(clusterConnlist(text), ['edge/gateway[Deployment] => edge/internal[Deployment] : All Connections']);
    assert.deepEqual(connlist(text).filter((l) => l.includes('=> edge/gateway')), [
      '0.0.0.0-255.255.255.255[External] => edge/gateway[Deployment] : All Connections',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => edge/gateway[Deployment] : All Connections',
    ]);
  });

  test('an egress named port cannot be resolved outside the cluster', () => {
    const text = docs(
      EDGE,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: egress-named, namespace: edge}
        spec:
          podSelector: {matchLabels: {app: internal}}
          policyTypes: [Egress]
          egress:
            - to: [{ipBlock: {cidr: 198.51.100.0/24}}]
              ports: [{port: https}, {port: 8443}]
      `,
    );
    assert.deepEqual(connlist(text).filter((l) => l.startsWith('edge/internal')), ['edge/internal[Deployment] => 198.51.100.0-198.51.100.255[External] : TCP 8443']);
  });
});
