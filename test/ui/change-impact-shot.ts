/**
 * Screenshot of the change impact as a person gets it: the packaged .vsix installed into a
 * real VS Code (code-server), a copy of examples/ opened, shop/policies-backend.yaml opened
 * with Quick Open and edited by keyboard without saving, then the status-bar item and the
 * "NetPol Change Impact" view (through "NetPol: Show Change Impact") waited for, the closed
 * flow expanded to its responsible rule, and the window saved as a PNG.
 *
 *   node out/test/ui/change-impact-shot.js [out/artifacts/change-impact.png] [--package]
 *
 * Reuses netpol-studio.vsix when it exists (in `npm test` reachability-shot has just packaged
 * it); --package packages it first anyway. Prints `ui: N passed, N failed` like ui-check.
 *
 * The story: in examples/, policies-backend.yaml deliberately admits the frontend on the
 * backend's *Service* port 80 instead of its container port (9090, named `api`). The copy
 * starts from the fix its comment recommends (`port: api`) as the last saved text; the
 * unsaved edit then puts the mistake back (`port: 80`), which closes shop/frontend →
 * shop/backend on 9090, the port the backend Service routes to: a likely breakage the
 * extension must show before anything is saved.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Checks, failureScreenshot, installVsix, openEditor, packageVsix, type Page, QUIET_SETTINGS, ROOT, runCommand, VSIX } from './harness';

const VIEWPORT = { width: 1600, height: 1000 };

const POLICY_FILE = 'shop/policies-backend.yaml';
/** The policy's only port line (comments excluded): the Service port in examples/. */
const MISTAKE_LINE = /^( +)port: 80$/m;
const FIXED_PORT = 'api';
const MISTAKE_PORT = '80';
/** As `netpol diff` names the workloads (examples/shop/frontend.yaml, backend.yaml). */
const FLOW = 'shop/frontend[Deployment] → shop/backend[Deployment]';
const RESPONSIBLE = 'ingress[0] of shop/backend-allow-frontend admitted it before the edit';
/** U+2212, as the status bar writes it (client/src/views/change-impact/model.ts). */
const CLOSED_ONE = '\u22121 flow';

const checks = new Checks();

/** Escapes a literal for a RegExp (the flow label has brackets). */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How wide the side bar is made: the responsible rule's row fits without an ellipsis. */
const SIDEBAR_WIDTH = 760;

/**
 * The view starts as a short pane under the file tree in a narrow side bar, where the
 * expanded flow's rows are cut off or scrolled away. Collapse the file tree (the editor's
 * tab still names the file) and widen the side bar by dragging its edge, as a person would.
 */
async function makeRoomForTheView(page: Page): Promise<void> {
  const folders = page.locator('.pane:has(.explorer-folders-view) > .pane-header').first();
  await folders.click();
  await page.locator('.explorer-folders-view').first().waitFor({ state: 'hidden', timeout: 10_000 });
  const box = await page.locator('.part.sidebar').first().boundingBox();
  assert.ok(box, 'the side bar is shown');
  const edge = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(box.x + SIDEBAR_WIDTH, y, { steps: 10 });
  await page.mouse.up();
  // Off the sash and every hover target (the activity bar's empty middle), so no
  // tooltip or sash highlight ends up in the shot.
  await page.mouse.move(1, VIEWPORT.height / 2);
  const after = await page.locator('.part.sidebar').first().boundingBox();
  assert.ok(after && after.width > box.width, `the side bar widened (${box.width} → ${after?.width}px)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--'));
  const screenshot = resolve(positional[0] ?? join(ROOT, 'out/artifacts/change-impact.png'));

  if (args.includes('--package') || !existsSync(VSIX)) {
    await checks.check('the .vsix packages', packageVsix);
  }

  const work = mkdtempSync(join(tmpdir(), 'netpol-impact-shot-'));
  const extensionsDir = join(work, 'extensions');
  // A copy, so the edit can never reach the repository; it is outside git, so the baseline
  // is the last saved text.
  const folder = join(work, 'examples');
  /** How many lines the port line is above the last one (the policy is short: no scrolling). */
  let linesFromEnd = 0;
  try {
    await checks.check('the .vsix installs into VS Code (code-server)', () => {
      installVsix(extensionsDir);
    });

    await checks.check('a copy of examples/ saved with the backend policy fixed (the baseline)', () => {
      cpSync(join(ROOT, 'examples'), folder, { recursive: true });
      const file = join(folder, POLICY_FILE);
      const text = readFileSync(file, 'utf8');
      const match = MISTAKE_LINE.exec(text);
      assert.ok(match, `${POLICY_FILE} has a \`port: ${MISTAKE_PORT}\` line to fix`);
      writeFileSync(file, text.replace(MISTAKE_LINE, `$1port: ${FIXED_PORT}`));
      linesFromEnd = text.slice(match.index).split('\n').length - 1;
    });

    const editor = await openEditor({
      folder,
      extensionsDir,
      viewport: VIEWPORT,
      settings: {
        ...QUIET_SETTINGS,
        // code-server saves after a delay by default, which would make the edit the new
        // baseline and the impact vanish.
        'files.autoSave': 'off',
        // Typing the port would pop the port completions over the shot at an unknown moment.
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        // It would cover the policy's first lines once the file is scrolled.
        'editor.stickyScroll.enabled': false,
        // Room for the wide side bar: the policy then fits next to it.
        'editor.minimap.enabled': false,
      },
    });
    const { page } = editor;
    const failureShot = failureScreenshot(page, screenshot);
    try {
      // Each step needs the one before: after a failure the rest is skipped (the failure
      // screenshot shows where it stopped).
      await checks.check(`Quick Open opens ${POLICY_FILE}`, async () => {
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').first().waitFor({ timeout: 30_000 });
        await page.keyboard.type(POLICY_FILE);
        // policies-backend-egress.yaml matches the typed name too: wait for the exact file
        // and take it, whichever row the ranking put first.
        const name = POLICY_FILE.split('/').pop() ?? POLICY_FILE;
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(literal(name)) }).first();
        await row.waitFor({ timeout: 30_000 });
        await row.click();
        await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 30_000 });
        await page.locator('.monaco-editor .view-lines', { hasText: 'backend-allow-frontend' }).first().waitFor({ timeout: 30_000 });
      }, failureShot);

      if (checks.failed === 0) {
        await checks.check(`an unsaved edit (port: ${FIXED_PORT} → ${MISTAKE_PORT}) shows a closed, likely-breaking flow in the status bar`, async () => {
          // From the end of the file up to the port line: unlike Go to Line, which centres
          // the line, this leaves the whole policy in view.
          await page.keyboard.press('Control+End');
          for (let i = 0; i < linesFromEnd; i++) await page.keyboard.press('ArrowUp');
          // Select the port value (the last word of the line) and type over it, as a person would.
          await page.keyboard.press('End');
          await page.keyboard.press('Control+Shift+ArrowLeft');
          await page.keyboard.type(MISTAKE_PORT);
          await page.locator('.monaco-editor .view-line', { hasText: new RegExp(`^\\s*port:\\s${MISTAKE_PORT}\\s*$`) }).first().waitFor({ timeout: 10_000 });
          // The tab's dirty dot: the edit is pending, not saved.
          await page.locator('.tabs-container .tab.active.dirty').first().waitFor({ timeout: 10_000 });
          // `$(warning)` is rendered as a codicon element inside the item.
          const item = page.locator('.statusbar-item:has(.codicon-warning)', { hasText: CLOSED_ONE }).first();
          await item.waitFor({ timeout: 60_000 });
          const text = (await item.allInnerTexts()).join(' ').trim();
          assert.match(text, new RegExp(`${CLOSED_ONE}$`), `the status-bar item: ${text}`);
          console.log(`     status bar: ${text}`);
          // The code lens above the changed policy says the same; it comes with the editor's
          // next code lens request, after the status bar.
          const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'changed vs last saved' }).first();
          await lens.waitFor({ timeout: 30_000 });
          console.log(`     code lens: ${(await lens.allInnerTexts()).join(' ').replace(/\s+/g, ' ').trim()}`);
        }, failureShot);
      }

      if (checks.failed === 0) {
        await checks.check('"NetPol: Show Change Impact" lists the closed flow and the rule that admitted it', async () => {
          await makeRoomForTheView(page);
          await runCommand(page, 'NetPol: Show Change Impact', 60_000);
          const pane = '.pane:has(.pane-header:has-text("NetPol Change Impact"))';
          const rows = `${pane} .monaco-list-row`;
          await page.locator(rows, { hasText: /^Closed flows \(1\)/ }).first().waitFor({ timeout: 30_000 });
          // The closed side of the flow: it lost 9090 (its opened side, on 80, is listed too).
          const closedFlow = new RegExp(`${literal(FLOW)}.*TCP 9090`);
          await page.locator(rows, { hasText: closedFlow }).first().waitFor({ timeout: 30_000 });
          // The command focused the tree: walk it by keyboard to the closed flow and expand it
          // (a click would leave the mouse there and its tooltip over the shot).
          await page.keyboard.press('Home');
          const focused = page.locator(`${rows}.focused`).first();
          for (let i = 0; ; i++) {
            await focused.waitFor({ timeout: 10_000 });
            const text = (await focused.allInnerTexts()).join(' ');
            if (closedFlow.test(text.replace(/\s+/g, ' '))) break;
            assert.ok(i < 20, `no closed flow row reached by keyboard; rows:\n${(await page.locator(rows).allInnerTexts()).join('\n')}`);
            await page.keyboard.press('ArrowDown');
          }
          await page.keyboard.press('ArrowRight');
          await page.locator(rows, { hasText: RESPONSIBLE }).first().waitFor({ timeout: 10_000 });
          const shown = (await page.locator(rows).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
          console.log(`     view: ${shown.join(' | ')}`);
          mkdirSync(dirname(screenshot), { recursive: true });
          await page.screenshot({ path: screenshot });
          console.log(`     screenshot: ${screenshot}`);
        }, failureShot);
      }
    } finally {
      await editor.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

checks.run('change-impact-shot', main);
