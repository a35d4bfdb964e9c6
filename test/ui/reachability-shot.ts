/**
 * Screenshot of the reachability view as a person gets it: the packaged .vsix installed
 * into a real VS Code (code-server), examples/ opened, "NetPol: Show Reachability" run
 * from the command palette with "Whole workspace" picked, the webview's matrix waited
 * for, and the window saved as a PNG.
 *
 *   node out/test/ui/reachability-shot.js [out/artifacts/reachability.png] [--graph] [--no-package]
 *
 * --graph switches the view to the graph before the shot; --no-package reuses an existing
 * netpol-studio.vsix. Prints `ui: N passed, N failed` like ui-check.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const LAUNCHER = join(ROOT, 'scripts/editor/code-launcher.js');
const VSIX = join(ROOT, 'netpol-studio.vsix');

interface Locator {
  click(): Promise<void>;
  first(): Locator;
  waitFor(o?: { timeout?: number; state?: 'attached' | 'visible' }): Promise<void>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
}
interface FrameLocator {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
}
interface Page {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay?: number }): Promise<void> };
  screenshot(o: { path: string }): Promise<void>;
}
interface Launcher {
  openEditor(o: { folder: string; extensionsDir: string; settings?: Record<string, unknown>; viewport?: { width: number; height: number } }): Promise<{ page: Page; close(): Promise<void> }>;
}

let passed = 0;
let failed = 0;
async function check(name: string, body: () => Promise<void> | void, onFailure?: () => Promise<void>): Promise<void> {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${(e as Error).message.split('\n').join('\n     ')}`);
    await onFailure?.();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--'));
  const screenshot = resolve(positional[0] ?? join(ROOT, 'out/artifacts/reachability.png'));
  const graph = args.includes('--graph');

  if (!args.includes('--no-package') || !existsSync(VSIX)) {
    await check('the .vsix packages', () => {
      const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    });
  }

  const work = mkdtempSync(join(tmpdir(), 'netpol-reach-shot-'));
  const extensionsDir = join(work, 'extensions');
  await check('the .vsix installs into VS Code (code-server)', () => {
    const r = spawnSync(process.execPath, [LAUNCHER, '--install-extension', VSIX, '--extensions-dir', extensionsDir], { encoding: 'utf8' });
    assert.equal(r.status, 0, `install failed:\n${r.stdout}\n${r.stderr}`);
  });

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const launcher = require(LAUNCHER) as Launcher;
  const editor = await launcher.openEditor({
    folder: join(ROOT, 'examples'),
    extensionsDir,
    viewport: { width: 1600, height: 1000 },
    settings: {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'git.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
    },
  });
  try {
    const { page } = editor;
    await check('"NetPol: Show Reachability" from the command palette opens the matrix', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      // The palette lists the command once the extension host has scanned the installed
      // extensions (before activation), a few seconds after the workbench shows: retry.
      const deadline = Date.now() + 90_000;
      for (;;) {
        await page.keyboard.press('F1');
        await page.locator('.quick-input-widget input').first().waitFor({ timeout: 30_000 });
        await page.keyboard.type('NetPol: Show Reachability');
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'NetPol: Show Reachability' }).first();
        try {
          await row.waitFor({ timeout: 5_000 });
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await page.keyboard.press('Escape');
        }
      }
      await page.keyboard.press('Enter');
      // The extension activates, asks the server for the namespaces, then offers the scopes.
      const whole = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Whole workspace' }).first();
      await whole.waitFor({ timeout: 60_000 });
      await whole.click();
      // Webviews are an iframe (.webview) holding the page's iframe (#active-frame).
      await page.locator('iframe.webview').first().waitFor({ timeout: 30_000 });
      const view = page.frameLocator('iframe.webview').frameLocator('#active-frame');
      await view.locator('table.matrix').first().waitFor({ timeout: 60_000 });
      const summary = (await view.locator('.summary').allInnerTexts()).join(' ');
      assert.match(summary, /\d+ connections? .*between \d+ endpoints?/, `the summary line: ${summary}`);
      const rows = await view.locator('table.matrix tbody tr').count();
      assert.ok(rows > 0, 'the matrix has rows');
      console.log(`     ${summary.split('.')[0]}; ${rows} matrix rows`);
      if (graph) {
        await view.locator('button[data-view="graph"]').first().click();
        await view.locator('svg.graph .node').first().waitFor({ state: 'visible', timeout: 10_000 });
      }
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
      console.log(`     screenshot: ${screenshot}`);
    }, async () => {
      // What the window showed when it went wrong.
      const failure = screenshot.replace(/(\.png)?$/, '.failure.png');
      mkdirSync(dirname(failure), { recursive: true });
      await page.screenshot({ path: failure }).catch(() => undefined);
      console.log(`     failure screenshot: ${failure}`);
    });
  } finally {
    await editor.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`FAIL reachability-shot crashed: ${(e as Error).stack ?? e}`);
  })
  .finally(() => {
    console.log(`ui: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
