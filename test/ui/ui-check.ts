/**
 * What a person sees: the packaged .vsix installed into a real VS Code (code-server),
 * the examples/ workspace opened, a file with mistakes opened, the squiggle and the
 * Problems panel row present, and a screenshot saved. Also checks the .vsix contents.
 *
 *   node out/test/ui/ui-check.js [--screenshot docs/images/problems.png]
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { zipEntries } from './zip-entries';

const ROOT = resolve(__dirname, '../../..');
const LAUNCHER = join(ROOT, 'scripts/editor/code-launcher.js');
const VSIX = join(ROOT, 'netpol-studio.vsix');

interface Locator {
  click(): Promise<void>;
  first(): Locator;
  waitFor(o?: { timeout?: number }): Promise<void>;
  allInnerTexts(): Promise<string[]>;
}
interface Page {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void> };
  screenshot(o: { path: string }): Promise<void>;
}
interface Launcher {
  openEditor(o: { folder: string; extensionsDir: string; settings?: Record<string, unknown> }): Promise<{ page: Page; close(): Promise<void> }>;
}

let passed = 0;
let failed = 0;
async function check(name: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${(e as Error).message.split('\n').join('\n     ')}`);
  }
}

function packageVsix(): void {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
}

async function main(): Promise<void> {
  const shotArg = process.argv.indexOf('--screenshot');
  const screenshot = resolve(shotArg > 0 ? process.argv[shotArg + 1] : join(ROOT, 'out/artifacts/problems.png'));

  await check('the .vsix packages offline and ships only what runs', () => {
    packageVsix();
    const names = zipEntries(VSIX).map((e) => e.name);
    for (const must of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/changelog.md', 'extension/images/icon.png', 'extension/docs/rules/invalid-port.md']) {
      assert.ok(names.includes(must), `${must} is in the .vsix`);
    }
    const forbidden = names.filter((n) => /node_modules\/|\.ts$|\.map$|^extension\/(server|client|test|scripts|examples|out)\//.test(n));
    assert.deepEqual(forbidden, [], 'no node_modules, sources, source maps, tests or scripts');
    const size = statSync(VSIX).size;
    assert.ok(size < 1_500_000, `the .vsix is small (${size} bytes)`);
    console.log(`     ${names.length} files, ${Math.round(size / 1024)} KB`);
  });

  const work = mkdtempSync(join(tmpdir(), 'netpol-ui-'));
  const extensionsDir = join(work, 'extensions');
  await check('the .vsix installs into VS Code (code-server)', () => {
    const r = spawnSync(process.execPath, [LAUNCHER, '--install-extension', VSIX, '--extensions-dir', extensionsDir], { encoding: 'utf8' });
    assert.equal(r.status, 0, `install failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout + r.stderr, /netpol-studio/);
  });

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const launcher = require(LAUNCHER) as Launcher;
  const editor = await launcher.openEditor({
    folder: join(ROOT, 'examples'),
    extensionsDir,
    settings: {
      'editor.stickyScroll.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'git.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
    },
  });
  try {
    const { page } = editor;
    await check('opening a policy with mistakes shows squiggles and Problems rows', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^shop$/ }).click();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken-policy.yaml' }).click();
      await page.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 30_000 });
      const rows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).join('\n');
      assert.match(rows, /invalid-protocol/, `a Problems row names the rule:\n${rows}`);
      assert.match(rows, /Unsupported protocol "tcp"/);
      // Reveal the offending line so the screenshot shows the squiggle next to the row.
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'invalid-protocol' }).click();
      await page.locator('.view-line .squiggly-error, .squiggly-error').first().waitFor();
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
      console.log(`     screenshot: ${screenshot}`);
    });
  } finally {
    await editor.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main()
  .catch((e) => {
    failed++;
    console.log(`FAIL ui-check crashed: ${(e as Error).stack ?? e}`);
  })
  .finally(() => {
    console.log(`ui: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
