/**
 * The text-edit layer of the fixes: style detection (indent unit, sequence indentation,
 * flow leaves, quotes, line breaks) and minimal edits that keep the surroundings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pair, YAMLMap, YAMLSeq } from 'yaml';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { applyEdits } from '../../../server/src/core/fixes';
import { appendDocumentEdit, detectStyle, DEFAULT_STYLE, renderScalar, YamlEditor } from '../../../server/src/core/yaml/edit';

function editorFor(text: string, objectIndex = 0): { e: YamlEditor; root: YAMLMap } {
  const { files } = analyze([{ path: 'f.yaml', text }]);
  const obj = files[0].objects[objectIndex];
  const style = detectStyle(text, obj.reader, files[0].objects.map((o) => o.reader));
  return { e: new YamlEditor('f.yaml', text, obj.reader, style), root: obj.map };
}

/** Follows keys and indices from a mapping. */
function at(root: YAMLMap, ...path: (string | number)[]): unknown {
  let n: unknown = root;
  for (const k of path) {
    if (typeof k === 'number') n = (n as YAMLSeq).items[k];
    else n = ((n as YAMLMap).items as Pair[]).find((p) => (p.key as { value: unknown }).value === k)?.value;
  }
  return n;
}

function pair(map: unknown, key: string): Pair {
  return ((map as YAMLMap).items as Pair[]).find((p) => (p.key as { value: unknown }).value === key)!;
}

const FOUR_FLUSH = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
    name: api
    namespace: shop
spec:
    podSelector:
        matchLabels:
            app: api
    ingress:
    - from:
        - podSelector:
            matchLabels:
                app: web
`;

test('style: four-space indent and sequences flush with their key are detected and followed', () => {
  const { e, root } = editorFor(FOUR_FLUSH);
  assert.equal(e.style.indent, 4);
  assert.equal(e.style.seqIndent, 0);
  assert.equal(e.style.flowLeafMaps, false);
  const rule = at(root, 'spec', 'ingress', 0) as YAMLMap;
  const edit = e.insertPairs(rule, { ports: [{ port: 8080, protocol: 'TCP' }] }, { after: pair(rule, 'from') });
  assert.equal(
    applyEdits(FOUR_FLUSH, [edit]),
    FOUR_FLUSH + '      ports:\n      - port: 8080\n        protocol: TCP\n',
  );
});

test('style: flow leaves, quotes and CRLF line breaks follow the file', () => {
  const text = "metadata: {name: 'a', labels: {app: 'x'}}\r\nkind: NetworkPolicy\r\napiVersion: networking.k8s.io/v1\r\nspec:\r\n  podSelector:\r\n    matchLabels: {app: 'x'}\r\n  policyTypes: [Ingress]\r\n";
  const { e, root } = editorFor(text);
  assert.equal(e.style.eol, '\r\n');
  assert.equal(e.style.quote, "'");
  assert.equal(e.style.flowLeafMaps, true);
  assert.equal(e.style.flowScalarSeqs, true);
  const spec = at(root, 'spec') as YAMLMap;
  const edit = e.insertPairs(spec, { egress: [{ to: [{ podSelector: { matchLabels: { app: 'yes' } } }] }] });
  assert.equal(
    applyEdits(text, [edit]).slice(text.length),
    "  egress:\r\n    - to:\r\n        - podSelector:\r\n            matchLabels: {app: 'yes'}\r\n",
  );
});

test('insert before the first key of a compact list item keeps the dash on the first line', () => {
  const text = 'spec:\n  ingress:\n    - ports:\n        - port: 80\n';
  const { e, root } = editorFor(`apiVersion: v1\nkind: X\n${text}`);
  const rule = at(root, 'spec', 'ingress', 0) as YAMLMap;
  const edit = e.insertPairs(rule, { from: [{ podSelector: {} }] }, 'start');
  assert.equal(
    applyEdits(e.text, [edit]),
    'apiVersion: v1\nkind: X\nspec:\n  ingress:\n    - from:\n        - podSelector: {}\n      ports:\n        - port: 80\n',
  );
});

test('remove a pair: whole lines in block style, the next key moves up behind a dash, flow items with their comma', () => {
  const text = 'apiVersion: v1\nkind: X\nports:\n  - endPort: 90   # range\n    port: 80\n  - {port: 1, endPort: 2, protocol: TCP}\nmeta:\n  a: 1\n  b: 2 # two\n  c: 3\n';
  const { e, root } = editorFor(text);
  const compact = at(root, 'ports', 0) as YAMLMap;
  const flow = at(root, 'ports', 1) as YAMLMap;
  const meta = at(root, 'meta') as YAMLMap;
  assert.equal(applyEdits(text, [e.removePair(compact, pair(compact, 'endPort'))]), text.replace('endPort: 90   # range\n    ', ''));
  assert.equal(applyEdits(text, [e.removePair(flow, pair(flow, 'endPort'))]), text.replace('endPort: 2, ', ''));
  assert.equal(applyEdits(text, [e.removePair(flow, pair(flow, 'protocol'))]), text.replace(', protocol: TCP', ''));
  assert.equal(applyEdits(text, [e.removePair(meta, pair(meta, 'b'))]), text.replace('  b: 2 # two\n', ''));
});

test('append list items: block items like the existing ones, flow lists in flow', () => {
  const text = 'apiVersion: v1\nkind: X\na:\n- {port: 1}\n- {port: 2}\nb: [x, y]\nc: []\n';
  const { e, root } = editorFor(text);
  const out = applyEdits(text, [
    e.appendItems(at(root, 'a') as YAMLSeq, [{ port: 3, protocol: 'UDP' }])!,
    e.appendItems(at(root, 'b') as YAMLSeq, ['z: 1'])!,
    e.appendItems(at(root, 'c') as YAMLSeq, [1, 'two'])!,
  ]);
  assert.equal(out, 'apiVersion: v1\nkind: X\na:\n- {port: 1}\n- {port: 2}\n- {port: 3, protocol: UDP}\nb: [x, y, "z: 1"]\nc: [1, two]\n');
});

test('scalars that YAML would read as something else are quoted', () => {
  for (const [v, out] of [
    ['web', 'web'],
    ['kubernetes.io/metadata.name', 'kubernetes.io/metadata.name'],
    ['yes', '"yes"'],
    ['80', '"80"'],
    ['fc00::/7', '"fc00::/7"'],
    ['-x', '"-x"'],
    ['', '""'],
  ] as const) {
    assert.equal(renderScalar(v, DEFAULT_STYLE), out, v);
  }
  assert.equal(renderScalar(53, DEFAULT_STYLE), '53');
});

test('append a document: separator, and a line break where the file lacks its last one', () => {
  const doc = { kind: 'X', spec: { a: 1 } };
  assert.equal(appendDocumentEdit('f', 'a: 1', [doc], DEFAULT_STYLE).newText, '\n---\nkind: X\nspec:\n  a: 1\n');
  assert.equal(appendDocumentEdit('f', 'a: 1\n---\n', [doc], DEFAULT_STYLE).newText, 'kind: X\nspec:\n  a: 1\n');
  assert.equal(appendDocumentEdit('f', '', [doc, doc], DEFAULT_STYLE).newText, 'kind: X\nspec:\n  a: 1\n---\nkind: X\nspec:\n  a: 1\n');
});
