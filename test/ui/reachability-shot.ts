/**
 * Screenshot of the reachability view as a person gets it: the packaged .vsix installed
 * into a real VS Code (code-server), examples/ opened, "NetPol: Show Reachability" run
 * from the command palette with "Whole workspace" picked, the webview's matrix waited
 * for, and the window saved as a PNG; then a connection of the matrix clicked and its
 * explanation waited for beside it (explain.png next to the first shot), and Export › CSV
 * clicked (the server's text in a new document). Both pages are
 * built by their scripts from dist/media/, loaded under the webviews' Content-Security-
 * Policy: a violation the browser reports fails the run.
 *
 *   node out/test/ui/reachability-shot.js [out/artifacts/reachability.png] [--graph] [--no-package]
 *
 * --graph switches the view to the graph before the shot; --no-package reuses an existing
 * netpol-studio.vsix. Prints `ui: N passed, N failed` like ui-check.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Checks, failureScreenshot, installVsix, openEditor, packageVsix, QUIET_SETTINGS, ROOT, runCommand, VSIX } from './harness';

const checks = new Checks();

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--'));
  const screenshot = resolve(positional[0] ?? join(ROOT, 'out/artifacts/reachability.png'));
  const graph = args.includes('--graph');

  if (!args.includes('--no-package') || !existsSync(VSIX)) {
    await checks.check('the .vsix packages', packageVsix);
  }

  const work = mkdtempSync(join(tmpdir(), 'netpol-reach-shot-'));
  const extensionsDir = join(work, 'extensions');
  await checks.check('the .vsix installs into VS Code (code-server)', () => {
    installVsix(extensionsDir);
  });

  const editor = await openEditor({
    folder: join(ROOT, 'examples'),
    extensionsDir,
    viewport: { width: 1600, height: 1000 },
    settings: QUIET_SETTINGS,
  });
  try {
    const { page } = editor;
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply)/i.test(m.text())) violations.push(m.text());
    });
    await checks.check('"NetPol: Show Reachability" from the command palette opens the matrix', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      await runCommand(page, 'NetPol: Show Reachability', 90_000);
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
    }, failureScreenshot(page, screenshot));

    const explainShot = join(dirname(screenshot), 'explain.png');
    await checks.check('a click on a connection opens its explanation beside, built by the explain page\'s script', async () => {
      const view = page.frameLocator('iframe.webview').nth(0).frameLocator('#active-frame');
      if (graph) await view.locator('button[data-view="matrix"]').first().click();
      await view.locator('td.cell.allowed[data-explain-from="shop/frontend[Deployment]"][data-explain-to="shop/backend[Deployment]"]').first().click();
      // The second webview (the explain panel beside the matrix).
      const explain = page.frameLocator('iframe.webview').nth(1).frameLocator('#active-frame');
      await explain.locator('h1.verdict').first().waitFor({ timeout: 30_000 });
      const verdict = (await explain.locator('h1.verdict').allInnerTexts()).join(' ');
      assert.match(verdict, /Allowed|Denied/, `the verdict: ${verdict}`);
      assert.ok((await explain.locator('section.side').count()) === 2, 'the egress and the ingress side');
      await page.screenshot({ path: explainShot });
      console.log(`     ${verdict.replace(/\s+/g, ' ').trim()}; screenshot: ${explainShot}`);
    }, failureScreenshot(page, explainShot));

    await checks.check('Export › CSV opens the shown connections as the server writes them (netpol/export)', async () => {
      const view = page.frameLocator('iframe.webview').nth(0).frameLocator('#active-frame');
      await view.locator('button[data-export="csv"]').first().click();
      const csv = page.locator('.monaco-editor .view-lines', { hasText: 'src,dst,conn' }).first();
      await csv.waitFor({ timeout: 30_000 });
      const lines = (await csv.allInnerTexts()).join('\n');
      assert.match(lines, /^src,dst,conn\s+\S+,\S+,/, `the document: ${lines.slice(0, 200)}`);
    }, failureScreenshot(page, join(dirname(screenshot), 'export.png')));

    await checks.check('the webviews load their scripts and styles under the Content-Security-Policy (no violation reported)', () => {
      assert.deepEqual(violations, [], 'console messages about the Content-Security-Policy');
    });
  } finally {
    await editor.close();
    rmSync(work, { recursive: true, force: true });
  }
}

checks.run('reachability-shot', main);
