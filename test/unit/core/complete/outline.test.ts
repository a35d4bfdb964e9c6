/**
 * The line-based outline that completion uses to find where the cursor is in
 * half-typed YAML (server/src/core/complete/outline.ts). `|` marks the cursor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOutline, child, pathOf, scalarText } from '../../../../server/src/core/yaml/outline';

interface Where {
  kind: string;
  path: string;
  key?: string;
  replaced: string;
  present?: string[];
  leadingSpace?: boolean;
  keyOnly?: boolean;
  col?: number;
}

function where(marked: string): Where | undefined {
  const cut = marked.indexOf('|');
  const text = marked.slice(0, cut) + marked.slice(cut + 1);
  const site = buildOutline(text, cut).cursor;
  if (!site) return undefined;
  const container = site.kind === 'item' ? site.seq : site.map;
  const out: Where = { kind: site.kind, path: pathOf(container).path.join('.'), replaced: text.slice(site.start, site.end) };
  if (site.kind === 'value') out.key = site.key;
  if (site.kind === 'key') {
    out.present = site.map.entries.filter((e) => !e.atCursor).map((e) => e.key);
    out.keyOnly = site.keyOnly;
    out.col = site.col;
  }
  if (site.kind === 'item' || site.kind === 'value') out.leadingSpace = site.leadingSpace;
  return out;
}

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: x
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector: {}
    ports:
    - port: 80
`;

test('a half-typed key under matchLabels', () => {
  assert.deepEqual(where(POLICY.replace('      app: web', '      ap|')), { kind: 'key', path: 'spec.podSelector.matchLabels', replaced: 'ap', present: [], keyOnly: false, col: 6 });
});

test('a blank line: the mapping at the cursor column (deeper than a pending key opens it)', () => {
  assert.equal(where(POLICY.replace('      app: web', '      |'))?.path, 'spec.podSelector.matchLabels');
  assert.deepEqual(where(POLICY.replace('      app: web\n', '      app: web\n    |\n'))?.present, ['matchLabels']);
  assert.deepEqual(where(POLICY.replace('      app: web\n', '      app: web\n  |\n'))?.present, ['podSelector', 'ingress']);
  assert.deepEqual(where(POLICY.replace('      app: web\n', '      app: web\n|\n'))?.present, ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.equal(where(POLICY.replace('  podSelector:\n    matchLabels:\n      app: web', '  podSelector:\n    |'))?.path, 'spec.podSelector');
});

test('a blank cursor line at column 0 does not break the structure below it', () => {
  const text = POLICY.replace('metadata:\n', 'metadata:\n\n');
  const cut = text.indexOf('\n\n') + 1;
  const outline = buildOutline(text, cut);
  assert.equal(outline.cursor?.kind, 'key');
  assert.equal(scalarText(child(child(outline.root, 'metadata'), 'namespace')), 'shop');
  assert.equal(pathOf(child(child(child(outline.root, 'spec'), 'podSelector'), 'matchLabels') as never).path.join('.'), 'spec.podSelector.matchLabels');
});

test('values: after the colon, with or without the space, and a typed word', () => {
  assert.deepEqual(where(POLICY.replace('      app: web', '      app: |')), { kind: 'value', path: 'spec.podSelector.matchLabels', key: 'app', replaced: '', leadingSpace: false });
  assert.deepEqual(where(POLICY.replace('      app: web', '      app:|')), { kind: 'value', path: 'spec.podSelector.matchLabels', key: 'app', replaced: '', leadingSpace: true });
  assert.deepEqual(where(POLICY.replace('    - port: 80', '    - port: 80\n      protocol: t|')), { kind: 'value', path: 'spec.ingress.[].ports.[]', key: 'protocol', replaced: 't', leadingSpace: false });
  assert.deepEqual(where(POLICY.replace('  namespace: shop', '  namespace: sh|op # here')), { kind: 'value', path: 'metadata', key: 'namespace', replaced: 'shop', leadingSpace: false });
});

test('sequence items: after the dash, with or without the space; compact and indented styles', () => {
  assert.deepEqual(where(POLICY.replace('    - port: 80', '    - |')), { kind: 'item', path: 'spec.ingress.[].ports', replaced: '', leadingSpace: false });
  assert.deepEqual(where(POLICY.replace('    - port: 80', '    -|')), { kind: 'item', path: 'spec.ingress.[].ports', replaced: '', leadingSpace: true });
  assert.equal(where(POLICY.replace('  ingress:', '  policyTypes:\n    - Ingress\n    - E|\n  ingress:'))?.path, 'spec.policyTypes');
  assert.equal(where(POLICY.replace('  ingress:', '  policyTypes:\n  - |\n  ingress:'))?.path, 'spec.policyTypes');
  assert.deepEqual(where(POLICY.replace('      app: web', '      app: web\n    matchExpressions:\n    - key: |')), { kind: 'value', path: 'spec.podSelector.matchExpressions.[]', key: 'key', replaced: '', leadingSpace: false });
});

test('the key of an existing entry: keyOnly', () => {
  assert.deepEqual(where(POLICY.replace('  namespace: shop', '  na|mespace: shop')), { kind: 'key', path: 'metadata', replaced: 'namespace', present: ['name'], keyOnly: true, col: 2 });
});

test('the first key of a mapping item after its dash', () => {
  const w = where(POLICY.replace('    - podSelector: {}', '    - namespaceSelector: {}\n      pod|'));
  assert.deepEqual(w, { kind: 'key', path: 'spec.ingress.[].from.[]', replaced: 'pod', present: ['namespaceSelector'], keyOnly: false, col: 6 });
});

test('flow collections: located on the parsed AST, closed or half-typed, one line or several', () => {
  assert.deepEqual(where(POLICY.replace('    - podSelector: {}', '    - podSelector: {matchLabels: {app: w|}}')), { kind: 'value', path: 'spec.ingress.[].from.[].podSelector.matchLabels', key: 'app', replaced: 'w', leadingSpace: false });
  assert.deepEqual(where(POLICY.replace('    - podSelector: {}', '    - podSelector: {matchLabels: {app: web, |}}')), { kind: 'key', path: 'spec.ingress.[].from.[].podSelector.matchLabels', replaced: '', present: ['app'], keyOnly: false, col: -1 });
  assert.deepEqual(where(POLICY.replace('    - podSelector: {}', '    - podSelector: {matchLabels: {ap|')), { kind: 'key', path: 'spec.ingress.[].from.[].podSelector.matchLabels', replaced: 'ap', present: [], keyOnly: false, col: -1 });
  assert.deepEqual(where(POLICY.replace('    - podSelector: {}', '    - {podSelector: {}, namespaceSelector: {matchLabels: {|}}}')), { kind: 'key', path: 'spec.ingress.[].from.[].namespaceSelector.matchLabels', replaced: '', present: [], keyOnly: false, col: -1 });
  assert.deepEqual(where(POLICY.replace('    - port: 80', '    - {port: 80, protocol: U|}')), { kind: 'value', path: 'spec.ingress.[].ports.[]', key: 'protocol', replaced: 'U', leadingSpace: false });
  assert.deepEqual(where(POLICY.replace('  ingress:', '  policyTypes: [Ingress, |]\n  ingress:')), { kind: 'item', path: 'spec.policyTypes', replaced: '', leadingSpace: false });
  const multi = POLICY.replace('  podSelector:\n    matchLabels:\n      app: web', '  podSelector: {\n    matchLabels: {\n      app: |\n    }\n  }');
  assert.deepEqual(where(multi), { kind: 'value', path: 'spec.podSelector.matchLabels', key: 'app', replaced: '', leadingSpace: false });
});

test('comments, block scalars and document markers have no site', () => {
  assert.equal(where(POLICY.replace('  name: x', '  name: x # a |comment')), undefined);
  assert.equal(where(POLICY.replace('  name: x', '  # |\n  name: x')), undefined);
  assert.equal(where(POLICY.replace('  name: x', '  name: x\n  annotations:\n    note: >\n      some |text')), undefined);
  assert.equal(where(`---|\n${POLICY}`), undefined);
});

test('quoted keys and values, anchors and tags', () => {
  assert.deepEqual(where(POLICY.replace('      app: web', '      "app.kubernetes.io/name": "we|"')), { kind: 'value', path: 'spec.podSelector.matchLabels', key: 'app.kubernetes.io/name', replaced: '"we"', leadingSpace: false });
  const outline = buildOutline(POLICY.replace('  namespace: shop', "  namespace: &ns 'shop'"));
  assert.equal(scalarText(child(child(outline.root, 'metadata'), 'namespace')), 'shop');
});

test('the indentation step is read from the document', () => {
  assert.equal(buildOutline(POLICY).indentUnit, 2);
  assert.equal(buildOutline('a:\n    b:\n        c: 1\n').indentUnit, 4);
  assert.equal(buildOutline('a: 1\n').indentUnit, 2);
});
