import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFile } from '../../../server/src/core/manifest/load';
import { ParseCache } from '../../../server/src/core/yaml/parse';
import { analyze } from '../../../server/src/core/analysis/analyze';

const policy = (name: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: {}
`;

test('multi-document files yield one object per document, with spans on the source', () => {
  const text = `${policy('a')}---\n${policy('b')}`;
  const loaded = loadFile({ path: 'p.yaml', text }, new ParseCache());
  assert.equal(loaded.objects.length, 2);
  const second = loaded.objects[1];
  assert.equal(text.slice(second.span.start, second.span.start + 'apiVersion'.length), 'apiVersion');
  assert.ok(second.span.start > text.indexOf('---'));
});

test('an edit in one document re-parses only that document', () => {
  const docs = Array.from({ length: 50 }, (_, i) => policy(`p${i}`));
  const cache = new ParseCache();
  loadFile({ path: 'big.yaml', text: docs.join('---\n') }, cache);
  assert.equal(cache.misses, 50);
  docs[17] = policy('edited');
  const before = cache.misses;
  const loaded = loadFile({ path: 'big.yaml', text: docs.join('---\n') }, cache);
  assert.equal(cache.misses - before, 1);
  assert.equal(loaded.objects.length, 50);
  // Spans of documents after the edit moved with it.
  const last = loaded.objects[49];
  assert.match(docs.join('---\n').slice(last.span.start, last.span.end), /name: p49/);
});

test('List kinds are flattened; typed-list items inherit kind and apiVersion', () => {
  const list = JSON.stringify({
    kind: 'PodList',
    apiVersion: 'v1',
    items: [{ metadata: { name: 'p1', namespace: 'x', labels: { app: 'a' } }, spec: { containers: [] } }],
  });
  const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: x}\n`;
  const { model } = analyze([
    { path: 'pods.json', text: list },
    { path: 'list.yaml', text },
  ]);
  assert.deepEqual(model.workloads.map((w) => `${w.namespace}/${w.name}[${w.kind}]`), ['x/p1[Pod]']);
  assert.equal(model.namespaces.get('x')?.declared, true);
});

test('Helm templates are skipped with one note, not parsed as broken YAML', () => {
  const text = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n`;
  const loaded = loadFile({ path: 'templates/np.yaml', text }, new ParseCache());
  assert.equal(loaded.objects.length, 0);
  assert.equal(loaded.notes.length, 1);
  assert.equal(loaded.notes[0].severity, 'info');
  assert.match(loaded.notes[0].message, /Helm template/);
});

test('non-Kubernetes YAML gets one info note; broken YAML an error note with its position', () => {
  const ci = loadFile({ path: '.gitlab-ci.yml', text: 'stages: [build]\nbuild:\n  script: make\n' }, new ParseCache());
  assert.equal(ci.objects.length, 0);
  assert.deepEqual(ci.notes.map((n) => n.severity), ['info']);
  const text = `${policy('ok')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n`;
  const broken = loadFile({ path: 'b.yaml', text }, new ParseCache());
  assert.equal(broken.objects.length, 1, 'the valid document is still loaded');
  assert.equal(broken.notes.length, 1);
  assert.equal(broken.notes[0].severity, 'error');
  assert.match(broken.notes[0].message, /^Invalid YAML/);
  assert.ok((broken.notes[0].span?.start ?? 0) > text.indexOf('kind: Pod'));
});

test('half-typed policies at every cut point never throw', () => {
  const full = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: backend}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions:
        - {key: team, operator: In, values: [a]}
      podSelector: {matchLabels: {app: fe}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {protocol: TCP, port: 8080, endPort: 8090}
    - port: http
  egress:
  - to: [{podSelector: {}}]
`;
  const cache = new ParseCache();
  for (let i = 0; i <= full.length; i++) {
    const r = analyze([{ path: 'cut.yaml', text: full.slice(0, i) }], {}, cache);
    assert.ok(r.model.policies.length <= 1);
  }
});

test('an alias bomb is cut off, not expanded', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => '  ' + l).join('\n')}\n`;
  const t0 = Date.now();
  const r = analyze([{ path: 'bomb.yaml', text }]);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(r.model.workloads.length, 0);
});

test('a released object of a List parsed again leaves its neighbours a tree and a reader of one parse (aliases resolve)', () => {
  // Two objects of one document (a List): the second's labels are an alias of the first's.
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a, namespace: shop, labels: &l {app: web}}
  - apiVersion: v1
    kind: Pod
    metadata: {name: b, namespace: shop, labels: *l}
`;
  const [a, b] = loadFile({ path: 'list.yaml', text }, ParseCache.batch()).objects;
  const labelsOf = (o: typeof a) => {
    const r = o.reader;
    const labels = r.map(r.get(r.map(r.get(o.map, 'metadata')), 'labels'));
    return labels && r.string(r.get(labels, 'app'));
  };
  assert.equal(labelsOf(a), 'web');
  assert.equal(labelsOf(b), 'web');
  const tree = b.map;
  // The CLI lets go of a policy's tree once its rules are done (rules/run.ts: once).
  assert.ok(a.release);
  a.release();
  assert.equal(labelsOf(a), 'web');
  // b's tree was of the earlier parse: b takes the tree of the parse its reader reads.
  assert.notEqual(b.map, tree);
  assert.equal(labelsOf(b), 'web');
});
