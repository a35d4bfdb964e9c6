import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainConnection, findWorkloads, type Explanation, type ExplainEndpoint } from '../../../../server/src/core/reach/explain';
import type { Analysis } from '../../../../server/src/core/analysis/analyze';
import { analyzeYaml, deployment, docs, namespace, yaml } from '../../helpers/manifests';

const SHOP = docs(
  namespace('shop'),
  deployment('frontend', { namespace: 'shop', labels: { app: 'frontend' } }),
  deployment('backend', { namespace: 'shop', labels: { app: 'backend' }, ports: [{ containerPort: 8080, name: 'http' }] }),
  deployment('monitoring', { namespace: 'shop', labels: { app: 'prometheus' } }),
  yaml`
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
    metadata: {name: scrape, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: backend}}
      ingress:
        - from: [{podSelector: {matchLabels: {app: prometheus}}}]
          ports: [{port: 9090}]
        - from: [{podSelector: {matchLabels: {app: frontend}}}]
          ports: [{port: 8081}]
    ---
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: monitoring-locked, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: prometheus}}
      policyTypes: [Ingress, Egress]
      ingress:
        - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: grafana}}}]
      egress:
        - to: [{podSelector: {matchLabels: {app: backend}}}]
          ports: [{port: 9090}]
  `,
);

function wl(a: Analysis, ref: string): ExplainEndpoint {
  const found = findWorkloads(a.model.workloads, ref, a.model.defaultNamespace);
  assert.equal(found.length, 1, `exactly one workload for ${ref}`);
  return { type: 'workload', index: found[0] };
}

/** A compact, comparable view of one side of an explanation. */
function side(e: Explanation['ingress']): object {
  return {
    isolated: e.isolated,
    allowed: e.allowed.toString(),
    policies: e.policies.map((p) => ({ policy: p.policy.name, rules: p.matchingRules.map((r) => `${r.rule.direction}[${r.rule.index}] ${r.ports.toString()}`) })),
  };
}

describe('explainConnection', () => {
  const a = analyzeYaml(SHOP);

  test('allowed: names every policy isolating the destination and the rules that admit the source', () => {
    const e = explainConnection(a.reach, wl(a, 'shop/frontend'), wl(a, 'shop/backend'), { port: 8081, protocol: 'TCP' });
    assert.equal(e.allowed.toString(), 'TCP 8080-8081');
    assert.equal(e.verdict, true);
    assert.deepEqual(side(e.ingress), {
      isolated: true,
      allowed: 'TCP 8080-8081',
      policies: [
        { policy: 'frontend-to-backend', rules: ['Ingress[0] TCP 8080'] },
        { policy: 'scrape', rules: ['Ingress[1] TCP 8081'] },
      ],
    });
    assert.deepEqual(side(e.egress), { isolated: false, allowed: 'All Connections', policies: [] });
    assert.equal(explainConnection(a.reach, wl(a, 'shop/frontend'), wl(a, 'shop/backend'), { port: 9090, protocol: 'TCP' }).verdict, false);
  });

  test('egress side: the source policy rules, intersected with the destination side', () => {
    const e = explainConnection(a.reach, wl(a, 'shop/monitoring'), wl(a, 'shop/backend'), { port: 9090, protocol: 'TCP' });
    assert.deepEqual(side(e.egress), { isolated: true, allowed: 'TCP 9090', policies: [{ policy: 'monitoring-locked', rules: ['Egress[0] TCP 9090'] }] });
    assert.deepEqual(side(e.ingress), { isolated: true, allowed: 'TCP 9090', policies: [{ policy: 'frontend-to-backend', rules: [] }, { policy: 'scrape', rules: ['Ingress[0] TCP 9090'] }] });
    assert.equal(e.allowed.toString(), 'TCP 9090');
    assert.equal(e.verdict, true);
  });

  test('denied: the destination is isolated and no rule matches the source', () => {
    const e = explainConnection(a.reach, wl(a, 'shop/frontend'), wl(a, 'shop/monitoring'), { port: 9090, protocol: 'TCP' });
    assert.ok(e.allowed.isEmpty());
    assert.equal(e.verdict, false);
    assert.deepEqual(side(e.ingress), { isolated: true, allowed: 'No Connections', policies: [{ policy: 'monitoring-locked', rules: [] }] });
  });

  test('not isolated: no policy selects either side, everything is allowed', () => {
    const e = explainConnection(a.reach, wl(a, 'shop/backend'), wl(a, 'shop/frontend'), { port: 22, protocol: 'SCTP' });
    assert.ok(e.allowed.isAll());
    assert.equal(e.verdict, true);
    assert.deepEqual(side(e.ingress), { isolated: false, allowed: 'All Connections', policies: [] });
    assert.deepEqual(side(e.egress), { isolated: false, allowed: 'All Connections', policies: [] });
  });

  test('an external source is matched by ipBlock rules only', () => {
    const b = analyzeYaml(
      docs(
        SHOP,
        yaml`
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: office, namespace: shop}
          spec:
            podSelector: {matchLabels: {app: backend}}
            ingress:
              - from: [{ipBlock: {cidr: 198.51.100.0/24}}]
                ports: [{port: http}]
        `,
      ),
    );
    const office = b.reach.sourceRanges.find((r) => r.family === 4 && r.start === 0xc6336400n);
    assert.ok(office, 'the 198.51.100.0/24 cell exists');
    const e = explainConnection(b.reach, { type: 'ip', range: office }, wl(b, 'shop/backend'));
    assert.equal(e.egress.external, true);
    assert.equal(e.allowed.toString(), 'TCP 8080');
    assert.deepEqual(side(e.ingress), {
      isolated: true,
      allowed: 'TCP 8080',
      policies: [
        { policy: 'frontend-to-backend', rules: [] },
        { policy: 'scrape', rules: [] },
        { policy: 'office', rules: ['Ingress[0] TCP 8080'] },
      ],
    });
  });
});

describe('findWorkloads', () => {
  const a = analyzeYaml(docs(SHOP, deployment('frontend', { labels: { app: 'frontend' } }), yaml`
    apiVersion: v1
    kind: Pod
    metadata: {name: backend, namespace: shop, labels: {app: debug}}
    spec: {containers: [{name: c, image: busybox}]}
  `));
  const names = (ref: string, ns = 'default') => findWorkloads(a.model.workloads, ref, ns).map((i) => {
    const w = a.model.workloads[i];
    return `${w.namespace}/${w.name}[${w.kind}]`;
  });

  test('ns/name, bare name in the default namespace, and an optional [Kind]', () => {
    assert.deepEqual(names('shop/frontend'), ['shop/frontend[Deployment]']);
    assert.deepEqual(names('frontend'), ['default/frontend[Deployment]']);
    assert.deepEqual(names('frontend', 'shop'), ['shop/frontend[Deployment]']);
    assert.deepEqual(names('shop/backend'), ['shop/backend[Deployment]', 'shop/backend[Pod]']);
    assert.deepEqual(names('shop/backend[Pod]'), ['shop/backend[Pod]']);
    assert.deepEqual(names('shop/nothing'), []);
    assert.deepEqual(names('a/b/c'), []);
  });
});
