/**
 * objectAt (the object a finding, hover or fix is about) is looked up through an index
 * per file; these tests hold it to the plain scan it replaced (the innermost object whose
 * span holds the offset, the first of equal ones) at every offset of files with Lists,
 * their items, JSON, empty and broken documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../../server/src/core/analysis/analyze';
import { filesAt, objectAt } from '../../../server/src/core/analysis/object-at';
import type { ManifestObject } from '../../../server/src/core/manifest/types';
import { docs, yaml } from '../../helpers/manifests';

/** The scan objectAt replaced: every object of every file of that path. */
function scanned(analysis: Analysis, file: string, offset: number): ManifestObject | undefined {
  let best: ManifestObject | undefined;
  for (const f of analysis.files) {
    if (f.path !== file) continue;
    for (const o of f.objects) {
      if (o.span.start <= offset && offset <= o.span.end && (!best || o.span.end - o.span.start < best.span.end - best.span.start)) best = o;
    }
  }
  return best;
}

const policy = (name: string) => yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: ${name}, namespace: shop}
  spec:
    podSelector: {}
`;

const list = yaml`
  apiVersion: v1
  kind: List
  items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: item-a, namespace: shop}
    spec: {podSelector: {}}
  - {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: item-b, namespace: shop}, spec: {podSelector: {}}}
  - apiVersion: v1
    kind: List
    items:
    - apiVersion: v1
      kind: Namespace
      metadata: {name: inner}
  metadata: {name: after-the-items}
`;

const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } }] });

const FILES = [
  { path: 'mixed.yaml', text: docs(policy('first'), list, '', 'key: [unclosed', policy('last')) },
  { path: 'list.json', text: json },
  { path: 'empty.yaml', text: '' },
  { path: 'items-only.yaml', text: list },
];

test('objectAt: at every offset of every file, the object the plain scan finds', () => {
  const analysis = analyze(FILES);
  const kinds = new Set(analysis.files.flatMap((f) => f.objects.map((o) => o.kind)));
  assert.deepEqual([...kinds].sort(), ['Namespace', 'NetworkPolicy'], "a List's items are objects, the List is not");
  let held = 0;
  for (const { path, text } of FILES) {
    for (let offset = 0; offset <= text.length + 1; offset++) {
      const expected = scanned(analysis, path, offset);
      assert.equal(objectAt(analysis, { file: path, start: offset, end: offset }), expected, `${path} at ${offset}`);
      if (expected) held++;
    }
  }
  assert.ok(held > 900, `offsets in an object: ${held}`);
  assert.equal(objectAt(analysis, { file: 'unknown.yaml', start: 0, end: 0 }), undefined);
});

test("objectAt: the item of a List at the item; nothing in the List's own fields", () => {
  const analysis = analyze([{ path: 'a.yaml', text: list }]);
  const at = (s: string) => objectAt(analysis, { file: 'a.yaml', start: list.indexOf(s), end: list.indexOf(s) });
  assert.equal(at('item-a')?.kind, 'NetworkPolicy');
  assert.equal(at('item-b')?.kind, 'NetworkPolicy');
  assert.equal(at('inner')?.kind, 'Namespace');
  assert.equal(at('after-the-items'), undefined);
});

/** Objects with made-up spans: nested, apart, touching, overlapping, equal, empty. */
function synthetic(spans: readonly (readonly [number, number])[]): Analysis {
  const objects = spans.map(([start, end], i) => ({ apiVersion: 'v1', kind: `K${i}`, span: { file: 's.yaml', start, end } }) as unknown as ManifestObject);
  return { files: [{ path: 's.yaml', objects, notes: [], isKubernetes: true, looksKubernetes: true }] } as unknown as Analysis;
}

test('objectAt on nested, equal, empty, touching and overlapping spans: as the plain scan', () => {
  const cases: (readonly (readonly [number, number])[])[] = [
    [[0, 100], [10, 20], [12, 18], [30, 40], [50, 100], [60, 60], [70, 90]],
    [[0, 50], [0, 50], [10, 20], [10, 20], [10, 20]],
    [[40, 60], [0, 10], [20, 30], [0, 100]],
    [[0, 10], [10, 20], [20, 30]],
    [[0, 30], [20, 50], [25, 26]],
    [[5, 5], [5, 5]],
    [],
  ];
  for (const spans of cases) {
    const analysis = synthetic(spans);
    for (let offset = 0; offset <= 101; offset++) {
      assert.equal(objectAt(analysis, { file: 's.yaml', start: offset, end: offset })?.kind, scanned(analysis, 's.yaml', offset)?.kind, `${JSON.stringify(spans)} at ${offset}`);
    }
  }
});

test('filesAt: the loaded file of a path, by path', () => {
  const analysis = analyze(FILES);
  assert.equal(filesAt(analysis, 'list.json')[0], analysis.files[1]);
  assert.deepEqual(filesAt(analysis, 'nothing.yaml'), []);
});
