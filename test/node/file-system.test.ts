/**
 * Hostile file systems, built in a temporary folder: a FIFO named like a manifest, links
 * to /dev/zero, /dev/urandom and /dev/stdin, a socket, two links to `.` (an exponential
 * walk for a reader that follows them), links to a file and a folder outside the
 * workspace, a sparse file beyond the size limit. The CLI runs as a process and the
 * server over stdio, each with a time limit that fails the test (a hang is a failure, not
 * a wait); a link out of the workspace is never analysed (its workload would silence a
 * selector-matches-nothing finding), and the same workload inside the workspace is.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../lsp/lsp-client';
import { netpol, POLICY, WORLD, writeFiles } from './world';

const skip = process.platform === 'win32' ? 'FIFOs, devices and POSIX links' : false;

const LEAKED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: leaked, namespace: shop}
spec:
  selector: {matchLabels: {app: leaked}}
  template:
    metadata: {labels: {app: leaked}}
    spec: {containers: [{name: c, image: i}]}
`;

/** Selects the pods of LEAKED: "matches nothing" unless LEAKED is part of the analysis. */
const PROBE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: probe, namespace: shop}
spec:
  podSelector: {matchLabels: {app: leaked}}
  policyTypes: [Ingress]
`;

const codes = (d: Diagnostic[]) => d.map((x) => String(x.code));

describe('hostile file systems', { skip }, () => {
  let root: string;
  let ws: string;
  let socket: Server;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'netpol-fs-'));
    ws = join(root, 'ws');
    writeFiles(ws, { ...WORLD, 'shop/policy.yaml': POLICY, 'shop/probe.yaml': PROBE });
    writeFiles(join(root, 'outside'), { 'leaked.yaml': LEAKED });
    const fifo = spawnSync('mkfifo', [join(ws, 'fifo.yaml')]);
    assert.equal(fifo.status, 0, String(fifo.stderr));
    symlinkSync('/dev/zero', join(ws, 'zero.yaml'));
    symlinkSync('/dev/urandom', join(ws, 'random.yml'));
    symlinkSync('/dev/stdin', join(ws, 'stdin.yaml'));
    symlinkSync('.', join(ws, 'loop-a'));
    symlinkSync('.', join(ws, 'loop-b'));
    mkdirSync(join(ws, 'deep'));
    symlinkSync('..', join(ws, 'deep', 'up-a'));
    symlinkSync('..', join(ws, 'deep', 'up-b'));
    symlinkSync(join(root, 'outside', 'leaked.yaml'), join(ws, 'outside.yaml'));
    symlinkSync(join(root, 'outside'), join(ws, 'outside-dir'));
    // 65 MB that take no space: over the CLI's 64 MB and the server's 4 MB per file.
    const big = openSync(join(ws, 'big.yaml'), 'w');
    ftruncateSync(big, 65 * 1024 * 1024);
    closeSync(big);
    socket = createServer();
    await new Promise<void>((resolve) => socket.listen(join(ws, 'socket.yaml'), resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  });

  test('netpol reach over the folder: ends, reads the regular files, notes each other entry once', async () => {
    const r = await netpol(['reach', 'ws'], root);
    assert.equal(r.signal, null, `killed after the time limit: ${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^client\/app\[Deployment\] => shop\/web\[Deployment\] : TCP 8080$/m);
    assert.doesNotMatch(r.stdout, /leaked/, 'the link out of the folder is not followed');
    const notes = r.stderr.split('\n').filter((l) => l !== '' && !/: (info|warning): /.test(l));
    assert.deepEqual(
      // The CLI's stdin is a pipe or a socket pair: /dev/stdin has no real path there.
      notes.map((l) => l.replaceAll(root, 'ROOT').replace(/a link to a (FIFO|socket),/, 'a link to a pipe,')),
      [
        'netpol: ws/big.yaml: 65 MB, over the 64 MB limit (--max-file-mb): skipped',
        'netpol: ws/fifo.yaml: a FIFO, not a regular file: skipped',
        `netpol: ws/outside.yaml: a link to ROOT/outside/leaked.yaml, outside ROOT/ws: skipped`,
        'netpol: ws/random.yml: a link to /dev/urandom, outside ROOT/ws: skipped',
        'netpol: ws/socket.yaml: a socket, not a regular file: skipped',
        'netpol: ws/stdin.yaml: a link to a pipe, not a regular file: skipped',
        'netpol: ws/zero.yaml: a link to /dev/zero, outside ROOT/ws: skipped',
      ],
    );
  });

  test('named paths that are not regular files are refused with a message, at once', async () => {
    for (const [path, message] of [
      ['ws/fifo.yaml', 'a FIFO, not a regular file'],
      ['ws/zero.yaml', 'a link to a device, not a regular file'],
      ['/dev/zero', 'a device, not a regular file'],
      ['/dev/stdin', 'a link to a pipe, not a regular file'],
      ['ws/socket.yaml', 'a socket, not a regular file'],
    ]) {
      const r = await netpol(['check', path], root);
      assert.equal(r.signal, null, `${path}: killed after the time limit`);
      assert.deepEqual([r.code, r.stderr.replace(/a link to a (FIFO|socket),/, 'a link to a pipe,')], [2, `netpol: ${path}: ${message}; give a regular file or a directory\n`]);
    }
    // A named link that ends at a regular file is the user's choice: read.
    const named = await netpol(['check', 'ws/outside.yaml', '--format', 'json'], root);
    assert.equal(named.code, 0, named.stderr);
  });

  describe('the language server', () => {
    let client: LspClient;
    const logs: string[] = [];
    const probe = () => pathToFileURL(join(ws, 'shop/probe.yaml')).toString();
    before(async () => {
      client = await LspClient.start(ws);
      client.connection.onNotification('window/logMessage', (m: { message: string }) => void logs.push(m.message));
    });
    after(async () => {
      await client.stop();
    });

    test('the first scan ends and analyses only the regular files inside the folder', async () => {
      client.open(probe(), PROBE, 1);
      // The wait fails the test after LspClient.WAIT_LIMIT_MS: a scan that hangs never publishes.
      assert.ok(codes(await client.diagnosticsForVersion(probe(), 1)).includes('selector-matches-nothing'), 'the workload behind the outside link was not read');
      const notes = logs.filter((l) => l.includes(ws)).map((l) => l.replace(new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), 'ROOT'));
      for (const expected of [
        'NetPol: ROOT/ws/fifo.yaml: a FIFO, not a regular file; not analysed.',
        'NetPol: ROOT/ws/zero.yaml: a link to /dev/zero, outside ROOT/ws; not analysed.',
        'NetPol: ROOT/ws/outside.yaml: a link to ROOT/outside/leaked.yaml, outside ROOT/ws; not analysed.',
        'NetPol: ROOT/ws/socket.yaml: a socket, not a regular file; not analysed.',
        'NetPol: ROOT/ws/big.yaml: 65 MB, over the 4 MB limit (setting netpol.maxFileSizeKB); not analysed.',
      ]) {
        assert.ok(notes.includes(expected), `${expected}\n in\n${notes.join('\n')}`);
      }
    });

    test('watched-file events read only regular files inside the folder; the server stays responsive', async () => {
      const hostile = ['fifo.yaml', 'zero.yaml', 'random.yml', 'stdin.yaml', 'socket.yaml', 'big.yaml', 'outside.yaml', 'outside-dir/leaked.yaml', 'loop-a/loop-b/fifo.yaml'];
      const uris = [...hostile.map((p) => pathToFileURL(join(ws, p)).toString()), 'file:///dev/stdin', 'file:///dev/zero', pathToFileURL(join(root, 'outside', 'leaked.yaml')).toString()];
      const analysed = client.nextNotification('netpol/analysisChanged');
      void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type: 1 })) });
      await analysed;
      assert.ok(codes(client.diagnostics.get(probe()) ?? []).includes('selector-matches-nothing'), 'nothing new was analysed');
      assert.ok(client.alive);

      // The same workload inside the folder, announced the same way: read.
      writeFileSync(join(ws, 'shop', 'leaked.yaml'), LEAKED);
      const cleared = client.nextDiagnostics(probe(), (d) => !codes(d).includes('selector-matches-nothing'));
      void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(ws, 'shop', 'leaked.yaml')).toString(), type: 1 }] });
      await cleared;
      rmSync(join(ws, 'shop', 'leaked.yaml'));
    });
  });
});
