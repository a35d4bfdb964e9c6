import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CORPUS_DIR } from '../corpus/corpus';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');

function netpol(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec: {containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: backend, namespace: shop}
spec:
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: shop}
spec:
  selector: {app: backend}
  ports: [{port: 80, targetPort: http}]
`;

const ALLOW_FRONTEND = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8080}]}]
`;
// The mistake the README's example describes: the Service port instead of the container port.
const WRONG_PORT = ALLOW_FRONTEND.replace('port: 8080', 'port: 80');

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-diff-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('diff reproduces netpol-analyzer (corpus pair, --host-network pod as upstream)', () => {
  const c = (n: string) => join(CORPUS_DIR, n, 'input');
  const r = netpol(['diff', c('semanticDiff-same-topologies-old1'), c('semanticDiff-same-topologies-new1'), '--host-network', 'pod']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(CORPUS_DIR, 'semanticDiff-same-topologies-new1/expected/diff/vs_semanticDiff-same-topologies-old1.txt'), 'utf8'));
});

test('diff of two directories: formats, breaking flows, --fail-on gates', () => {
  const before = workspace({ 'app.yaml': APP, 'policy.yaml': ALLOW_FRONTEND });
  const after = workspace({ 'app.yaml': APP, 'policy.yaml': WRONG_PORT });
  try {
    const json = netpol(['diff', before, after, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const entries = JSON.parse(json.stdout) as Record<string, unknown>[];
    const fe = entries.find((e) => e.src === 'shop/frontend[Deployment]' && e.dst === 'shop/backend[Deployment]');
    assert.deepEqual(fe, {
      kind: 'changed',
      src: 'shop/frontend[Deployment]',
      dst: 'shop/backend[Deployment]',
      before: 'TCP 8080',
      after: 'TCP 80',
      gained: 'TCP 80',
      lost: 'TCP 8080',
      breaking: true,
      // The rule as it is now admits 80; as it was, it admitted 8080 (line 6: the ingress rule).
      responsible: [
        { role: 'allows', policy: 'shop/backend', rule: 'ingress[0]', at: `${join(after, 'policy.yaml')}:6` },
        { role: 'no-longer-allows', policy: 'shop/backend', rule: 'ingress[0]', at: `${join(before, 'policy.yaml')}:6` },
      ],
    });
    const text = netpol(['diff', before, after]);
    assert.match(text.stdout, /^Connectivity diff:\n/);
    assert.match(text.stdout, /source: shop\/frontend\[Deployment\], destination: shop\/backend\[Deployment\], ref1: TCP 8080, ref2: TCP 80 \[likely breakage/);
    assert.match(netpol(['diff', before, after, '--format', 'csv']).stdout, /^diff-type,source,destination,ref1,ref2,workloads-diff-info\nchanged,/);
    assert.match(netpol(['diff', before, after, '--format', 'md']).stdout, /^\| diff-type \| source \|/);
    assert.equal(netpol(['diff', before, after, '--fail-on', 'removed']).code, 1);
    assert.equal(netpol(['diff', before, after, '--fail-on', 'added']).code, 1);
    assert.equal(netpol(['diff', before, before, '--fail-on', 'any']).code, 0);
    assert.equal(netpol(['diff', before, before]).stdout, '');
    // Loosening only: nothing removed.
    assert.equal(netpol(['diff', after, join(before, 'app.yaml'), '--fail-on', 'removed']).code, 0);
    assert.equal(netpol(['diff', before]).code, 2, 'needs two paths');
    assert.equal(netpol(['diff', before, after, '--fail-on', 'nope']).code, 2);
  } finally {
    rmSync(before, { recursive: true, force: true });
    rmSync(after, { recursive: true, force: true });
  }
});

test('diff --base compares the working tree with a git revision, writing nothing', () => {
  const repo = mkdtempSync(join(tmpdir(), 'netpol-diff-git-'));
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  try {
    git('init', '-q');
    mkdirSync(join(repo, 'k8s'));
    writeFileSync(join(repo, 'k8s/app.yaml'), APP);
    writeFileSync(join(repo, 'k8s/policy.yaml'), ALLOW_FRONTEND);
    writeFileSync(join(repo, 'README.md'), 'not a manifest\n');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    writeFileSync(join(repo, 'k8s/policy.yaml'), WRONG_PORT);
    const status = git('status', '--porcelain');

    const r = netpol(['diff', '--base', 'HEAD', 'k8s', '--format', 'json', '--fail-on', 'removed'], repo);
    assert.equal(r.code, 1, r.stderr);
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    const changed = entries.find((e) => e.kind === 'changed' && e.lost === 'TCP 8080' && e.breaking === true);
    assert.ok(changed, r.stdout);
    // The baseline's rule is located in the revision's file.
    assert.deepEqual(changed.responsible, [
      { role: 'allows', policy: 'shop/backend', rule: 'ingress[0]', at: 'k8s/policy.yaml:6' },
      { role: 'no-longer-allows', policy: 'shop/backend', rule: 'ingress[0]', at: 'HEAD:k8s/policy.yaml:6' },
    ]);
    // Default PATH is the current directory; same result from a subdirectory.
    assert.equal(netpol(['diff', '--base', 'HEAD'], repo).stdout, netpol(['diff', '--base', 'HEAD', '.'], join(repo, 'k8s')).stdout);
    assert.equal(netpol(['diff', '--base', 'HEAD', 'k8s'], repo).stdout.split('\n')[0], 'Connectivity diff:');
    assert.equal(git('status', '--porcelain'), status, 'nothing written');
    const bad = netpol(['diff', '--base', 'no-such-ref', 'k8s'], repo);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^netpol: git: no-such-ref is not a commit of /);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test('diff --format json names the cluster-level policy and rule that close a flow', () => {
  const guard = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
  priority: 10
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: backend}}}}
  ingress:
  - action: Deny
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: frontend}}}}]
`;
  const before = workspace({ 'app.yaml': APP });
  const after = workspace({ 'app.yaml': APP, 'guard.yaml': guard });
  try {
    const json = netpol(['diff', before, after, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const entries = JSON.parse(json.stdout) as { src: string; dst: string; lost: string; responsible: unknown[] }[];
    assert.deepEqual(
      entries.map((e) => [e.src, e.dst, e.lost, e.responsible]),
      [['shop/frontend[Deployment]', 'shop/backend[Deployment]', 'All Connections', [{ role: 'isolates', policy: 'AdminNetworkPolicy guard', rule: 'ingress[0]', at: `${join(after, 'guard.yaml')}:8` }]]],
    );
  } finally {
    rmSync(before, { recursive: true, force: true });
    rmSync(after, { recursive: true, force: true });
  }
});
