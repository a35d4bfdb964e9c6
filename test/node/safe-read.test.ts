/**
 * The safe reader in process (what cannot block or run away when it is wrong: the
 * FIFO, device and loop cases run in processes, file-system.test.ts): bounds on files and
 * bytes with their messages, links inside the root read once under their real path, the
 * size cap independent of what the file system reports, the watched-file gate.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, readManifestFiles } from '../../server/src/node/read-files';
import { readRegularFile } from '../../server/src/node/safe-read';
import { readWatchedFile, scanYamlFiles } from '../../server/src/node/scan';
import { writeFiles } from './world';

const NS = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
const SCAN = { exclude: ['generated/**'], maxFiles: 100, maxFileBytes: 1024, maxTotalBytes: 1 << 20 };

describe('safe reader', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'netpol-safe-read-'));
    writeFiles(root, {
      'a.yaml': NS('a'),
      'b.yaml': NS('b'),
      'c.yaml': NS('c'),
      'sub/d.yaml': NS('d'),
      'generated/e.yaml': NS('e'),
      'node_modules/f.yaml': NS('f'),
      'binary.yaml': 'kind: x\u0000\u0001',
      'large.yaml': `# ${'x'.repeat(2000)}\n`,
    });
    if (process.platform !== 'win32') {
      symlinkSync('a.yaml', join(root, 'alias.yaml'));
      symlinkSync('sub', join(root, 'linked'));
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the CLI reader: regular files in order, links to files inside read, links to folders not followed', () => {
    const { files, problems } = readManifestFiles([root], { maxFileBytes: 1024 });
    const names = files.map((f) => f.path.slice(root.length + 1));
    const links = process.platform === 'win32' ? [] : ['alias.yaml'];
    assert.deepEqual(names, ['a.yaml', ...links, 'b.yaml', 'c.yaml', 'generated/e.yaml', 'sub/d.yaml']);
    assert.deepEqual(
      problems.map((p) => [p.path.slice(root.length + 1), p.message]),
      [
        ['binary.yaml', 'binary file: skipped'],
        ['large.yaml', '2 KB, over the 1 KB limit (--max-file-mb): skipped'],
      ],
    );
  });

  test('the CLI stops with a message past its file or byte bound, rather than analyse part of it', () => {
    assert.throws(() => readManifestFiles([root], { maxFiles: 2 }), (e: Error) => e instanceof InputError && e.message === 'more than 2 manifest files under the given paths (the most one run reads): give narrower paths');
    assert.throws(() => readManifestFiles([root], { maxTotalBytes: 100 }), (e: Error) => e instanceof InputError && /^more than 100 bytes of manifests under the given paths/.test(e.message));
    assert.throws(() => readManifestFiles([join(root, 'nope')]), /nope: no such file or directory/);
  });

  test('the scan: excluded and node_modules folders skipped, a bound on bytes for the whole workspace', () => {
    const all = scanYamlFiles(root, SCAN);
    assert.deepEqual(
      all.files.map((f) => f.path.slice(root.length + 1)),
      ['a.yaml', ...(process.platform === 'win32' ? [] : ['alias.yaml']), 'b.yaml', 'c.yaml', 'sub/d.yaml'],
    );
    assert.deepEqual(all.messages, [`NetPol: ${join(root, 'large.yaml')}: 2 KB, over the 1 KB limit (setting netpol.maxFileSizeKB); not analysed.`]);
    // Each file is 51 bytes: two fit in 110.
    const capped = scanYamlFiles(root, { ...SCAN, maxTotalBytes: 110 });
    assert.equal(capped.files.length, 2);
    assert.ok(
      capped.messages.includes(`NetPol: more than 110 bytes of YAML files under ${root}; only the first 2 files (102 bytes) are analysed (setting netpol.maxTotalMB).`),
      capped.messages.join('\n'),
    );
  });

  test('a watched file is read only where the scan would read it', () => {
    assert.deepEqual(readWatchedFile(join(root, 'a.yaml'), [root], SCAN), { kind: 'text', text: NS('a') });
    assert.deepEqual(readWatchedFile(join(root, 'generated/e.yaml'), [root], SCAN), { kind: 'ignored' });
    assert.deepEqual(readWatchedFile(join(root, 'node_modules/f.yaml'), [root], SCAN), { kind: 'ignored' });
    assert.deepEqual(readWatchedFile(join(tmpdir(), 'elsewhere.yaml'), [root], SCAN), { kind: 'ignored' });
    assert.deepEqual(readWatchedFile(join(root, 'gone.yaml'), [root], SCAN), { kind: 'gone' });
    assert.deepEqual(readWatchedFile(join(root, 'binary.yaml'), [root], SCAN), { kind: 'gone' });
    assert.equal(readWatchedFile(join(root, 'large.yaml'), [root], SCAN).kind, 'skipped');
    if (process.platform !== 'win32') {
      assert.deepEqual(readWatchedFile(join(root, 'alias.yaml'), [root], SCAN), { kind: 'text', text: NS('a') });
      // The scan reads sub/d.yaml as itself, not again through the link to its folder.
      const viaLink = readWatchedFile(join(root, 'linked/d.yaml'), [root], SCAN);
      assert.equal(viaLink.kind, 'skipped');
    }
  });

  test('reads are capped whatever size the file system reports', { skip: process.platform !== 'linux' && 'procfs' }, () => {
    // procfs files report size 0 and hold more.
    const r = readRegularFile('/proc/self/status', 16);
    assert.deepEqual(r, { ok: false, kind: 'too-large', reason: 'larger than the 16 bytes limit' });
    const whole = readRegularFile('/proc/self/status', 1 << 20);
    assert.ok(whole.ok && whole.text.includes('Name:'));
  });
});
