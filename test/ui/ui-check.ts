/**
 * What a person sees: the packaged .vsix installed into a real VS Code (code-server),
 * the examples/ workspace opened, a file with mistakes opened, the squiggle and the
 * Problems panel row present, and a screenshot saved. Also checks the .vsix contents.
 *
 *   node out/test/ui/ui-check.js [--screenshot docs/images/problems.png]
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Checks, installVsix, openEditor, packageVsix, QUIET_SETTINGS, ROOT, VSIX } from './harness';
import { zipEntries } from './zip-entries';

const checks = new Checks();

async function main(): Promise<void> {
  const shotArg = process.argv.indexOf('--screenshot');
  const screenshot = resolve(shotArg > 0 ? process.argv[shotArg + 1] : join(ROOT, 'out/artifacts/problems.png'));

  await checks.check('the .vsix packages offline and ships only what runs', () => {
    packageVsix();
    const names = zipEntries(VSIX).map((e) => e.name);
    for (const must of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/changelog.md', 'extension/images/icon.png', 'extension/docs/rules/invalid-port.md', 'extension/dist/media/reachability/main.js', 'extension/dist/media/reachability/view.css', 'extension/dist/media/explain/main.js', 'extension/dist/media/explain/view.css']) {
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
  await checks.check('the .vsix installs into VS Code (code-server)', () => {
    assert.match(installVsix(extensionsDir), /netpol-studio/);
  });

  const editor = await openEditor({
    folder: join(ROOT, 'examples'),
    extensionsDir,
    settings: {
      'editor.stickyScroll.enabled': false,
      ...QUIET_SETTINGS,
    },
  });
  try {
    const { page } = editor;
    await checks.check('opening a policy with mistakes shows squiggles and Problems rows', async () => {
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

checks.run('ui-check', main);
