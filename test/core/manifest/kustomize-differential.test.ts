/**
 * The in-process kustomize subset held to the real thing: every root of every fixture under
 * test/fixtures/kustomize is rendered with `kubectl kustomize` (as a process), and
 * - a root the subset models completely (not partial) renders exactly: each object's
 *   kustomized view (applyEdits over the object as written) equals the object kubectl prints,
 *   field for field, and kubectl prints nothing else;
 * - a root with features outside the subset but no error renders the objects the subset
 *   predicts, with the namespace and name it predicts;
 * - a root the subset finds broken (cycle, unknown field, file outside the root, missing path,
 *   component listed as a resource) makes kubectl fail too;
 * - a root with a remote reference is never rendered.
 * Skipped, with a message, only where kubectl is not installed (it is on CI).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocumentsAsKubectl } from '../../../server/src/core/yaml/kubectl-dialect';
import { applyEdits, resolveKustomizations, type KustomizedObject, type KustomizeInputFile } from '../../../server/src/core/manifest/kustomize';
import { canonical, findKubectl, fixtureFiles, kubectlKustomize, KUSTOMIZE_FIXTURES } from '../../helpers/kustomize';

const kubectl = findKubectl();
const skip = kubectl === undefined ? 'kubectl is not installed: the differential test needs `kubectl kustomize`' : false;

/** Fixture sets: the folders directly under test/fixtures/kustomize (errors/ holds one set per subfolder). */
function fixtureSets(): string[] {
  const sets: string[] = [];
  for (const name of readdirSync(KUSTOMIZE_FIXTURES).sort()) {
    const dir = join(KUSTOMIZE_FIXTURES, name);
    if (!statSync(dir).isDirectory()) continue;
    if (name === 'errors' || name === 'remote') for (const sub of readdirSync(dir).sort()) sets.push(join(name, sub));
    else sets.push(name);
  }
  return sets;
}

/** The object as written, from its file (the document, then the List items). */
function sourceValue(files: readonly KustomizeInputFile[], o: KustomizedObject): unknown {
  const file = files.find((f) => f.path === o.source.file);
  assert.ok(file, o.source.file);
  let v = parseAllDocumentsAsKubectl(file.text)[o.source.documentIndex].toJS({ merge: true }) as Record<string, unknown>;
  for (const i of o.source.itemPath) v = (v.items as Record<string, unknown>[])[i];
  return v;
}

const identity = (o: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }): string => `${String(o.kind)} ${String(o.metadata?.namespace ?? '')}/${String(o.metadata?.name)}`;

describe('kustomize subset vs kubectl kustomize', { skip }, () => {
  let exactObjects = 0;
  for (const set of fixtureSets()) {
    const dir = join(KUSTOMIZE_FIXTURES, set);
    const files = fixtureFiles(dir);
    const resolution = resolveKustomizations(files, { workspaceRoots: ['.'] });
    test(`${set}: ${resolution.roots.map((r) => r.dir).join(', ')}`, () => {
      assert.ok(resolution.roots.length > 0, 'the fixture has a root');
      for (const root of resolution.roots) {
        const where = `${set}/${root.dir}`;
        if (root.errors.some((e) => e.code === 'remote')) continue;
        const rendered = kubectlKustomize(kubectl!, join(dir, root.dir));
        if (root.errors.length > 0) {
          assert.equal(rendered.ok, false, `${where}: the subset finds ${root.errors.map((e) => e.message).join('; ')}, yet kubectl renders it`);
          continue;
        }
        assert.ok(rendered.ok, `${where}: kubectl fails (${rendered.ok ? '' : rendered.error}) where the subset finds no error`);
        const mine = resolution.objects.filter((o) => o.root === root.dir);
        assert.equal(mine.length, root.objectCount);
        const unmatched = [...rendered.objects];
        for (const o of mine) {
          const id = `${o.kind} ${o.namespace ?? ''}/${o.name}`;
          const i = unmatched.findIndex((r) => identity(r as never) === id);
          assert.ok(i >= 0, `${where}: the subset predicts ${id}; kubectl renders ${rendered.objects.map((r) => identity(r as never)).join(', ')}`);
          const [kust] = unmatched.splice(i, 1);
          if (!root.partial) {
            assert.deepEqual(canonical(applyEdits(sourceValue(files, o), o.edits)), canonical(kust), `${where}: ${id} (from ${o.source.file})`);
            exactObjects++;
          }
        }
        if (!root.partial) assert.deepEqual(unmatched.map((r) => identity(r as never)), [], `${where}: kubectl renders objects the subset does not predict`);
      }
    });
  }
  test('the fixtures exercise the subset', () => {
    assert.ok(exactObjects >= 40, `only ${exactObjects} objects compared field for field`);
  });
});
