import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterConnlist, connlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

const APP = docs(
  namespace('shop'),
  deployment('frontend', { namespace: 'shop', labels: { app: 'frontend' } }),
  deployment('backend', { namespace: 'shop', labels: { app: 'backend' }, ports: [{ containerPort: 8080, name: 'http' }] }),
  deployment('monitoring', { namespace: 'shop', labels: { app: 'prometheus' } }),
);

describe('isolation', () => {
  test('no policy: every workload reaches every other one and the outside world', () => {
    const text = docs(deployment('a', { namespace: 'x', labels: { app: 'a' } }), deployment('b', { namespace: 'x', labels: { app: 'b' } }));
    assert.deepEqual(connlist(text), [
      '0.0.0.0-255.255.255.255[External] => x/a[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => x/b[Deployment] : All Connections',
      'x/a[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'x/a[Deployment] => x/b[Deployment] : All Connections',
      'x/b[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'x/b[Deployment] => x/a[Deployment] : All Connections',
    ]);
  });

  test('default-deny ingress (podSelector: {}, no rules) blocks every incoming connection', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: shop}
        spec:
          podSelector: {}
      `,
    );
    // Egress is not isolated: only the outgoing connections to the outside remain.
    assert.deepEqual(connlist(text), [
      'shop/backend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/frontend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/monitoring[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
    ]);
  });

  test('default-deny for both directions blocks everything', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny-all, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
      `,
    );
    assert.deepEqual(connlist(text), []);
  });

  test('a policy only isolates pods of its own namespace', () => {
    const text = docs(
      APP,
      deployment('frontend', { namespace: 'other', labels: { app: 'frontend' } }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-frontend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: frontend}}
      `,
    );
    const lines = clusterConnlist(text);
    assert.ok(lines.includes('shop/backend[Deployment] => other/frontend[Deployment] : All Connections'));
    assert.ok(!lines.some((l) => l.includes('=> shop/frontend[Deployment]')));
  });

  test('ingress: [{}] (one empty rule) allows everything, from inside and outside', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: shop}
        spec:
          podSelector: {}
      `,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-all-to-backend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          ingress:
            - {}
      `,
    );
    assert.deepEqual(
      connlist(text).filter((l) => l.includes('=> shop/backend')),
      [
        '0.0.0.0-255.255.255.255[External] => shop/backend[Deployment] : All Connections',
        'shop/frontend[Deployment] => shop/backend[Deployment] : All Connections',
        'shop/monitoring[Deployment] => shop/backend[Deployment] : All Connections',
      ],
    );
  });

  test('a rule with from: [] or without from admits every source, on its ports only', () => {
    for (const rule of ['- from: []\n  ports: [{port: 8080}]', '- ports: [{port: 8080}]']) {
      const text = docs(
        APP,
        `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
${rule.split('\n').map((l) => `    ${l}`).join('\n')}
`,
      );
      assert.deepEqual(
        connlist(text).filter((l) => l.includes('=> shop/backend')),
        [
          '0.0.0.0-255.255.255.255[External] => shop/backend[Deployment] : TCP 8080',
          'shop/frontend[Deployment] => shop/backend[Deployment] : TCP 8080',
          'shop/monitoring[Deployment] => shop/backend[Deployment] : TCP 8080',
        ],
        rule,
      );
    }
  });

  test('several policies selecting one pod: the union of their rules', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: frontend-to-backend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: 8080}]
      `,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: scrape, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: prometheus}}}]
              ports: [{port: 9090}]
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: 8081}]
      `,
    );
    assert.deepEqual(
      clusterConnlist(text).filter((l) => l.includes('=> shop/backend')),
      ['shop/frontend[Deployment] => shop/backend[Deployment] : TCP 8080-8081', 'shop/monitoring[Deployment] => shop/backend[Deployment] : TCP 9090'],
    );
  });
});

describe('policyTypes and directions', () => {
  test('policyTypes [Egress]: ingress is not isolated and ingress rules are ignored', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backend-egress-only, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          policyTypes: [Egress]
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: 8080}]
      `,
    );
    assert.deepEqual(connlist(text), [
      '0.0.0.0-255.255.255.255[External] => shop/backend[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => shop/frontend[Deployment] : All Connections',
      '0.0.0.0-255.255.255.255[External] => shop/monitoring[Deployment] : All Connections',
      'shop/frontend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/frontend[Deployment] => shop/backend[Deployment] : All Connections',
      'shop/frontend[Deployment] => shop/monitoring[Deployment] : All Connections',
      'shop/monitoring[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/monitoring[Deployment] => shop/backend[Deployment] : All Connections',
      'shop/monitoring[Deployment] => shop/frontend[Deployment] : All Connections',
    ]);
  });

  test('policyTypes [Ingress]: egress rules are ignored and egress stays open', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          policyTypes: [Ingress]
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
          egress:
            - to: [{podSelector: {matchLabels: {app: prometheus}}}]
              ports: [{port: 9090}]
      `,
    );
    const out = clusterConnlist(text).filter((l) => l.startsWith('shop/backend'));
    assert.deepEqual(out, ['shop/backend[Deployment] => shop/frontend[Deployment] : All Connections', 'shop/backend[Deployment] => shop/monitoring[Deployment] : All Connections']);
  });

  test('without policyTypes, egress rules isolate egress; egress: [] does not', () => {
    const policy = (egress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  ingress: [{}]
${egress}
`;
    const from = (text: string) => connlist(text).filter((l) => l.startsWith('shop/frontend'));
    assert.deepEqual(from(docs(APP, policy('  egress:\n    - to: [{podSelector: {matchLabels: {app: backend}}}]'))), [
      'shop/frontend[Deployment] => shop/backend[Deployment] : All Connections',
    ]);
    assert.deepEqual(from(docs(APP, policy('  egress: []'))), [
      'shop/frontend[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/frontend[Deployment] => shop/backend[Deployment] : All Connections',
      'shop/frontend[Deployment] => shop/monitoring[Deployment] : All Connections',
    ]);
  });

  test('A -> B needs the egress of A and the ingress of B: the ports intersect', () => {
    const text = docs(
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: frontend-egress, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: frontend}}
          policyTypes: [Egress]
          egress:
            - to: [{podSelector: {}}]
              ports: [{port: 8000, endPort: 8090}, {port: 53, protocol: UDP}]
      `,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: backend-ingress, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: 8080, endPort: 9000}]
      `,
    );
    assert.deepEqual(clusterConnlist(text), [
      'shop/backend[Deployment] => shop/frontend[Deployment] : All Connections',
      'shop/backend[Deployment] => shop/monitoring[Deployment] : All Connections',
      'shop/frontend[Deployment] => shop/backend[Deployment] : TCP 8080-8090',
      'shop/frontend[Deployment] => shop/monitoring[Deployment] : TCP 8000-8090,UDP 53',
      'shop/monitoring[Deployment] => shop/frontend[Deployment] : All Connections',
    ]);
  });

  test('a typical three-tier setup with default deny, DNS egress and per-tier allows', () => {
    const text = docs(
      namespace('kube-system'),
      deployment('coredns', { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, name: 'dns-tcp' }] }),
      APP,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny-all, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: allow-dns, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
            - to:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                  podSelector: {matchLabels: {k8s-app: kube-dns}}
              ports:
                - {port: 53, protocol: UDP}
                - {port: 53, protocol: TCP}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: frontend-to-backend, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: backend}}
          ingress:
            - from: [{podSelector: {matchLabels: {app: frontend}}}]
              ports: [{port: http}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: frontend-egress, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: frontend}}
          egress:
            - to: [{podSelector: {matchLabels: {app: backend}}}]
      `,
    );
    assert.deepEqual(clusterConnlist(text), [
      'shop/backend[Deployment] => kube-system/coredns[Deployment] : TCP 53,UDP 53',
      'shop/frontend[Deployment] => kube-system/coredns[Deployment] : TCP 53,UDP 53',
      'shop/frontend[Deployment] => shop/backend[Deployment] : TCP 8080',
      'shop/monitoring[Deployment] => kube-system/coredns[Deployment] : TCP 53,UDP 53',
    ]);
  });
});
