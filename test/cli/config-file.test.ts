import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const repo = mkdtempSync(join(tmpdir(), 'netpol-config-'));
after(() => rmSync(repo, { recursive: true, force: true }));

// A repository: the Online Boutique policies in app/, a copy under charts/ (excluded), and .netpol.yaml at the top.
mkdirSync(join(repo, 'app'));
mkdirSync(join(repo, 'charts'));
cpSync(join(ROOT, 'test/fixtures/cli/suppressions/boutique.yaml'), join(repo, 'app/boutique.yaml'));
cpSync(join(ROOT, 'test/fixtures/cli/suppressions/boutique.yaml'), join(repo, 'charts/boutique.yaml'));
writeFileSync(join(repo, '.netpol.yaml'), 'defaultNamespace: boutique\nrules:\n  allow-all-peers: warning\nexclude:\n  - "charts/**"\n');

function netpol(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('check reads the nearest .netpol.yaml above the path: severities, default namespace, excluded paths', () => {
  const r = netpol(join(repo, 'app'), 'check', '.', '--format', 'json', '--show-suppressed');
  assert.equal(r.code, 0, r.stderr);
  const found = JSON.parse(r.stdout) as { file: string; rule: string; severity: string; message: string }[];
  assert.ok(found.every((f) => f.file === 'boutique.yaml'), 'charts/ is excluded, .netpol.yaml is no manifest');
  const allowAll = found.filter((f) => f.rule === 'allow-all-peers');
  assert.deepEqual(allowAll.map((f) => f.severity), ['warning', 'warning'], 'the file sets the rule to warning: the explicit {} too');
  assert.match(found.find((f) => f.rule === 'missing-namespace')!.message, /This analysis places it in "boutique"/, "the siblings agree on the assumed namespace: a generic policy, and the message names the namespace from .netpol.yaml");
});

test('flags win over the file; --config names another file; a missing --config is an error (exit 2)', () => {
  const r = netpol(repo, 'check', 'app', '--rule', 'allow-all-peers=off', '--default-namespace', 'shop', '--format', 'json', '--show-suppressed');
  const found = JSON.parse(r.stdout) as { rule: string; message: string }[];
  assert.deepEqual(found.filter((f) => f.rule === 'allow-all-peers'), []);
  assert.match(found.find((f) => f.rule === 'missing-namespace')!.message, /assumes namespace "shop"/);
  const other = join(repo, 'strict.yaml');
  writeFileSync(other, 'rules: {allow-all-peers: error}\n');
  const strict = netpol(repo, 'check', 'app', '--config', other);
  assert.equal(strict.code, 1, 'allow-all-peers is an error under --config strict.yaml');
  assert.match(strict.stdout, /error allow-all-peers/);
  const missing = netpol(repo, 'check', 'app', '--config', join(repo, 'nope.yaml'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^netpol: --config .*nope\.yaml: /);
  assert.doesNotMatch(missing.stderr, /at |internal error/);
});

test('an invalid .netpol.yaml is reported on the file (check: findings; reach: stderr), never a crash', () => {
  const bad = mkdtempSync(join(tmpdir(), 'netpol-config-bad-'));
  try {
    cpSync(join(ROOT, 'test/fixtures/cli/suppressions/boutique.yaml'), join(bad, 'boutique.yaml'));
    writeFileSync(join(bad, '.netpol.yaml'), 'rules: {allow-all-peers: loud}\ncolour: blue\n');
    const r = netpol(bad, 'check', '.');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\.netpol\.yaml:1:26: warning invalid-config: The severity of allow-all-peers must be one of/m);
    assert.match(r.stdout, /^\.netpol\.yaml:2:1: warning invalid-config: Unknown setting "colour"/m);
    writeFileSync(join(bad, '.netpol.yaml'), 'rules: [\n');
    const reach = netpol(bad, 'reach', '.');
    assert.equal(reach.code, 0);
    assert.match(reach.stderr, /netpol: \.netpol\.yaml:\d+: warning: \.netpol\.yaml is not valid YAML/);
  } finally {
    rmSync(bad, { recursive: true, force: true });
  }
});
