import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeYaml, connlist, yaml } from '../../helpers/manifests';
import { generateClusterDump } from '../../bench/cluster-dump';
import { loadFile } from '../../../server/src/core/manifest/load';
import { splitListItems } from '../../../server/src/core/manifest/list-items';
import { ParseCache } from '../../../server/src/core/yaml/parse';
import { prepareObject } from '../../../server/src/core/model/build';
import { Reachability } from '../../../server/src/core/reach/engine';

/** The dump of `pods` Pods (50 per namespace) as one kubectl List. */
function dump(pods: number): string {
  const chunks: string[] = [];
  generateClusterDump({ pods }, (c) => chunks.push(c));
  return chunks.join('');
}

describe('a cluster dump (kubectl get pods,replicasets,deployments,... -A -o yaml)', () => {
  const text = dump(150);
  const a = analyzeYaml([{ path: 'cluster.yaml', text }]);

  test('Pods owned by ReplicaSets owned by a Deployment are the Deployment: one endpoint each, no pod lost', () => {
    const ids = a.model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}]`);
    // 3 namespaces x 10 Deployments, and nothing else: no ReplicaSet (current or old) and no Pod of its own.
    assert.equal(ids.length, 30);
    assert.ok(a.model.workloads.every((w) => w.kind === 'Deployment'), ids.join(' '));
    assert.equal(new Set(ids).size, 30);
    const web = a.model.workloads.find((w) => w.namespace === 'ingress-nginx' && w.name === 'web-0')!;
    // Its template, its current ReplicaSet's, and its 10 Pods (with their addresses and the pod-template-hash label).
    const running = web.pods.filter((p) => p.ips !== undefined);
    assert.equal(running.length, 10);
    assert.ok(running.every((p) => p.labels['pod-template-hash'] !== undefined && p.labels['app.kubernetes.io/name'] === 'ingress-nginx'));
    assert.deepEqual(
      web.sources.map((o) => o.kind).sort(),
      ['Deployment', 'ReplicaSet', ...Array<string>(10).fill('Pod')].sort(),
    );
    // Every Pod of the dump is some Deployment's.
    assert.equal(a.model.workloads.reduce((n, w) => n + w.pods.filter((p) => p.ips).length, 0), 150);
    // An old ReplicaSet (scaled to 0) joins its Deployment too.
    const api = a.model.workloads.find((w) => w.namespace === 'kube-system' && w.name === 'api-1')!;
    assert.deepEqual(api.sources.filter((o) => o.kind === 'ReplicaSet').length, 2);
  });

  test('Pods of one label set collapse into one class though each has an address of its own', () => {
    const classes = a.reach.classes.filter((c) => c.ips !== undefined);
    assert.equal(classes.length, 30);
    assert.equal(classes.reduce((n, c) => n + c.ips!.length, 0), 150);
  });

  test('the connection list names Deployments only', () => {
    const lines = connlist([{ path: 'cluster.yaml', text }], {}, { external: false });
    assert.ok(lines.length > 0);
    assert.ok(lines.every((l) => !l.includes('[ReplicaSet]') && !l.includes('[Pod]')), lines.find((l) => l.includes('[ReplicaSet]')));
    assert.ok(lines.includes('ingress-nginx/web-0[Deployment] => ingress-nginx/api-1[Deployment] : TCP 8080,9000'), lines.filter((l) => l.startsWith('ingress-nginx/web-0')).join('\n'));
  });

  test('a ReplicaSet whose Deployment is not in the files still names the endpoint after it', () => {
    const { model } = analyzeYaml(yaml`
      apiVersion: apps/v1
      kind: ReplicaSet
      metadata:
        name: cart-7d9f8
        namespace: shop
        ownerReferences:
          - {apiVersion: apps/v1, kind: Deployment, name: cart, uid: 5b1c2d3e-0000-4000-8000-000000000001, controller: true}
      spec:
        selector: {matchLabels: {app: cart, pod-template-hash: 7d9f8}}
        template:
          metadata: {labels: {app: cart, pod-template-hash: 7d9f8}}
          spec: {containers: [{name: cart, image: cart:1}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: cart-7d9f8-abcde
        namespace: shop
        labels: {app: cart, pod-template-hash: 7d9f8}
        ownerReferences:
          - {apiVersion: apps/v1, kind: ReplicaSet, name: cart-7d9f8, uid: 5b1c2d3e-0000-4000-8000-000000000002, controller: true}
      spec:
        containers: [{name: cart, image: cart:1}]
      status:
        podIP: 10.244.1.7
    `);
    assert.deepEqual(
      model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}] pods=${w.pods.length}`),
      ['shop/cart[Deployment] pods=2'],
    );
  });

  test('label maps and port lists are shared by content, an empty map never for an empty list', () => {
    const bare = (name: string) => yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: ${name}, namespace: shop}
      spec:
        containers: [{name: c, image: c:1}]
    `;
    const { model } = analyzeYaml([bare('a'), bare('b')].join('---\n'));
    const [a, b] = model.workloads.map((w) => w.pods[0]);
    assert.ok(Array.isArray(a.ports) && a.ports.length === 0 && !Array.isArray(a.labels));
    assert.equal(a.labels, b.labels);
    assert.equal(a.ports, b.ports);
  });

  test('label maps and port lists are shared only when their contents are equal, key order included', () => {
    // Pairs that a key made by joining the parts would confuse: separators inside keys,
    // values and port names, a name against none, the same entries in another order.
    const pod = (name: string, labels: string, ports: string) => yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: ${name}, namespace: shop, labels: ${labels}}
      spec:
        containers: [{name: c, image: c:1, ports: ${ports}}]
    `;
    const pods = [
      pod('a', `{"a1:b": c}`, `[{containerPort: 80}]`),
      pod('b', `{a: "1:bc"}`, `[{containerPort: 80, name: p}]`),
      pod('c', `{a: "1:b", c: d}`, `[{containerPort: 80, name: "p,80,TCP;"}]`),
      pod('d', `{c: d, a: "1:b"}`, `[{containerPort: 80, name: p}, {containerPort: 81}]`),
      pod('e', `{"a1:b": c}`, `[{containerPort: 80, name: p}]`),
      pod('f', `{"1": x, "2": y}`, `[{containerPort: 80, protocol: UDP}]`),
      pod('g', `{"2": y, "1": x}`, `[{containerPort: 80}]`),
    ];
    const { model } = analyzeYaml(pods.join('---\n'));
    const byName = new Map(model.workloads.map((w) => [w.name, w.pods[0]]));
    const pa = byName.get('a')!;
    const pb = byName.get('b')!;
    const pc = byName.get('c')!;
    const pd = byName.get('d')!;
    const pe = byName.get('e')!;
    const pf = byName.get('f')!;
    const pg = byName.get('g')!;
    assert.deepEqual(Object.entries(pa.labels), [['a1:b', 'c']]);
    assert.deepEqual(Object.entries(pb.labels), [['a', '1:bc']]);
    assert.deepEqual(Object.entries(pc.labels), [['a', '1:b'], ['c', 'd']]);
    assert.deepEqual(Object.entries(pd.labels), [['c', 'd'], ['a', '1:b']]);
    assert.notEqual(pc.labels, pd.labels);
    assert.equal(pa.labels, pe.labels);
    // Integer-like keys come first in ascending order however written: the same map.
    assert.equal(pf.labels, pg.labels);
    assert.deepEqual(pa.ports, [{ port: 80, protocol: 'TCP' }]);
    assert.deepEqual(pb.ports, [{ name: 'p', port: 80, protocol: 'TCP' }]);
    assert.deepEqual(pc.ports, [{ name: 'p,80,TCP;', port: 80, protocol: 'TCP' }]);
    assert.deepEqual(pd.ports, [{ name: 'p', port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }]);
    assert.deepEqual(pf.ports, [{ port: 80, protocol: 'UDP' }]);
    assert.equal(pb.ports, pe.ports);
    assert.equal(pa.ports, pg.ports);
    assert.notEqual(pa.ports, pb.ports);
  });

  test('an ipBlock that holds some pods of a label set splits their class, and only then', () => {
    const pod = (name: string, ip: string) => yaml`
      apiVersion: v1
      kind: Pod
      metadata:
        name: ${name}
        namespace: shop
        labels: {app: cart}
        ownerReferences:
          - {apiVersion: apps/v1, kind: ReplicaSet, name: cart-7d9f8, uid: 5b1c2d3e-0000-4000-8000-000000000002, controller: true}
      spec:
        containers: [{name: cart, image: cart:1}]
      status:
        podIP: ${ip}
    `;
    const policy = (cidr: string) => yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: out, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: cart}}
        policyTypes: [Egress]
        egress:
          - to: [{ipBlock: {cidr: ${cidr}}}]
    `;
    const pods = [pod('cart-7d9f8-a', '10.244.1.7'), pod('cart-7d9f8-b', '10.244.1.8')].join('---\n');
    const whole = analyzeYaml(`${pods}---\n${policy('10.244.0.0/16')}`);
    assert.deepEqual(whole.reach.classes.filter((c) => !c.virtual).map((c) => c.ips), [['10.244.1.7', '10.244.1.8']]);
    const one = analyzeYaml(`${pods}---\n${policy('10.244.1.7/32')}`);
    assert.deepEqual(one.reach.classes.filter((c) => !c.virtual).map((c) => c.ips), [['10.244.1.7'], ['10.244.1.8']]);
    // The /32 admits the first pod as a destination of the others, not the second.
    const [first, second] = one.reach.classes.filter((c) => !c.virtual).map((c) => c.id);
    assert.equal(one.reach.egressToClass(second, first).isEmpty(), false);
    assert.equal(one.reach.egressToClass(first, second).isEmpty(), true);
    // An edit that cuts a class apart makes a new class table (a table is kept only while its classes hold).
    const next = new Reachability(one.model, {}, whole.reach);
    assert.notEqual(next.table, whole.reach.table);
    assert.equal(next.classes.filter((c) => !c.virtual).length, 2);
    // A variant under policies that would split a class is a reachability of its own.
    const variant = whole.reach.withPolicies(one.model.policies);
    assert.equal(variant.classes.filter((c) => !c.virtual).length, 2);
  });
});

describe('a large List is read item by item in a batch load', () => {
  const text = dump(300);

  test('the same objects at the same offsets as the document read whole', () => {
    assert.ok(text.length > 1 << 20);
    assert.equal(splitListItems({ start: 0, end: text.length, text })?.items.length, 300 + 90 + 60 + 60 + 6 + 60);
    const batch = loadFile({ path: 'cluster.yaml', text }, ParseCache.batch(), { prepare: prepareObject });
    const whole = loadFile({ path: 'cluster.yaml', text }, new ParseCache());
    const shape = (f: typeof batch) => f.objects.map((o) => `${o.kind} ${o.apiVersion} ${o.span.start}-${o.span.end}`);
    assert.equal(batch.objects.length, 576);
    assert.deepEqual(shape(batch), shape(whole));
    assert.deepEqual(batch.notes, []);
    // A tree let go is parsed again from its item alone, identically.
    const o = batch.objects[7];
    assert.equal(o.reader.span(o.map)?.start, whole.objects[7].span.start);
  });

  test('a YAML error in one item costs that item only', () => {
    const at = text.indexOf('\n  kind: Service\n');
    const broken = `${text.slice(0, at)}\n  kind: [Service\n${text.slice(at + '\n  kind: Service\n'.length)}`;
    const batch = loadFile({ path: 'cluster.yaml', text: broken }, ParseCache.batch(), { prepare: prepareObject });
    assert.equal(batch.objects.length, 575);
    assert.equal(batch.notes.length, 1);
    assert.equal(batch.notes[0].severity, 'error');
    assert.match(batch.notes[0].message, /^Invalid YAML: /);
    // On the broken line, in the item it breaks.
    const span = batch.notes[0].span!;
    assert.ok(span.start >= at && span.start <= at + 20, `${span.start} vs ${at}`);
  });

  test('a List that may use anchors, or whose items are indented, is read whole', () => {
    const chunk = (t: string) => ({ start: 0, end: t.length, text: t });
    assert.ok(splitListItems(chunk(text), 1));
    assert.equal(splitListItems(chunk(text.replace('  metadata:\n', '  metadata: &m\n')), 1), undefined);
    assert.equal(splitListItems(chunk(text.replace(/^- /gm, '  - ').replace(/^ {2}(?! *- )/gm, '    ')), 1), undefined);
    // Below a megabyte a List is one document, as any.
    const small = dump(50);
    assert.ok(small.length < 1 << 20);
    assert.equal(splitListItems(chunk(small)), undefined);
  });
});
