/**
 * `--kustomize DIR` with the real kustomize (node/kustomize-render.ts): what it refuses before
 * running anything (remote bases and files, Helm charts, plugins), how it runs kustomize (the
 * flags, an environment of its own, a program found outside the workspace, a timeout and an
 * output cap), and how rendered objects map back to their source files and documents through
 * kustomize's origin annotations. Fake programs (shell scripts) record whether and how they
 * ran; the mapping tests run the real kubectl (skipped, with a message, only if it is absent).
 */
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import {
  findKustomizeTool, kustomizeArgs, KustomizeRenderError, renderedAt, renderedBySource, renderKustomize, type KustomizeTool,
} from '../../server/src/node/kustomize-render';
import { findKubectl, KUSTOMIZE_FIXTURES } from '../helpers/kustomize';

const posixOnly = process.platform === 'win32' ? 'fake programs are POSIX shell scripts' : false;
const kubectl = findKubectl();
const noKubectl = kubectl === undefined ? 'kubectl is not installed: the mapping tests need it' : false;

/**
 * A shell script that records its arguments and environment in `log`, then prints a
 * ConfigMap (or runs `body`). Shell built-ins only: the renderer gives it an empty PATH.
 */
function fakeProgram(dir: string, name: string, log: string, body = "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-fake\\n'\n"): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n{ echo "ARGS $*"; export -p; } >> "${log}"\n${body}`);
  chmodSync(path, 0o755);
  return path;
}

describe('kustomize renderer: refused before anything runs', { skip: posixOnly }, () => {
  let root: string;
  let log: string;
  let tool: KustomizeTool;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'netpol-kustomize-render-'));
    log = join(root, 'ran.log');
    tool = { program: fakeProgram(join(root, 'tools'), 'kubectl', log), kind: 'kubectl' };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const ws = (name: string, files: Record<string, string>): string => {
    const dir = join(root, name);
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return dir;
  };

  const refused = (dir: string, pattern: RegExp): void => {
    assert.throws(() => renderKustomize(dir, { tool }), (e: unknown) => e instanceof KustomizeRenderError && pattern.test(e.message));
    assert.equal(existsSync(log), false, 'the program ran');
  };

  test('remote resources, bases and components (the fixture), anywhere in the tree', () => {
    refused(join(KUSTOMIZE_FIXTURES, 'remote/overlay'), /github\.com\/example-org\/example-repo\/deploy\?ref=v1\.0\.0 is remote: NetPol never fetches/);
    refused(join(KUSTOMIZE_FIXTURES, 'remote/patch-url'), /patches https:\/\/example\.com\/patch\.yaml is remote/);
    const nested = ws('nested', {
      'app/kustomization.yaml': 'resources:\n  - ../base\n',
      'base/kustomization.yaml': 'components:\n  - https://github.com/example-org/repo//components/x?ref=main\n',
    });
    refused(join(nested, 'app'), /base\/kustomization\.yaml: component https:\/\/github\.com.* is remote/);
    refused(ws('bases', { 'kustomization.yaml': 'bases:\n  - ssh://git@example.com/org/repo.git\n' }), /bases ssh:\/\/git@example\.com.* is remote/);
    refused(ws('file-scheme', { 'kustomization.yaml': 'resources:\n  - file:///srv/repo.git\n' }), /file:\/\/\/srv\/repo\.git is remote/);
    refused(ws('generator-url', { 'kustomization.yaml': 'configMapGenerator:\n  - name: x\n    files:\n      - conf=https://example.com/conf.txt\n' }), /configMapGenerator https:\/\/example\.com\/conf\.txt is remote/);
  });

  test('Helm charts and plugins', () => {
    refused(ws('helm', { 'kustomization.yaml': 'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n' }), /Helm charts .* would run helm/);
    refused(
      ws('inline-plugin', { 'kustomization.yaml': 'transformers:\n  - |\n    apiVersion: example.com/v1\n    kind: Exec\n    metadata:\n      name: x\n' }),
      /plugin: NetPol never runs kustomize plugins/,
    );
    refused(
      ws('file-plugin', {
        'kustomization.yaml': 'generators:\n  - gen.yaml\n',
        'gen.yaml': 'apiVersion: example.com/v1\nkind: Generator\nmetadata:\n  name: g\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./run.sh\n',
      }),
      /gen\.yaml configures a plugin \(apiVersion example\.com\/v1\)/,
    );
    // Built-in plugin configs run nothing, but may still name a URL, or inflate a chart.
    refused(
      ws('builtin-url', {
        'kustomization.yaml': 'resources: [cm.yaml]\ntransformers:\n  - patch.yaml\n',
        'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
        'patch.yaml': 'apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: https://example.com/patch.yaml\ntarget:\n  kind: ConfigMap\n',
      }),
      /patch\.yaml names https:\/\/example\.com\/patch\.yaml, which is remote/,
    );
    refused(
      ws('builtin-inline-url', { 'kustomization.yaml': 'transformers:\n  - |\n    apiVersion: builtin\n    kind: PatchTransformer\n    metadata:\n      name: p\n    path: https://example.com/p.yaml\n' }),
      /transformers https:\/\/example\.com\/p\.yaml is remote/,
    );
    refused(
      ws('builtin-helm', { 'kustomization.yaml': 'generators:\n  - |\n    apiVersion: builtin\n    kind: HelmChartInflationGenerator\n    metadata:\n      name: h\n    chartName: redis\n' }),
      /Helm charts .* would run helm/,
    );
  });

  test('not a kustomization folder; a kustomization that cannot be read', () => {
    refused(ws('empty', { 'x.yaml': 'a: 1\n' }), /has no kustomization\.yaml, kustomization\.yml or Kustomization/);
    refused(join(root, 'does-not-exist'), /is not a folder/);
    refused(join(ws('file-arg', { 'x.yaml': 'a: 1\n' }), 'x.yaml'), /is not a folder/);
    refused(ws('binary', { 'kustomization.yaml': '\u0000binary' }), /binary file: not rendered/);
    // kustomize would block on a FIFO, or read a device without end.
    const fifo = ws('fifo', { 'kustomization.yaml': 'resources:\n  - pipe.yaml\n' });
    assert.equal(spawnSync('mkfifo', [join(fifo, 'pipe.yaml')]).status, 0);
    refused(fifo, /pipe\.yaml is not a regular file or a folder \(a FIFO, a socket or a device\): not rendered/);
    refused(ws('device', { 'kustomization.yaml': 'configMapGenerator:\n  - name: x\n    files:\n      - /dev/zero\n' }), /\/dev\/zero is not a regular file or a folder/);
  });
});

describe('kustomize renderer: how kustomize runs', { skip: posixOnly }, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'netpol-kustomize-run-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('plugins, exec, Helm and networking off; its own empty PATH, home and kubeconfig; proxies that lead nowhere', () => {
    const log = join(root, 'args.log');
    const dir = join(root, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
    for (const kind of ['kubectl', 'kustomize'] as const) {
      rmSync(log, { force: true });
      const tool = { program: fakeProgram(join(root, `tools-${kind}`), kind, log), kind };
      const r = renderKustomize(dir, { tool });
      assert.deepEqual(r.objects.map((o) => o.name), ['from-fake']);
      const text = readFileSync(log, 'utf8');
      const args = /^ARGS (.*)$/m.exec(text)![1].split(' ');
      assert.deepEqual(args.slice(2), kustomizeArgs(tool, 'x').slice(2));
      assert.equal(args[0], kind === 'kubectl' ? 'kustomize' : 'build');
      for (const flag of ['--enable-alpha-plugins=false', '--enable-helm=false', '--load-restrictor=LoadRestrictionsRootOnly', '--network=false']) assert.ok(args.includes(flag), flag);
      assert.equal(args.includes('--enable-exec=false'), kind === 'kustomize');
      // `export -p`: one `export NAME='value'` line per variable.
      const env = new Map(
        text.split('\n').flatMap((l) => {
          const m = /^export ([A-Za-z_][A-Za-z0-9_]*)='?(.*?)'?$/.exec(l);
          return m ? [[m[1], m[2]] as [string, string]] : [];
        }),
      );
      const tmp = dirname(env.get('HOME')!);
      assert.ok(env.get('PATH')!.startsWith(tmp) && !env.get('PATH')!.includes(delimiter), `PATH ${env.get('PATH')}`);
      assert.ok(env.get('KUBECONFIG')!.startsWith(tmp));
      assert.equal(env.get('HTTPS_PROXY'), 'http://127.0.0.1:0');
      assert.equal(env.has('GIT_DIR') || env.has('SSH_AUTH_SOCK'), false);
      // The temporary folder (wrapper, home, kubeconfig) is gone afterwards.
      assert.equal(existsSync(tmp), false);
    }
  });

  test('a kubectl in the workspace, first on PATH, never runs; without another one, the user is told', () => {
    const workspace = join(root, 'ws');
    const log = join(root, 'workspace-kubectl.log');
    const bin = join(workspace, 'bin');
    fakeProgram(bin, 'kubectl', log);
    fakeProgram(bin, 'kustomize', log);
    mkdirSync(join(workspace, 'app'), { recursive: true });
    writeFileSync(join(workspace, 'app', 'kustomization.yaml'), 'resources: []\n');
    const outside = join(root, 'outside-bin');
    const outsideLog = join(root, 'outside.log');
    fakeProgram(outside, 'kubectl', outsideLog);
    const env = { PATH: [bin, '.', 'bin', join(workspace, 'app', '..', 'bin'), outside].join(delimiter) };
    assert.deepEqual(findKustomizeTool([workspace], env), { program: join(outside, 'kubectl'), kind: 'kubectl' });
    const r = renderKustomize(join(workspace, 'app'), { untrusted: [workspace], env });
    assert.equal(r.tool.program, join(outside, 'kubectl'));
    assert.ok(existsSync(outsideLog));
    // Only the workspace's programs on PATH: none is used.
    assert.throws(
      () => renderKustomize(join(workspace, 'app'), { untrusted: [workspace], env: { PATH: [bin, '.', 'bin'].join(delimiter) } }),
      /neither kubectl nor kustomize was found on PATH/,
    );
    // DIR itself is fenced off even when the caller names no workspace.
    assert.throws(() => renderKustomize(join(workspace, 'app'), { env: { PATH: join(workspace, 'app') } }), /neither kubectl nor kustomize/);
    assert.equal(existsSync(log), false, 'a workspace program ran');
  });

  test('neither installed: said plainly', () => {
    const dir = join(root, 'plain');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
    assert.throws(() => renderKustomize(dir, { env: { PATH: '' } }), /neither kubectl nor kustomize was found on PATH .*install kubectl \(it includes kustomize\) or kustomize/);
  });

  test('a timeout and an output cap stop it; its failure is one line', () => {
    const dir = join(root, 'bounded');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
    const log = join(root, 'bounded.log');
    const sleep = ['/bin/sleep', '/usr/bin/sleep'].find((p) => existsSync(p))!;
    const slow = { program: fakeProgram(join(root, 'slow'), 'kubectl', log, `exec ${sleep} 30\n`), kind: 'kubectl' as const };
    assert.throws(() => renderKustomize(dir, { tool: slow, timeoutMs: 300 }), /kubectl kustomize .*: kustomize took too long and was stopped/);
    const loud = { program: fakeProgram(join(root, 'loud'), 'kubectl', log, 'while :; do echo "# filler"; done\n'), kind: 'kubectl' as const };
    assert.throws(() => renderKustomize(dir, { tool: loud, maxOutputBytes: 100_000 }), /printed more than the size limit/);
    const failing = { program: fakeProgram(join(root, 'failing'), 'kubectl', log, 'echo \'E1207 09:49:34.469436   22892 run.go:72] "command failed" err="invalid Kustomization: json: unknown field \\"namspace\\""\' >&2\nexit 1\n'), kind: 'kubectl' as const };
    assert.throws(() => renderKustomize(dir, { tool: failing }), (e: unknown) => e instanceof KustomizeRenderError && e.message.endsWith(': invalid Kustomization: json: unknown field "namspace"'));
  });
});

describe('kustomize renderer: origins, with the real kubectl', { skip: noKubectl || posixOnly }, () => {
  let work: string;
  before(() => {
    // Canonical (macOS's /tmp is a link): the renderer names files from DIR's canonical path.
    work = realpathSync(mkdtempSync(join(tmpdir(), 'netpol-kustomize-origin-')));
    cpSync(KUSTOMIZE_FIXTURES, join(work, 'fixtures'), { recursive: true });
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  const fx = (p: string): string => join(work, 'fixtures', p);

  test('every rendered object maps to its file and document, through nested bases', () => {
    const r = renderKustomize(fx('prefix-suffix/top'));
    assert.equal(r.tool.kind, 'kubectl');
    assert.equal(r.objects.length, 8);
    const web = fx('prefix-suffix/base/web.yaml');
    const expected: Record<string, [string, number]> = {
      'ConfigMap eu-shop-web-env-v2-prod': [web, 0],
      'Secret eu-shop-web-token-v2-prod': [web, 1],
      'ServiceAccount eu-shop-web-v2-prod': [web, 2],
      'StatefulSet eu-shop-web-v2-prod': [web, 3],
      'Service eu-shop-web-v2-prod': [web, 4],
      'Ingress eu-shop-web-v2-prod': [web, 5],
      'CustomResourceDefinition widgets.shop.example': [fx('prefix-suffix/base/crd.yaml'), 0],
      'Namespace shop': [fx('prefix-suffix/base/crd.yaml'), 1],
    };
    for (const o of r.objects) {
      const want = expected[`${o.kind} ${o.name}`];
      assert.ok(want, `${o.kind} ${o.name}`);
      assert.deepEqual([o.origin?.file, o.origin?.source?.documentIndex], want, `${o.kind} ${o.name}`);
      // The range is the object's document in the stream.
      assert.match(r.text.slice(o.start, o.end), new RegExp(`^apiVersion: [^]*\\nkind: ${o.kind}\\n`));
      assert.equal(renderedAt(r, o.start), o);
    }
    assert.doesNotMatch(r.text, /config\.kubernetes\.io\/origin/);
    assert.equal(renderedBySource(r).get(web)?.length, 6);
  });

  test('List items, a component as DIR, objects made by a generator, what kustomize renders beyond the subset', () => {
    const ns = renderKustomize(fx('namespace/kustomization.yaml'));
    assert.equal(ns.dir, fx('namespace'));
    const cm = ns.objects.find((o) => o.kind === 'ConfigMap')!;
    assert.deepEqual([cm.origin?.file, cm.origin?.source?.itemPath], [fx('namespace/list.yaml'), [0]]);
    const comp = renderKustomize(fx('components/components/policies'));
    assert.deepEqual(comp.objects.map((o) => [o.kind, o.origin?.file]), [['NetworkPolicy', fx('components/components/policies/policies.yaml')]]);
    const un = renderKustomize(fx('unsupported/overlay'));
    const generated = un.objects.find((o) => o.kind === 'ConfigMap')!;
    assert.match(generated.name!, /^api-env-[a-z0-9]{10}$/);
    assert.equal(generated.origin?.generatedBy, fx('unsupported/overlay/kustomization.yaml'));
    const dep = un.objects.find((o) => o.kind === 'Deployment')!;
    assert.equal(dep.origin?.source?.file, fx('unsupported/base/api.yaml'));
    // The patch, the image and the replicas are applied: what the editor's subset cannot show.
    assert.match(un.text.slice(dep.start, dep.end), /replicas: 3[\s\S]*image: registry\.example\/api:2\.0/);
    assert.ok(un.warnings.some((w) => /commonLabels' is deprecated/.test(w)));
    assert.equal(un.resolution.roots[0].partial, true);
  });

  test("DIR's own buildMetadata is kept (its origin annotations stay)", () => {
    const dir = fx('own-metadata');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\nbuildMetadata: [originAnnotations]\n');
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
    const r = renderKustomize(dir);
    assert.match(r.text, /config\.kubernetes\.io\/origin/);
    assert.equal(r.objects[0].origin?.file, join(dir, 'cm.yaml'));
  });

  test("kustomize's own failures come back as one line naming DIR", () => {
    assert.throws(() => renderKustomize(fx('errors/unknown-field')), /kubectl kustomize .*errors\/unknown-field: invalid Kustomization: json: unknown field "namspace"$/);
    assert.throws(() => renderKustomize(fx('cycle/a')), /cycle detected/);
  });
});
