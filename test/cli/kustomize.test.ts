/**
 * `netpol … --kustomize DIR` as a real process: the real kustomize renders DIR (patches
 * included), the analysis reads the render, findings land on the source files' lines;
 * what cannot be rendered is a clear message with exit code 2. Also the in-process subset
 * through the CLI (a folder with kustomizations, no flag).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI, ROOT } from '../helpers/paths';
import { findKubectl } from '../helpers/kustomize';

const CATALOG = 'test/fixtures/kustomize/catalog';

function netpol(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Located {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  path: string;
}

const skip = findKubectl() === undefined ? 'kubectl is not installed: --kustomize needs `kubectl kustomize`' : false;

describe('--kustomize DIR with kubectl kustomize', { skip }, () => {
  test('check: the render is analysed (its namespace), findings on the source lines', () => {
    const r = netpol(['check', '--kustomize', `${CATALOG}/overlays/staging`, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^netpol: rendered test\/fixtures\/kustomize\/catalog\/overlays\/staging with \S+ (kustomize|build): 3 objects, 3 traced to their source document\n/);
    const findings = JSON.parse(r.stdout) as Located[];
    assert.deepEqual(findings.map((f) => [f.file, f.line, f.rule]), [[`${CATALOG}/base/deployment.yaml`, 3, 'namespace-without-default-deny']]);
    assert.match(findings[0].message, /^Namespace catalog-staging has no default-deny/);
    // No missing-namespace: the render has the namespace; no kustomize-not-modelled: the patch is applied.
    assert.ok(!findings.some((f) => f.rule === 'missing-namespace' || f.rule.startsWith('kustomize-')));
  });

  test('check: a finding inside an object sits on the same field of its source', () => {
    // A policy whose rule opens every port: rule-without-ports points at the rule, in the base file.
    const r = netpol(['check', '--kustomize', 'test/fixtures/kustomize/overlays/dev', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const f = (JSON.parse(r.stdout) as Located[]).find((x) => x.rule === 'rule-without-ports');
    assert.ok(f, r.stdout);
    assert.equal(f.file, 'test/fixtures/kustomize/overlays/base/carts.yaml');
    assert.equal(f.path, 'spec.ingress[0].from');
    assert.deepEqual([f.line, f.column], [27, 7], 'the rule as written in the base, not the rendered stream');
  });

  test('reach: the render beside plain files (the storefront reaches the prod catalog on 8080 only)', () => {
    const r = netpol(['reach', `${CATALOG}/web`, '--kustomize', `${CATALOG}/overlays/prod`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^web\/storefront\[Deployment\] => catalog\/prod-catalog\[Deployment\] : TCP 8080$/m);
    assert.doesNotMatch(r.stdout, /\[External\] => catalog\/prod-catalog/);
  });

  test('explain works on the render', () => {
    const r = netpol(['explain', `${CATALOG}/web`, '--kustomize', `${CATALOG}/overlays/prod`, '--from', 'web/storefront', '--to', 'catalog/prod-catalog', '--port', '8080']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /allowed/i);
  });

  test('a remote base is refused before anything runs', () => {
    const r = netpol(['check', '--kustomize', 'test/fixtures/kustomize/remote/overlay']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^netpol: --kustomize test\/fixtures\/kustomize\/remote\/overlay: .*is remote: NetPol never fetches remote bases/);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });
});

describe('--kustomize without kubectl or kustomize', () => {
  test('says so, exit code 2', () => {
    const r = netpol(['check', '--kustomize', `${CATALOG}/overlays/prod`], { ...process.env, PATH: '/nonexistent' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /neither kubectl nor kustomize was found on PATH.*install kubectl \(it includes kustomize\) or kustomize/);
  });

  test('usage: a folder is needed; diff has no --kustomize', () => {
    assert.equal(netpol(['check', '--kustomize', 'test/fixtures/kustomize/nowhere']).code, 2);
    const d = netpol(['diff', '--kustomize', CATALOG, 'a', 'b']);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /unknown option --kustomize/);
  });
});

describe('the in-process subset through the CLI', () => {
  test('check on a folder with kustomizations: the namespace of the overlay, notes on the kustomizations', () => {
    const r = netpol(['check', CATALOG, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const findings = JSON.parse(r.stdout) as Located[];
    const deny = findings.find((f) => f.file === `${CATALOG}/base/deployment.yaml`);
    assert.match(deny?.message ?? '', /^Namespace catalog has no default-deny/);
    assert.equal(deny?.line, 4);
    assert.ok(!findings.some((f) => f.rule === 'missing-namespace'), r.stdout);
    assert.deepEqual(
      findings.filter((f) => f.rule.startsWith('kustomize-')).map((f) => [f.file, f.line, f.rule]),
      [
        [`${CATALOG}/overlays/staging/kustomization.yaml`, 1, 'kustomize-not-modelled'],
        [`${CATALOG}/overlays/staging/kustomization.yaml`, 6, 'kustomize-not-modelled'],
      ],
    );
  });

  test('a folder with a file named Kustomization is read', () => {
    const r = netpol(['reach', 'test/fixtures/kustomize/overlays']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /prod\/Kustomization:1: info: 2 objects of this kustomization are deployed by test\/fixtures\/kustomize\/overlays\/dev too/);
  });
});
