import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeYaml, clusterConnlist, deployment, docs, namespace, yaml } from '../../helpers/manifests';

function policyTypesOf(spec: string): readonly string[] {
  const text = yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: p
      namespace: prod
    spec:
  ` + spec.split('\n').map((l) => `  ${l}`).join('\n');
  const { model } = analyzeYaml(text);
  assert.equal(model.policies.length, 1);
  return model.policies[0].policyTypes;
}

describe('policyTypes defaulting (SetDefaults_NetworkPolicySpec)', () => {
  test('no policyTypes and no egress: Ingress only, even with ingress rules', () => {
    assert.deepEqual(policyTypesOf('podSelector: {}'), ['Ingress']);
    assert.deepEqual(policyTypesOf('podSelector: {}\ningress:\n  - {}'), ['Ingress']);
  });

  test('no policyTypes and at least one egress rule: Ingress and Egress', () => {
    assert.deepEqual(policyTypesOf('podSelector: {}\negress:\n  - {}'), ['Ingress', 'Egress']);
  });

  test('an empty egress list does not add Egress (len(spec.egress) == 0)', () => {
    assert.deepEqual(policyTypesOf('podSelector: {}\negress: []'), ['Ingress']);
  });

  test('explicit policyTypes are kept as given, without the Ingress default', () => {
    assert.deepEqual(policyTypesOf('podSelector: {}\npolicyTypes: [Egress]'), ['Egress']);
    assert.deepEqual(policyTypesOf('podSelector: {}\npolicyTypes: [Egress, Ingress]\ningress:\n  - {}'), ['Egress', 'Ingress']);
  });
});

describe('namespaces', () => {
  test('declared Namespace labels plus the automatic kubernetes.io/metadata.name', () => {
    const { model } = analyzeYaml(docs(namespace('payments', { team: 'fin', 'kubernetes.io/metadata.name': 'spoofed' })));
    const ns = model.namespaces.get('payments');
    assert.ok(ns);
    assert.equal(ns.declared, true);
    // (Labels have no prototype: keys come from input.)
    assert.deepEqual({ ...ns.labels }, { team: 'fin', 'kubernetes.io/metadata.name': 'payments' });
  });

  test('namespaces referenced by workloads or policies but not declared carry only the name label', () => {
    const { model } = analyzeYaml(
      docs(
        deployment('api', { namespace: 'backend', labels: { app: 'api' } }),
        yaml`
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: deny, namespace: locked}
          spec: {podSelector: {}}
        `,
      ),
    );
    const backend = model.namespaces.get('backend');
    assert.deepEqual(backend && { ...backend, labels: { ...backend.labels } }, { name: 'backend', labels: { 'kubernetes.io/metadata.name': 'backend' }, declared: false });
    assert.deepEqual({ ...model.namespaces.get('locked')?.labels }, { 'kubernetes.io/metadata.name': 'locked' });
  });
});

describe('workload extraction', () => {
  test('every controller kind reads its pod template (CronJob: spec.jobTemplate.spec.template)', () => {
    const template = (labels: string) => `metadata:\n  labels: ${labels}\nspec:\n  containers:\n    - name: c\n      image: busybox\n      ports:\n        - containerPort: 9000`;
    const indent = (s: string, n: number) => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
    const kinds: Array<[string, string]> = [
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'StatefulSet'],
      ['apps/v1', 'DaemonSet'],
      ['apps/v1', 'ReplicaSet'],
      ['v1', 'ReplicationController'],
      ['batch/v1', 'Job'],
    ];
    const text = docs(
      ...kinds.map(([api, k]) => `apiVersion: ${api}\nkind: ${k}\nmetadata:\n  name: w-${k.toLowerCase()}\n  namespace: ops\nspec:\n  template:\n${indent(template(`{kind: ${k.toLowerCase()}}`), 4)}\n`),
      `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: ops\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n${indent(template('{kind: cronjob}'), 8)}\n`,
    );
    const { model } = analyzeYaml(text);
    assert.deepEqual(
      model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}] ${JSON.stringify(w.pods[0].labels)} ${w.pods[0].ports.map((p) => `${p.port}/${p.protocol}`)}`),
      [
        'ops/w-deployment[Deployment] {"kind":"deployment"} 9000/TCP',
        'ops/w-statefulset[StatefulSet] {"kind":"statefulset"} 9000/TCP',
        'ops/w-daemonset[DaemonSet] {"kind":"daemonset"} 9000/TCP',
        'ops/w-replicaset[ReplicaSet] {"kind":"replicaset"} 9000/TCP',
        'ops/w-replicationcontroller[ReplicationController] {"kind":"replicationcontroller"} 9000/TCP',
        'ops/w-job[Job] {"kind":"job"} 9000/TCP',
        'ops/nightly[CronJob] {"kind":"cronjob"} 9000/TCP',
      ],
    );
  });

  test('objects without metadata.namespace go to "default", or to the defaultNamespace option', () => {
    const text = docs(
      deployment('web', { labels: { app: 'web' } }),
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all}
        spec: {podSelector: {}}
      `,
    );
    const a = analyzeYaml(text);
    assert.equal(a.model.workloads[0].namespace, 'default');
    assert.equal(a.model.policies[0].namespace, 'default');
    assert.equal(a.model.policies[0].defaultedNamespace, true);
    const b = analyzeYaml(text, { defaultNamespace: 'team-a' });
    assert.equal(b.model.workloads[0].namespace, 'team-a');
    assert.equal(b.model.policies[0].namespace, 'team-a');
    // The policy follows the workload into the defaulted namespace, so it still isolates it.
    assert.deepEqual(clusterConnlist(docs(text, deployment('probe', { namespace: 'other', labels: { app: 'probe' } })), { defaultNamespace: 'team-a' }), [
      'team-a/web[Deployment] => other/probe[Deployment] : All Connections',
    ]);
  });

  test('Pods with a controller owner collapse into one endpoint named after the owner', () => {
    const ownedPod = (name: string, owner: string, controller = true) => yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: ${name}
        namespace: shop
        labels: {app: cart}
        ownerReferences:
          - apiVersion: apps/v1
            kind: ReplicaSet
            name: ${owner}
            uid: 5b1c2d3e-0000-4000-8000-000000000001
            controller: ${controller}
      spec:
        containers: [{name: cart, image: cart:1}]
    `;
    const { model } = analyzeYaml(
      docs(
        ownedPod('cart-7d9f8-abcde', 'cart-7d9f8'),
        ownedPod('cart-7d9f8-fghij', 'cart-7d9f8'),
        ownedPod('cart-manual', 'cart-old', false),
        yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: kube-apiserver-node1
            namespace: shop
            labels: {component: kube-apiserver}
            ownerReferences:
              - {apiVersion: v1, kind: Node, name: node1, uid: 5b1c2d3e-0000-4000-8000-000000000002, controller: true}
          spec:
            containers: [{name: api, image: kube-apiserver:1}]
        `,
      ),
    );
    assert.deepEqual(
      model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}] pods=${w.pods.length}`),
      ['shop/cart-7d9f8[ReplicaSet] pods=2', 'shop/cart-manual[Pod] pods=1', 'shop/kube-apiserver-node1[Pod] pods=1'],
    );
  });
});

describe('input formats', () => {
  test('kind: List items and PodList items without their own kind/apiVersion', () => {
    const text = yaml`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: Namespace
          metadata: {name: listed, labels: {env: test}}
        - apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: deny, namespace: listed}
          spec: {podSelector: {}}
      ---
      apiVersion: v1
      kind: PodList
      items:
        - metadata: {name: a, namespace: listed, labels: {app: a}}
          spec: {containers: [{name: a, image: a}]}
        - metadata: {name: b, namespace: listed, labels: {app: b}}
          spec: {containers: [{name: b, image: b}]}
    `;
    const { model } = analyzeYaml(text);
    assert.deepEqual({ ...model.namespaces.get('listed')?.labels }, { env: 'test', 'kubernetes.io/metadata.name': 'listed' });
    assert.deepEqual(model.policies.map((p) => `${p.namespace}/${p.name}`), ['listed/deny']);
    assert.deepEqual(model.workloads.map((w) => `${w.name}[${w.kind}]`), ['a[Pod]', 'b[Pod]']);
    // The deny-all policy from the List applies to the pods from the PodList.
    assert.deepEqual(clusterConnlist(text), []);
  });

  test('JSON manifest files are read like YAML', () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'j' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api', ports: [{ containerPort: 8443, name: 'https' }] }] } } } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: 'j' }, spec: { template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'c' }] } } } },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'api', namespace: 'j' },
          spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'https' }] }] },
        },
      ],
    }, null, 2);
    assert.deepEqual(clusterConnlist([{ path: 'cluster.json', text: json }]), [
      'j/api[Deployment] => j/client[Deployment] : All Connections',
      'j/client[Deployment] => j/api[Deployment] : TCP 8443',
    ]);
  });

  test('objects from several files form one model', () => {
    const files = [
      { path: 'ns.yaml', text: namespace('web', { tier: 'front' }) },
      { path: 'apps.yaml', text: docs(deployment('ui', { namespace: 'web', labels: { app: 'ui' } }), deployment('backend', { namespace: 'api', labels: { app: 'be' } })) },
      {
        path: 'policy.yaml',
        text: yaml`
          apiVersion: networking.k8s.io/v1
          kind: NetworkPolicy
          metadata: {name: from-front, namespace: api}
          spec:
            podSelector: {}
            ingress:
              - from: [{namespaceSelector: {matchLabels: {tier: front}}}]
        `,
      },
    ];
    assert.deepEqual(clusterConnlist(files), [
      'api/backend[Deployment] => web/ui[Deployment] : All Connections',
      'web/ui[Deployment] => api/backend[Deployment] : All Connections',
    ]);
  });
});
