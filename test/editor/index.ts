/**
 * Entry point of the tests that run inside the VS Code extension host (loaded by
 * @vscode/test-electron's runTests, here driving code-server). Prints a plain closing
 * line `editor: N passed, N failed` that CI recognises.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  // NETPOL_EDITOR_ONLY=cluster runs only the test files whose name holds it (while working; npm test runs all).
  const only = process.env.NETPOL_EDITOR_ONLY;
  // `examples-*` files run in the session on the examples/ workspace, the others on the fixture workspace.
  const examples = process.env.NETPOL_EDITOR_WORKSPACE === 'examples';
  const files = readdirSync(__dirname).filter((n) => n.endsWith('.test.js') && n.startsWith('examples-') === examples && (!only || n.includes(only)));
  for (const f of files.sort()) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`editor: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
  });
}
