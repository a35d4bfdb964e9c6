import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');
const DIR = 'test/fixtures/cli/generate/shop';
const EXPECTED = 'test/fixtures/cli/generate/expected';
const UPDATE = process.env.NETPOL_UPDATE_GOLDENS === '1';

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compares with a golden file of EXPECTED (rewritten with NETPOL_UPDATE_GOLDENS=1). */
function golden(name: string, actual: string): void {
  const path = join(ROOT, EXPECTED, name);
  if (UPDATE) {
    mkdirSync(join(ROOT, EXPECTED), { recursive: true });
    writeFileSync(path, actual);
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs from its golden (NETPOL_UPDATE_GOLDENS=1 rewrites it)`);
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'netpol-generate-'));
}

test('generate --output: one file per namespace, as the goldens; the notes on stderr', () => {
  const out = tmp();
  try {
    const r = netpol('generate', DIR, '--output', out);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(out).sort(), ['data-netpol.yaml', 'shop-netpol.yaml']);
    for (const name of readdirSync(out)) golden(name, readFileSync(join(out, name), 'utf8'));
    golden('stderr.txt', r.stderr.replaceAll(out, 'OUT'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('generate without --output prints the same policies as one stream, byte for byte the same whatever the order of the paths', () => {
  const r = netpol('generate', DIR);
  assert.equal(r.code, 0, r.stderr);
  const files = ['data-netpol.yaml', 'shop-netpol.yaml'].map((f) => readFileSync(join(ROOT, EXPECTED, f), 'utf8'));
  assert.equal(r.stdout, files.join('---\n'));
  const names = readdirSync(join(ROOT, DIR)).sort();
  const reversed = netpol('generate', ...names.reverse().map((n) => `${DIR}/${n}`));
  assert.equal(reversed.code, 0, reversed.stderr);
  assert.equal(reversed.stdout, r.stdout);
  assert.equal(netpol('generate', DIR).stdout, r.stdout);
});

test('generate: netpol check warns about nothing in what it wrote, and generating again on input plus output adds nothing', () => {
  const out = tmp();
  try {
    assert.equal(netpol('generate', DIR, '--output', out).code, 0);
    const check = netpol('check', DIR, out, '--format', 'json');
    const findings = JSON.parse(check.stdout) as { file: string; severity: string; rule: string }[];
    assert.deepEqual(findings.filter((f) => f.file.startsWith(out) && (f.severity === 'warning' || f.severity === 'error')), []);
    const again = netpol('generate', DIR, out, '--output', join(out, 'again'));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /wrote 0 policies in 0 files/);
    assert.equal(existsSync(join(out, 'again')) ? readdirSync(join(out, 'again')).length : 0, 0);
    const printed = netpol('generate', DIR, out);
    assert.match(printed.stdout, /^# netpol generate: nothing to add/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('generate: a namespace-less bundle gets netpol.yaml with namespace-less policies; --ingress-only and --namespace', () => {
  const out = tmp();
  try {
    const r = netpol('generate', 'test/evidence-apps/voting-app/repo', '--output', out, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(readdirSync(out), ['netpol.yaml']);
    const text = readFileSync(join(out, 'netpol.yaml'), 'utf8');
    assert.doesNotMatch(text, /^ {2}namespace:/m);
    // The default namespace is the analysis' assumption: never a field of what is written.
    assert.doesNotMatch(text, /namespace: default|metadata\.name: default/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const ingress = netpol('generate', DIR, '--ingress-only', '--namespace', 'data');
  assert.equal(ingress.code, 0, ingress.stderr);
  assert.equal((ingress.stdout.match(/^kind: NetworkPolicy$/gm) ?? []).length, 1);
  assert.match(ingress.stdout, /policyTypes:\n {4}- Ingress\n {2}ingress:/);
  assert.doesNotMatch(ingress.stdout, /egress/i);
});

test('generate --namespace of no workload says so', () => {
  const r = netpol('generate', DIR, '--namespace', 'nowhere');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# netpol generate: nothing to add/);
  assert.match(r.stderr, /^netpol: note: no workload of these manifests is in namespace nowhere: nothing to generate\.$/m);
});

test('generate: bad usage is a message with exit code 2', () => {
  for (const args of [['generate', DIR, '--output'], ['generate', DIR, '--namespace', ''], ['generate', DIR, '--format', 'json'], ['generate']]) {
    const r = netpol(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.doesNotMatch(r.stderr, /internal error/);
  }
});
