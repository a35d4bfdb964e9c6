/**
 * The in-process kustomize subset on the fixtures under test/fixtures/kustomize, with the
 * expected result stated (the differential test holds the same fixtures to kubectl): which
 * roots exist, and per object its namespace, name, labels in metadata, templates and
 * selectors, rewritten references, and what is reported instead of modelled.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  applyEdits, entriesAddedAt, KustomizeParseCache, resolveKustomizations, valueSetAt, variantsOf,
  type KustomizedObject, type KustomizeInputFile, type KustomizeResolution,
} from '../../../server/src/core/manifest/kustomize';
import { fixtureFiles, KUSTOMIZE_FIXTURES } from '../../helpers/kustomize';
import { yaml } from '../../helpers/manifests';

function load(set: string): { files: KustomizeInputFile[]; r: KustomizeResolution } {
  const files = fixtureFiles(join(KUSTOMIZE_FIXTURES, set));
  return { files, r: resolveKustomizations(files, { workspaceRoots: ['.'] }) };
}

function find(r: KustomizeResolution, kind: string, sourceName: string, root?: string): KustomizedObject {
  const found = r.objects.filter((o) => o.source.kind === kind && o.source.name === sourceName && (root === undefined || o.root === root));
  assert.equal(found.length, 1, `${kind} ${sourceName} in ${root ?? 'any root'}: ${found.length} variants`);
  return found[0];
}

/** The object as written (a document of its file). */
function sourceOf(files: readonly KustomizeInputFile[], o: KustomizedObject): unknown {
  return parseAllDocuments(files.find((f) => f.path === o.source.file)!.text)[o.source.documentIndex].toJS();
}

/** Labels as a plain object (the resolver's maps have no prototype). */
const entries = (v: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined => (v ? { ...v } : undefined);

describe('kustomize subset: namespace', () => {
  const { files, r } = load('namespace');

  test('one root, complete (nothing outside the subset)', () => {
    assert.deepEqual(r.roots.map((x) => [x.dir, x.component, x.partial, x.objectCount]), [['.', false, false, 10]]);
    assert.deepEqual(r.kustomizations.map((k) => [k.file, k.kind, k.includedBy]), [['kustomization.yaml', 'Kustomization', []]]);
  });

  test('namespaced objects get the namespace, over their own', () => {
    const dep = find(r, 'Deployment', 'catalog');
    assert.equal(dep.source.namespace, 'default');
    assert.equal(dep.namespace, 'catalog');
    assert.deepEqual(dep.edits.map((e) => [e.op, e.path.join('.'), e.op === 'set' ? e.value : '', e.by]), [['set', 'metadata.namespace', 'catalog', ['kustomization.yaml']]]);
    assert.equal(find(r, 'NetworkPolicy', 'catalog-ingress').namespace, 'catalog');
    assert.equal(find(r, 'Service', 'catalog').namespace, 'catalog');
  });

  test('a v1 Namespace is renamed to the namespace; known cluster-scoped kinds keep none; unknown kinds get it', () => {
    const ns = find(r, 'Namespace', 'shop');
    assert.equal(ns.name, 'catalog');
    assert.equal(ns.namespace, undefined);
    assert.equal(find(r, 'ClusterRole', 'catalog-reader').namespace, undefined);
    assert.deepEqual(find(r, 'ClusterRole', 'catalog-reader').edits, []);
    // kustomize does not know cert-manager's ClusterIssuer is cluster-scoped.
    assert.equal(find(r, 'ClusterIssuer', 'letsencrypt').namespace, 'catalog');
  });

  test('references to the Service follow it: APIService service namespace, webhook clientConfig', () => {
    const api = find(r, 'APIService', 'v1beta1.metrics.example.io');
    assert.equal(api.namespace, undefined);
    assert.equal(valueSetAt(api, ['spec', 'service', 'namespace']), 'catalog');
    const hook = find(r, 'ValidatingWebhookConfiguration', 'catalog-validator');
    assert.equal(valueSetAt(hook, ['webhooks', 0, 'clientConfig', 'service', 'namespace']), 'catalog');
    assert.equal(valueSetAt(hook, ['webhooks', 0, 'clientConfig', 'service', 'name']), undefined);
  });

  test('List items are objects of their own, located by document, item path and offset', () => {
    const cm = find(r, 'ConfigMap', 'catalog-config');
    const sa = find(r, 'ServiceAccount', 'catalog');
    assert.deepEqual([cm.source.file, cm.source.documentIndex, cm.source.itemPath], ['list.yaml', 0, [0]]);
    assert.deepEqual(sa.source.itemPath, [1]);
    const text = files.find((f) => f.path === 'list.yaml')!.text;
    assert.ok(text.slice(cm.source.offset).startsWith('apiVersion: v1\n    kind: ConfigMap'));
    assert.equal(cm.namespace, 'catalog');
    const app = files.find((f) => f.path === 'app.yaml')!.text;
    const svc = find(r, 'Service', 'catalog');
    assert.equal(svc.source.documentIndex, 1);
    assert.ok(app.slice(svc.source.offset).startsWith('apiVersion: v1\nkind: Service'));
    assert.deepEqual(variantsOf(r, 'app.yaml', svc.source.offset), [svc]);
  });

  test('file roles: resources and the kustomization itself', () => {
    assert.deepEqual(r.fileRoles.get('app.yaml'), ['resource']);
    assert.deepEqual(r.fileRoles.get('kustomization.yaml'), ['kustomization']);
  });
});

describe('kustomize subset: namePrefix / nameSuffix', () => {
  const { r } = load('prefix-suffix');

  test('prefixes and suffixes accumulate, outermost outside', () => {
    assert.deepEqual(r.roots.map((x) => x.dir), ['top']);
    const sts = find(r, 'StatefulSet', 'web');
    assert.equal(sts.name, 'eu-shop-web-v2-prod');
    assert.deepEqual(sts.via, ['base/kustomization.yaml', 'mid/kustomization.yaml', 'top/kustomization.yaml']);
    assert.deepEqual(valueSetAt(sts, ['metadata', 'name']), 'eu-shop-web-v2-prod');
  });

  test('CustomResourceDefinition and Namespace are never renamed', () => {
    assert.equal(find(r, 'CustomResourceDefinition', 'widgets.shop.example').name, 'widgets.shop.example');
    assert.equal(find(r, 'Namespace', 'shop').name, 'shop');
  });

  test('references to renamed objects are rewritten; references to objects outside the build are not', () => {
    const sts = find(r, 'StatefulSet', 'web');
    const spec = ['spec', 'template', 'spec'];
    assert.equal(valueSetAt(sts, ['spec', 'serviceName']), 'eu-shop-web-v2-prod');
    assert.equal(valueSetAt(sts, [...spec, 'serviceAccountName']), 'eu-shop-web-v2-prod');
    assert.equal(valueSetAt(sts, [...spec, 'containers', 0, 'envFrom', 0, 'configMapRef', 'name']), 'eu-shop-web-env-v2-prod');
    assert.equal(valueSetAt(sts, [...spec, 'containers', 0, 'env', 0, 'valueFrom', 'secretKeyRef', 'name']), 'eu-shop-web-token-v2-prod');
    assert.equal(valueSetAt(sts, [...spec, 'containers', 0, 'env', 1, 'valueFrom', 'configMapKeyRef', 'name']), undefined);
    assert.equal(valueSetAt(sts, [...spec, 'volumes', 0, 'configMap', 'name']), 'eu-shop-web-env-v2-prod');
    const ing = find(r, 'Ingress', 'web');
    assert.equal(valueSetAt(ing, ['spec', 'defaultBackend', 'service', 'name']), 'eu-shop-web-v2-prod');
    assert.equal(valueSetAt(ing, ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name']), 'eu-shop-web-v2-prod');
    assert.equal(valueSetAt(ing, ['spec', 'rules', 0, 'http', 'paths', 1, 'backend', 'service', 'name']), undefined);
  });
});

describe('kustomize subset: one base twice in a root (a diamond)', () => {
  const { r } = load('diamond');

  test('two variants in the same root; each reference goes to the Service with its own prefixes', () => {
    assert.deepEqual(r.roots.map((x) => x.dir), ['all']);
    const ingresses = r.objects.filter((o) => o.kind === 'Ingress');
    assert.deepEqual(ingresses.map((o) => [o.name, valueSetAt(o, ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name'])]), [
      ['blue-web', 'blue-web'],
      ['green-web', 'green-web'],
    ]);
    // `bases` come after `resources` (though written first).
    assert.deepEqual(ingresses.map((o) => o.via[1]), ['blue/kustomization.yaml', 'green/kustomization.yaml']);
  });

  test('null selectors become maps where kustomize creates them; a Job selector that is written gets the labels', () => {
    const svc = r.objects.find((o) => o.kind === 'Service' && o.name === 'blue-web')!;
    assert.deepEqual(entries(entriesAddedAt(svc, ['spec', 'selector'])), { app: 'web', color: 'blue' });
    const dep = r.objects.find((o) => o.kind === 'Deployment' && o.name === 'blue-web')!;
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'selector', 'matchLabels'])), { app: 'web', color: 'blue' });
    const job = r.objects.find((o) => o.kind === 'Job' && o.name === 'green-warmup')!;
    assert.deepEqual(entries(entriesAddedAt(job, ['spec', 'selector', 'matchLabels'])), { app: 'web', color: 'green' });
  });
});

describe('kustomize subset: commonLabels', () => {
  const { files, r } = load('common-labels');
  const L = { 'app.kubernetes.io/part-of': 'shop' };

  test('workloads: metadata, pod template and selector (created where kustomize creates it)', () => {
    const dep = find(r, 'Deployment', 'api');
    assert.deepEqual(entries(entriesAddedAt(dep, ['metadata', 'labels'])), L);
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'selector', 'matchLabels'])), L);
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'template', 'metadata', 'labels'])), L);
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'template', 'spec', 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 0, 'labelSelector', 'matchLabels'])), L);
    const ds = find(r, 'DaemonSet', 'agent');
    const created = ds.edits.find((e) => e.path.join('.') === 'spec.selector.matchLabels');
    assert.ok(created && created.op === 'merge' && created.created);
    // A Job's selector is only changed where written; its template always.
    const job = find(r, 'Job', 'migrate');
    assert.equal(entriesAddedAt(job, ['spec', 'selector', 'matchLabels']), undefined);
    assert.deepEqual(entries(entriesAddedAt(job, ['spec', 'template', 'metadata', 'labels'])), L);
    const cron = find(r, 'CronJob', 'report');
    assert.deepEqual(entries(entriesAddedAt(cron, ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'])), L);
    const pod = find(r, 'Pod', 'debug');
    assert.deepEqual(pod.edits.map((e) => e.path.join('.')).sort(), ['metadata.annotations', 'metadata.labels']);
  });

  test('Services: the selector gets the labels, and a selector-less Service gets one', () => {
    assert.deepEqual(entries(entriesAddedAt(find(r, 'Service', 'api'), ['spec', 'selector'])), L);
    const ext = find(r, 'Service', 'external-db').edits.find((e) => e.path.join('.') === 'spec.selector');
    assert.ok(ext && ext.op === 'merge' && ext.created);
  });

  test('NetworkPolicies: podSelector and peer podSelectors with matchLabels; never {} or namespaceSelector', () => {
    const np = find(r, 'NetworkPolicy', 'api');
    const paths = np.edits.filter((e) => e.op === 'merge').map((e) => e.path.join('.')).sort();
    assert.deepEqual(paths, [
      'metadata.annotations',
      'metadata.labels',
      'spec.egress.0.to.0.podSelector.matchLabels',
      'spec.egress.1.to.0.podSelector.matchLabels',
      'spec.ingress.0.from.0.podSelector.matchLabels',
      'spec.ingress.0.from.1.podSelector.matchLabels',
      'spec.podSelector.matchLabels',
    ]);
    // The kube-dns peer now needs the label too: kustomize's own semantics, modelled as such.
    const view = applyEdits(sourceOf(files, np), np.edits) as { spec: { egress: { to: { podSelector: { matchLabels: Record<string, string> } }[] }[] } };
    assert.deepEqual({ ...view.spec.egress[1].to[0].podSelector.matchLabels }, { 'k8s-app': 'kube-dns', ...L });
    const deny = find(r, 'NetworkPolicy', 'default-deny');
    assert.deepEqual(deny.edits.map((e) => e.path.join('.')).sort(), ['metadata.annotations', 'metadata.labels']);
  });

  test('commonAnnotations: metadata and pod templates', () => {
    const dep = find(r, 'Deployment', 'api');
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'template', 'metadata', 'annotations'])), { owner: 'team-shop' });
  });
});


describe('kustomize subset: labels', () => {
  const { r } = load('labels');

  test('pairs go to metadata only; includeTemplates adds pod templates; includeSelectors adds selectors', () => {
    const dep = find(r, 'Deployment', 'orders');
    assert.deepEqual(entries(entriesAddedAt(dep, ['metadata', 'labels'])), { 'cost-center': '1234', version: 'v2', tier: 'backend', 'app.kubernetes.io/managed-by': 'platform' });
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'template', 'metadata', 'labels'])), { version: 'v2', tier: 'backend', 'app.kubernetes.io/managed-by': 'platform' });
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'selector', 'matchLabels'])), { tier: 'backend', 'app.kubernetes.io/managed-by': 'platform' });
    const np = find(r, 'NetworkPolicy', 'orders');
    assert.deepEqual(entries(entriesAddedAt(np, ['spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels'])), { tier: 'backend', 'app.kubernetes.io/managed-by': 'platform' });
    assert.deepEqual(entries(entriesAddedAt(find(r, 'Service', 'orders'), ['spec', 'selector'])), { tier: 'backend', 'app.kubernetes.io/managed-by': 'platform' });
  });
});

describe('kustomize subset: components', () => {
  const { r } = load('components');

  test('components are not roots; their transformers apply to everything accumulated before them', () => {
    assert.deepEqual(r.roots.map((x) => x.dir), ['overlay']);
    assert.deepEqual(r.kustomizations.find((k) => k.dir === 'components/policies')?.kind, 'Component');
    const dep = find(r, 'Deployment', 'frontend');
    assert.equal(dep.namespace, 'web');
    // monitoring's namePrefix renames the base's objects too (they were accumulated first).
    assert.equal(dep.name, 'mon-frontend');
    assert.deepEqual(dep.via, ['base/kustomization.yaml', 'components/policies/kustomization.yaml', 'components/monitoring/kustomization.yaml', 'overlay/kustomization.yaml']);
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'selector', 'matchLabels'])), { netpol: 'enforced' });
    // monitoring's own resources come after policies ran: no label.
    const cm = find(r, 'ConfigMap', 'scrape-config');
    assert.equal(cm.name, 'mon-scrape-config');
    assert.equal(entriesAddedAt(cm, ['metadata', 'labels']), undefined);
  });

  test('local-config objects are dropped from the build, and listed', () => {
    assert.equal(r.objects.filter((o) => o.source.name === 'scrape-notes').length, 0);
    assert.deepEqual(r.roots[0].localConfig.map((s) => s.name), ['scrape-notes']);
  });
});

describe('kustomize subset: overlays (the variant rule)', () => {
  const { r } = load('overlays');

  test('a base under two overlays is no root; each overlay is one, and each base object has one variant per overlay', () => {
    assert.deepEqual(r.roots.map((x) => x.dir), ['dev', 'prod']);
    assert.deepEqual(r.kustomizations.find((k) => k.dir === 'base')?.includedBy.slice().sort(), ['dev/kustomization.yaml', 'prod/Kustomization']);
    const dev = find(r, 'Deployment', 'carts', 'dev');
    const prod = find(r, 'Deployment', 'carts', 'prod');
    assert.deepEqual([dev.namespace, dev.name], ['carts-dev', 'dev-carts']);
    assert.deepEqual([prod.namespace, prod.name], ['carts-prod', 'carts']);
    assert.deepEqual(variantsOf(r, 'base/carts.yaml', dev.source.offset).map((v) => v.root), ['dev', 'prod']);
    // The base's namespace is overridden by the overlay's: both edits name who wrote them.
    assert.deepEqual(dev.edits.find((e) => e.path.join('.') === 'metadata.namespace')?.by, ['base/kustomization.yaml', 'dev/kustomization.yaml']);
    // Labels accumulate: the base's commonLabels and the overlay's labels.
    assert.deepEqual(entries(entriesAddedAt(dev, ['spec', 'selector', 'matchLabels'])), { 'app.kubernetes.io/name': 'carts', environment: 'dev' });
    assert.deepEqual(entries(entriesAddedAt(prod, ['spec', 'selector', 'matchLabels'])), { 'app.kubernetes.io/name': 'carts' });
    assert.deepEqual(entries(entriesAddedAt(prod, ['metadata', 'labels'])), { 'app.kubernetes.io/name': 'carts', environment: 'prod' });
  });

  test('requested roots replace the tops', () => {
    const files = fixtureFiles(join(KUSTOMIZE_FIXTURES, 'overlays'));
    const only = resolveKustomizations(files, { roots: ['base'] });
    assert.deepEqual(only.roots.map((x) => [x.dir, x.requested]), [['base', true]]);
    assert.equal(find(only, 'Deployment', 'carts').namespace, 'base-ns');
  });
});

describe('kustomize subset: what is reported instead of modelled', () => {
  test('cycles', () => {
    const { r } = load('cycle');
    assert.deepEqual(r.roots.map((x) => x.dir).sort(), ['a', 'c']);
    for (const root of r.roots) assert.deepEqual(root.errors.map((e) => e.code), ['cycle'], root.dir);
    assert.ok(r.roots.every((x) => x.partial));
  });

  test('remote bases, files and components are never fetched, and reported', () => {
    const { r } = load('remote/overlay');
    const root = r.roots[0];
    assert.deepEqual(root.errors.map((e) => [e.code, e.reference]), [
      ['remote', 'github.com/example-org/example-repo/deploy?ref=v1.0.0'],
      ['remote', 'https://raw.githubusercontent.com/example-org/example-repo/main/deploy/app.yaml'],
      ['remote', 'git@github.com:example-org/example-repo.git//components/policies'],
    ]);
    assert.match(root.errors[0].message, /never fetched/);
    // What is local still gets the modelled part.
    assert.equal(find(r, 'ConfigMap', 'local').namespace, 'shop');
    assert.equal(find(r, 'ConfigMap', 'local').partial, true);
    const { r: patch } = load('remote/patch-url');
    assert.deepEqual(patch.roots[0].errors.map((e) => [e.code, e.field]), [['remote', 'patches']]);
  });

  test('features outside the subset: one note each, the modelled part still applied, the root partial', () => {
    const { r } = load('unsupported');
    const root = r.roots[0];
    assert.equal(root.dir, 'overlay');
    // images, replicas and configMapGenerator change nothing the analysis reads: no note.
    assert.deepEqual(root.unmodelled.map((n) => n.field), ['patches']);
    assert.deepEqual(root.errors, []);
    assert.match(root.unmodelled[0].message, /^patches: not modelled in the editor .*`netpol check --kustomize overlay`/);
    const dep = find(r, 'Deployment', 'api');
    assert.equal(dep.partial, true);
    assert.equal(dep.namespace, 'api');
    assert.deepEqual(entries(entriesAddedAt(dep, ['spec', 'template', 'metadata', 'labels'])), { env: 'staging' });
    assert.deepEqual(r.fileRoles.get('overlay/replicas-patch.yaml'), ['patch']);
    // The note points at the field in the kustomization.
    const text = fixtureFiles(join(KUSTOMIZE_FIXTURES, 'unsupported')).find((f) => f.path === 'overlay/kustomization.yaml')!.text;
    assert.equal(text.slice(root.unmodelled[0].start, root.unmodelled[0].end), 'patches');
  });

  test('what kustomize refuses: unknown fields, files outside the root, missing paths, a Component as a resource', () => {
    const codes = (set: string): string[][] => load(set).r.roots.flatMap((x) => x.errors.map((e) => [e.code, e.reference ?? e.field ?? '']));
    assert.deepEqual(codes('errors/unknown-field'), [['invalid', 'namspace']]);
    assert.deepEqual(codes('errors/outside-root'), [['invalid', '../shared.yaml']]);
    assert.deepEqual(codes('errors/missing'), [['missing', 'does-not-exist.yaml'], ['outside-workspace', '../no-such-folder']]);
    assert.deepEqual(codes('errors/component-as-resource'), [['invalid', 'comp']]);
  });

  test('a base outside the workspace folders is not followed', () => {
    const files = [
      { path: 'ws/app/kustomization.yaml', text: 'resources:\n  - ../../elsewhere/base\n  - cm.yaml\n' },
      { path: 'ws/app/cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' },
      { path: 'elsewhere/base/kustomization.yaml', text: 'resources: [x.yaml]\n' },
    ];
    const r = resolveKustomizations(files, { workspaceRoots: ['ws'] });
    const app = r.roots.find((x) => x.dir === 'ws/app')!;
    assert.deepEqual(app.errors.map((e) => e.code), ['outside-workspace']);
  });
});

describe('kustomize subset: the view and the cache', () => {
  test('applyEdits returns a changed copy and leaves the object as parsed', () => {
    const { r } = load('overlays');
    const dev = find(r, 'NetworkPolicy', 'carts', 'dev');
    const source = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'carts' }, spec: { podSelector: { matchLabels: { app: 'carts' } } } };
    const before = JSON.stringify(source);
    const view = applyEdits(source, dev.edits) as typeof source & { metadata: { namespace: string; labels: Record<string, string> } };
    assert.equal(JSON.stringify(source), before);
    assert.equal(view.metadata.namespace, 'carts-dev');
    assert.equal(view.metadata.name, 'dev-carts');
    assert.deepEqual({ ...view.spec.podSelector.matchLabels }, { app: 'carts', 'app.kubernetes.io/name': 'carts', environment: 'dev' });
  });

  test('an unchanged file is not parsed again; a changed one is', () => {
    const cache = new KustomizeParseCache();
    const files = fixtureFiles(join(KUSTOMIZE_FIXTURES, 'overlays'));
    const a = resolveKustomizations(files, { cache });
    const b = resolveKustomizations(files, { cache });
    assert.equal(find(b, 'Deployment', 'carts', 'dev').source, find(a, 'Deployment', 'carts', 'dev').source);
    const changed = files.map((f) => (f.path === 'base/carts.yaml' ? { ...f, text: `${f.text}# edited\n` } : f));
    const c = resolveKustomizations(changed, { cache });
    assert.notEqual(find(c, 'Deployment', 'carts', 'dev').source, find(a, 'Deployment', 'carts', 'dev').source);
    assert.equal(find(c, 'Deployment', 'carts', 'dev').namespace, 'carts-dev');
  });

  test("a root is built again only when something it read changes: a text, a reference's target, a folder's kustomization", () => {
    const cache = new KustomizeParseCache();
    const files = [
      ...fixtureFiles(join(KUSTOMIZE_FIXTURES, 'overlays')),
      { path: 'notes/readme.yaml', text: 'a: 1\n' },
      { path: 'extra/kustomization.yaml', text: 'resources:\n  - ../later\n' },
    ];
    const a = resolveKustomizations(files, { cache });
    const dev = (r: KustomizeResolution) => find(r, 'Deployment', 'carts', 'dev');
    const prod = (r: KustomizeResolution) => find(r, 'Deployment', 'carts', 'prod');
    // A file no root reads: every root's result is reused as it was.
    const b = resolveKustomizations(files.map((f) => (f.path === 'notes/readme.yaml' ? { ...f, text: 'a: 2\n' } : f)), { cache });
    assert.equal(dev(b), dev(a));
    assert.equal(prod(b), prod(a));
    // The dev overlay's kustomization: dev is built again, prod is not.
    const c = resolveKustomizations(files.map((f) => (f.path === 'dev/kustomization.yaml' ? { ...f, text: f.text.replace('carts-dev', 'carts-dev2') } : f)), { cache });
    assert.equal(dev(c).namespace, 'carts-dev2');
    assert.equal(prod(c), prod(a));
    // A folder that appears resolves a reference that was missing.
    assert.deepEqual(c.roots.find((x) => x.dir === 'extra')!.errors.map((e) => e.code), ['missing']);
    const d = resolveKustomizations([...files, { path: 'later/kustomization.yaml', text: 'resources: [cm.yaml]\n' }, { path: 'later/cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n' }], { cache });
    assert.deepEqual(d.roots.find((x) => x.dir === 'extra')!.errors, []);
    assert.equal(find(d, 'ConfigMap', 'late').root, 'extra');
  });
});

describe('kustomize subset: hostile input costs only itself', () => {
  test('broken kustomizations and resources: notes, never a throw', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    const files = [
      { path: 'a/kustomization.yaml', text: 'resources:\n  - bomb.yaml\n  - junk.yaml\n  - half.yaml\n  - ok.yaml\ncommonLabels:\n  __proto__: polluted\n  constructor: x\n' },
      { path: 'a/bomb.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${bomb.replace(/^/gm, '  ')}\n` },
      { path: 'a/junk.yaml', text: '\u0000\u0001\u0002binary' },
      { path: 'a/half.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [half\n' },
      { path: 'a/ok.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' },
      { path: 'b/kustomization.yaml', text: '- just\n- a list\n' },
      { path: 'c/kustomization.yaml', text: 'resources: [\n' },
      { path: 'd/kustomization.yaml', text: '' },
      { path: 'e/kustomization.yaml', text: 'resources: notalist\nnamespace: [x]\ncommonLabels: {n: 1}\n' },
    ];
    const r = resolveKustomizations(files);
    const a = r.roots.find((x) => x.dir === 'a')!;
    assert.ok(a.errors.length >= 3, a.errors.map((e) => e.message).join('\n'));
    const ok = find(r, 'ConfigMap', 'ok');
    const labels = entriesAddedAt(ok, ['metadata', 'labels'])!;
    assert.deepEqual(Object.keys(labels).sort(), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf({}).polluted, undefined);
    for (const dir of ['b', 'c', 'd', 'e']) assert.ok(r.roots.find((x) => x.dir === dir)!.errors.length > 0, dir);
    assert.deepEqual(r.roots.find((x) => x.dir === 'e')!.errors.map((e) => e.field), ['resources', 'namespace', 'commonLabels']);
  });

  test('a root beyond the object bound is reported, not built', () => {
    const many = Array.from({ length: 30 }, (_, i) => yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cm-${i}
    `).join('---\n');
    const r = resolveKustomizations([{ path: 'kustomization.yaml', text: 'resources: [many.yaml]\n' }, { path: 'many.yaml', text: many }], { maxObjectsPerRoot: 10 });
    assert.deepEqual(r.roots[0].errors.map((e) => e.code), ['too-large']);
    assert.equal(r.objects.length, 0);
  });
});
