// Runs the extension tests inside a real VS Code on throwaway copies of the fixture
// workspace and of examples/: the tests edit files and settings (VS Code may save them), and the
// repository's fixtures must stay as committed.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'netpol-editor-ws-'));
/** One VS Code session on a copy of `source`; `env` says which test files run (test/editor/index.ts). */
function session(source, name, env) {
  const workspace = join(work, name);
  cpSync(join(ROOT, source), workspace, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts/editor/run-extension-tests.js'), '--extension', ROOT, '--tests', join(ROOT, 'out/test/editor/index.js'), '--workspace', workspace],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return r.status ?? 1;
}
// The fixture workspace, then the examples/ workspace (what `npm start` opens).
let status = session('test/fixtures/editor-ws', 'editor-ws', { NETPOL_EDITOR_WORKSPACE: '' });
if (status === 0) status = session('examples', 'examples', { NETPOL_EDITOR_WORKSPACE: 'examples' });
rmSync(work, { recursive: true, force: true });
process.exit(status);
