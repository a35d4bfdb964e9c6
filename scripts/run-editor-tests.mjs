// Runs the extension tests inside a real VS Code on a throwaway copy of the fixture
// workspace: the tests edit files and settings (VS Code may save them), and the
// repository's fixtures must stay as committed.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'netpol-editor-ws-'));
const workspace = join(work, 'editor-ws');
cpSync(join(ROOT, 'test/fixtures/editor-ws'), workspace, { recursive: true });
const r = spawnSync(
  process.execPath,
  [join(ROOT, 'scripts/editor/run-extension-tests.js'), '--extension', ROOT, '--tests', join(ROOT, 'out/test/editor/index.js'), '--workspace', workspace],
  { stdio: 'inherit' },
);
rmSync(work, { recursive: true, force: true });
process.exit(r.status ?? 1);
