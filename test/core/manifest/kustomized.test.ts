/**
 * The workspace's kustomizations in the analysis (manifest/kustomized.ts and
 * model/extract/kustomize.ts): namespaces, names, labels and selectors of what they deploy,
 * on the source lines; one variant per object; notes on the kustomizations; the caches.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { allConnections, analyzeOnce, formatConnlist, Workspace, type Finding, type Snapshot } from '../../../server/src/core';
import { fixtureFiles, KUSTOMIZE_FIXTURES } from '../../helpers/kustomize';

const CATALOG = join(KUSTOMIZE_FIXTURES, 'catalog');

function catalog(): Snapshot {
  return analyzeOnce(fixtureFiles(CATALOG));
}

const rules = (findings: readonly Finding[], file: string) => findings.filter((f) => f.span.file === file).map((f) => f.rule);

function lineOf(s: Snapshot, f: Finding): number {
  return (s.text(f.span.file) ?? '').slice(0, f.span.start).split('\n').length;
}

describe('kustomize in the analysis', () => {
  test("a base's objects take the namespace, prefix and labels of the overlay that deploys them", () => {
    const s = catalog();
    const { model } = s.analysis;
    const w = model.workloads.find((x) => x.name === 'prod-catalog');
    assert.ok(w, `workloads: ${model.workloads.map((x) => `${x.namespace}/${x.name}`).join(', ')}`);
    assert.equal(w.namespace, 'catalog');
    assert.deepEqual({ ...w.pods[0].labels }, { app: 'catalog', 'app.kubernetes.io/part-of': 'shop' });
    assert.equal(w.span?.file, 'base/deployment.yaml', 'the workload stays on its source lines');
    const svc = model.services.find((x) => x.name === 'prod-catalog');
    assert.equal(svc?.namespace, 'catalog');
    // includeSelectors: false: the selector is as written.
    assert.deepEqual({ ...svc?.selector }, { app: 'catalog' });
    const p = model.policies.find((x) => x.name === 'prod-catalog-from-web');
    assert.equal(p?.namespace, 'catalog');
    assert.equal(p?.defaultedNamespace, false);
    assert.ok(!model.workloads.some((x) => x.namespace === 'default'), 'nothing is analysed in default');
    assert.ok(!model.namespaces.has('catalog-staging'), 'one variant per object: the first root by folder (overlays/prod)');
  });

  test('the reachability follows: the storefront reaches the catalog in namespace catalog on 8080 only', () => {
    const { reach } = catalog().analysis;
    const lines = formatConnlist(allConnections(reach), 'text').split('\n');
    assert.ok(lines.includes('web/storefront[Deployment] => catalog/prod-catalog[Deployment] : TCP 8080'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('0.0.0.0-255.255.255.255[External] => catalog/')), lines.join('\n'));
  });

  test('no missing-namespace where the kustomization sets it; findings about the base name its namespace, on its lines', () => {
    const s = catalog();
    const findings = s.findings();
    assert.deepEqual(rules(findings, 'base/policies.yaml'), []);
    const deny = findings.find((f) => f.rule === 'namespace-without-default-deny' && f.span.file === 'base/deployment.yaml');
    assert.ok(deny, findings.map((f) => `${f.rule} ${f.span.file}`).join('\n'));
    assert.match(deny.message, /Namespace catalog /);
    assert.equal(lineOf(s, deny), 4, 'on metadata.name of the Deployment as written');
  });

  test("without kustomizations the same files are analysed as written (namespace default; a folder that sets no namespace is applied with -n: no missing-namespace)", () => {
    const files = fixtureFiles(CATALOG).filter((f) => !f.path.endsWith('kustomization.yaml'));
    const s = analyzeOnce(files);
    assert.deepEqual([...new Set(rules(s.findings(), 'base/policies.yaml'))], []);
    assert.ok(s.analysis.model.workloads.some((w) => w.namespace === 'default' && w.name === 'catalog'));
  });

  test('what the subset does not apply, and the other variants, are info notes on the kustomization', () => {
    const s = catalog();
    const notes = s.findings().filter((f) => f.span.file === 'overlays/staging/kustomization.yaml');
    assert.deepEqual(notes.map((f) => [f.rule, f.severity, lineOf(s, f)]), [
      ['kustomize-not-modelled', 'info', 6],
      ['kustomize-not-modelled', 'info', 1],
    ]);
    assert.match(notes[0].message, /^patches: not modelled .*netpol check --kustomize overlays\/staging/);
    assert.match(notes[1].message, /3 objects of this kustomization are deployed by overlays\/prod too.*netpol check --kustomize overlays\/staging/);
  });

  test('what kustomize would refuse is a warning on the kustomization; the rest is analysed', () => {
    const files = [
      ...fixtureFiles(CATALOG).filter((f) => !f.path.startsWith('overlays/staging')),
      { path: 'overlays/broken/kustomization.yaml', text: 'resources:\n  - ../../base\n  - ../../nowhere\n' },
    ];
    const s = analyzeOnce(files);
    const broken = s.findings().filter((f) => f.span.file === 'overlays/broken/kustomization.yaml');
    assert.deepEqual(broken.map((f) => [f.rule, f.severity]), [['kustomize-build-error', 'warning']]);
    assert.match(broken[0].message, /kustomize build would fail: .*nowhere/);
    assert.equal(s.text('overlays/broken/kustomization.yaml')?.slice(broken[0].span.start, broken[0].span.end), '../../nowhere');
  });

  test('a kustomization or resource nested past the bound is not read (the parser would overflow the stack): an info, no crash', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const files = [
      { path: 'a/kustomization.yaml', text: `namespace: shop\nresources: [web.yaml]\nx: ${deep(5000)}\n` },
      { path: 'b/kustomization.yaml', text: 'namespace: shop\nresources: [web.yaml]\n' },
      { path: 'b/web.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: ${deep(5000)}}\n` },
    ];
    const findings = analyzeOnce(files).findings().filter((f) => f.rule.startsWith('kustomize-'));
    assert.deepEqual(findings.map((f) => [f.rule, f.span.file]).sort(), [
      ['kustomize-not-modelled', 'a/kustomization.yaml'],
      ['kustomize-not-modelled', 'b/web.yaml'],
    ]);
    assert.ok(findings.every((f) => /nested deeper than 100 levels/.test(f.message) && !/stack/i.test(f.message)), findings.map((f) => f.message).join('\n'));
  });

  test('a patch file is not an object to deploy', () => {
    const files = [
      { path: 'app/kustomization.yaml', text: 'namespace: shop\nresources: [web.yaml]\npatches:\n  - path: patch.yaml\n' },
      { path: 'app/web.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n' },
      { path: 'app/patch.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n' },
    ];
    const { model } = analyzeOnce(files).analysis;
    assert.deepEqual(model.workloads.map((w) => `${w.namespace}/${w.name}`), ['shop/web']);
  });
});

describe('kustomize in the editor host', () => {
  function host(): Workspace {
    const ws = new Workspace();
    ws.applyChange(fixtureFiles(CATALOG).map((f) => ({ kind: 'disk' as const, uri: `file:///repo/${f.path}`, text: f.text })));
    return ws;
  }
  const BASE = 'file:///repo/base/deployment.yaml';
  const POLICIES = 'file:///repo/base/policies.yaml';
  const PROD = 'file:///repo/overlays/prod/kustomization.yaml';

  test('file URIs resolve like paths; an edit of the kustomization re-resolves', () => {
    const ws = host();
    const ns = () => ws.snapshot().analysis.model.workloads.filter((w) => w.name.endsWith('catalog')).map((w) => `${w.namespace}/${w.name}`);
    assert.deepEqual(ns(), ['catalog/prod-catalog']);
    const prod = ws.text(PROD)!;
    ws.applyChange({ kind: 'open', uri: PROD, text: prod.replace('namespace: catalog', 'namespace: shop') });
    assert.deepEqual(ns(), ['shop/prod-catalog']);
    assert.match(ws.snapshot().findings().find((f) => f.rule === 'namespace-without-default-deny' && f.span.file === BASE)?.message ?? '', /Namespace shop /);
    ws.applyChange({ kind: 'open', uri: PROD, text: prod.replace('namespace: catalog\n', '') });
    assert.deepEqual(ns(), ['default/prod-catalog']);
    // No namespace from anywhere: a bundle applied with kubectl apply -n. No missing-namespace;
    // what the findings say of the namespace says it is assumed.
    assert.deepEqual(ws.snapshot().findings().filter((f) => f.span.file === POLICIES).map((f) => f.rule), []);
    assert.match(ws.snapshot().findings().find((f) => f.span.file === BASE)?.message ?? '', /^Namespace default \(namespace not set; analysed as default\)/);
  });

  test("change impact of a kustomization edit: the baseline is rendered by the kustomization as it was", () => {
    const ws = host();
    const BASE_KUSTOMIZATION = 'file:///repo/base/kustomization.yaml';
    const saved = ws.text(BASE_KUSTOMIZATION)!;
    // Dropping the policies from the base's resources: the overlay no longer deploys catalog-from-web
    // (the file, listed by no kustomization, is analysed as written: in the assumed namespace).
    ws.applyChange({ kind: 'open', uri: BASE_KUSTOMIZATION, text: saved.replace('  - policies.yaml\n', '') });
    const { report, files } = ws.impactState(true);
    assert.deepEqual(files, [{ uri: BASE_KUSTOMIZATION, kind: 'last saved' }]);
    assert.deepEqual(
      report.policies.map((p) => `${p.status} ${p.key}`).sort(),
      ['added default/catalog-from-web', 'deleted catalog/prod-catalog-from-web'],
    );
    const opened = report.entries.filter((e) => !e.gained.isEmpty() && e.lost.isEmpty());
    assert.ok(opened.some((e) => e.dst === 'catalog/prod-catalog[Deployment]'), report.entries.map((e) => `${e.src} -> ${e.dst}`).join('\n'));
    assert.ok(report.entries.every((e) => e.lost.isEmpty()), 'nothing closed');
    // Moving the prod overlay to another namespace moves its policy with it: deleted in catalog, added in shop.
    ws.applyChange({ kind: 'open', uri: BASE_KUSTOMIZATION, text: saved });
    const PROD_TEXT = ws.text(PROD)!;
    ws.applyChange({ kind: 'open', uri: PROD, text: PROD_TEXT.replace('namespace: catalog', 'namespace: shop') });
    const moved = ws.impactState(true).report;
    assert.deepEqual(moved.policies.map((p) => `${p.status} ${p.key}`).sort(), ['added shop/prod-catalog-from-web', 'deleted catalog/prod-catalog-from-web']);
    // Back to the saved text: no change.
    ws.applyChange({ kind: 'open', uri: PROD, text: PROD_TEXT });
    assert.deepEqual(ws.impactState(true).report.entries, []);
  });

  test('an edit of one resource keeps the kustomized objects of the others (and what is cached by them)', () => {
    const ws = host();
    const before = ws.snapshot().analysis;
    const deployments = before.files.find((f) => f.path === BASE)!;
    const policies = before.files.find((f) => f.path === POLICIES)!;
    assert.ok(policies.objects[0].kustomize, 'the policy is kustomized');
    ws.applyChange({ kind: 'open', uri: POLICIES, text: ws.text(POLICIES)!.replace('port: 8080', 'port: 8443') });
    const after = ws.snapshot().analysis;
    assert.equal(after.files.find((f) => f.path === BASE), deployments, 'the other file of the same root keeps its LoadedFile');
    assert.notEqual(after.files.find((f) => f.path === POLICIES), policies);
    assert.equal(after.model.workloads.find((w) => w.name === 'prod-catalog')?.namespace, 'catalog');
    const unchanged = ws.snapshot().analysis;
    assert.equal(unchanged, after, 'no change, no new analysis');
  });
});
