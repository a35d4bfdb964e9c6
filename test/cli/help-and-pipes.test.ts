/**
 * The small things a new user hits first: `--help` and `--version` (each command's
 * help lists every option it accepts), and `netpol … | head`, which closes the pipe
 * early: the command ends quietly with its own exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMANDS } from '../../server/src/cli/help';
import { ROOT } from '../helpers/paths';

const CLI = resolve(ROOT, 'dist/cli.js');

function netpol(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--version and -V print the package version and exit 0', () => {
  const { version } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) assert.deepEqual(netpol(flag), { code: 0, stdout: `${version}\n`, stderr: '' });
});

test('--help, -h and help print every command and exit 0; no command is a usage error', () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const r = netpol(...args);
    assert.equal(r.code, 0, args.join(' '));
    assert.equal(r.stderr, '');
    for (const name of Object.keys(COMMANDS)) assert.match(r.stdout, new RegExp(`^  netpol ${name} `, 'm'), `${args.join(' ')} lists ${name}`);
    assert.match(r.stdout, /--default-namespace NS/);
  }
  const none = netpol();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^usage:/);
});

test('COMMAND --help / -h / help COMMAND: its usage and every option it accepts, exit 0', () => {
  const names = Object.keys(COMMANDS);
  assert.deepEqual(names.sort(), ['check', 'diff', 'evidence', 'explain', 'generate', 'reach', 'test']);
  for (const name of names) {
    for (const args of [[name, '--help'], [name, '-h'], ['help', name], [name, 'some/path', '--format', 'json', '--help']]) {
      const r = netpol(...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.startsWith(`usage: netpol ${name} `), r.stdout);
      // Every flag the command's parser accepts is documented in its help.
      for (const flag of Object.keys(COMMANDS[name].flags)) assert.match(r.stdout, new RegExp(`^  --${flag}\\b`, 'm'), `${name} --help documents --${flag}`);
      assert.match(r.stdout, /^ {2}-h, --help/m);
    }
  }
  // After `--`, `--help` is a path like any other.
  const r = netpol('reach', '--', '--help');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--help: no such file or directory/);
});

test('an unknown option names the command and where its help is', () => {
  const r = netpol('reach', 'x', '--bogus');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^netpol: unknown option --bogus\n\nusage: netpol reach PATH\.\.\./);
  assert.match(r.stderr, /Run "netpol reach --help" for its options\./);
});

test('a reader that closes the pipe early (`netpol reach … | head`): no EPIPE trace, exit 0', async () => {
  // 150 pods without policies: 150 × 149 pairs and their external lines, about 1.5 MB of
  // output, far more than a pipe holds: the CLI is still writing when the reader goes.
  const dir = mkdtempSync(join(tmpdir(), 'netpol-pipe-'));
  try {
    const pods = Array.from({ length: 150 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, namespace: big, labels: {app: a${i}}}\nspec: {containers: [{name: c, image: i}]}\n`);
    writeFileSync(join(dir, 'pods.yaml'), pods.join('---\n'));
    const child = spawn(process.execPath, [CLI, 'reach', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    let first = '';
    child.stdout.once('data', (b: Buffer) => {
      first = b.toString();
      // What `head` does once it has its line: close its end of the pipe.
      child.stdout.destroy();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
    assert.match(first, /^0\.0\.0\.0-255\.255\.255\.255\[External\] => big\/pod-0\[Pod\] : All Connections\n/);
    assert.equal(signal, null);
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
