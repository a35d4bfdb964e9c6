#!/usr/bin/env node
/*
 * Runs an extension's mocha suite inside a real VS Code (code-server 4.100.3 + headless chromium) via
 * @vscode/test-electron's runTests({ vscodeExecutablePath: code-launcher.js }).
 *
 *   node scripts/editor/run-extension-tests.js \
 *     --extension .  --tests out/test/editor/index.js  [--workspace examples]  [--install]
 *
 * --extension  extensionDevelopmentPath (folder with the extension's package.json), default .
 * --tests      extensionTestsPath: module exporting run(): Promise<void> (see README.md), required
 * --workspace  folder (or .code-workspace) to open, optional
 * --install    run install-code-server.sh first (a ~0.2 s no-op once installed)
 * Exit code: 0 when the tests pass, the tests' exit code otherwise (124 = NETPOL_EDITOR_TIMEOUT_MS hit).
 * @vscode/test-electron is resolved from the current folder, then from the repository.
 */
'use strict';

const cp = require('child_process');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');

function parse(argv) {
  const o = { extension: '.', tests: '', workspace: '', install: false };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s);
    const val = () => (inline !== undefined ? inline : argv[++i]);
    if (k === '--extension') o.extension = val();
    else if (k === '--tests') o.tests = val();
    else if (k === '--workspace') o.workspace = val();
    else if (k === '--install') o.install = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!o.tests) throw new Error('--tests <extensionTestsPath> is required');
  return o;
}

async function main() {
  const o = parse(process.argv.slice(2));
  if (o.install) {
    const r = cp.spawnSync('bash', [path.join(__dirname, 'install-code-server.sh')], { stdio: 'inherit' });
    if (r.status !== 0) return r.status || 1;
  }
  let testElectron;
  try {
    testElectron = require(require.resolve('@vscode/test-electron', { paths: [process.cwd(), REPO] }));
  } catch {
    console.error('run-extension-tests: @vscode/test-electron is not installed (npm install --save-dev @vscode/test-electron@2.5.2)');
    return 2;
  }
  const t0 = Date.now();
  try {
    await testElectron.runTests({
      vscodeExecutablePath: path.join(__dirname, 'code-launcher.js'),
      extensionDevelopmentPath: path.resolve(o.extension),
      extensionTestsPath: path.resolve(o.tests),
      launchArgs: o.workspace ? [path.resolve(o.workspace)] : [],
    });
    console.log(`run-extension-tests: passed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return 0;
  } catch (e) {
    console.error(`run-extension-tests: ${e.message} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    return typeof e.code === 'number' && e.code !== 0 ? e.code : 1;
  }
}

main().then((code) => process.exit(code), (e) => { console.error(`run-extension-tests: ${e.message}`); process.exit(2); });
