/**
 * What the UI scripts (ui-check, reachability-shot, change-impact-shot) share: where the
 * repository, the launcher and the .vsix are, the part of Playwright they drive, the
 * `ok` / `FAIL` lines with the closing `ui: N passed, N failed`, packaging and installing
 * the .vsix, and a few workbench steps.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const LAUNCHER = join(ROOT, 'scripts/editor/code-launcher.js');
export const VSIX = join(ROOT, 'netpol-studio.vsix');

export interface Locator {
  click(): Promise<void>;
  first(): Locator;
  locator(selector: string): Locator;
  waitFor(o?: { timeout?: number; state?: 'attached' | 'detached' | 'visible' | 'hidden' }): Promise<void>;
  allInnerTexts(): Promise<string[]>;
  count(): Promise<number>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
}
export interface FrameLocator {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
  nth(index: number): FrameLocator;
}
export interface Page {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
  mouse: { move(x: number, y: number, o?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay?: number }): Promise<void> };
  screenshot(o: { path: string }): Promise<void>;
  /** Console messages of the workbench and of its frames (webviews included). */
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
}
export interface Editor {
  page: Page;
  close(): Promise<void>;
}
interface Launcher {
  openEditor(o: { folder: string; extensionsDir: string; settings?: Record<string, unknown>; viewport?: { width: number; height: number } }): Promise<Editor>;
}

/** Counts the checks and prints a line each, then the summary the scripts end with. */
export class Checks {
  passed = 0;
  failed = 0;

  async check(name: string, body: () => Promise<void> | void, onFailure?: () => Promise<void>): Promise<void> {
    try {
      await body();
      this.passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      this.failed++;
      console.log(`FAIL ${name}\n     ${(e as Error).message.split('\n').join('\n     ')}`);
      await onFailure?.();
    }
  }

  /** Runs the script's main; a crash counts as a failure. Sets the exit code. */
  run(script: string, main: () => Promise<void>): void {
    main()
      .catch((e) => {
        this.failed++;
        console.log(`FAIL ${script} crashed: ${(e as Error).stack ?? e}`);
      })
      .finally(() => {
        console.log(`ui: ${this.passed} passed, ${this.failed} failed`);
        process.exitCode = this.failed > 0 ? 1 : 0;
      });
  }
}

/** Builds and packages netpol-studio.vsix (`npm run package`). */
export function packageVsix(): void {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
}

/** Installs the .vsix into extensionsDir with code-server; returns what it printed. */
export function installVsix(extensionsDir: string): string {
  const r = spawnSync(process.execPath, [LAUNCHER, '--install-extension', VSIX, '--extensions-dir', extensionsDir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `install failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/** Settings every script starts the workbench with. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Opens code-server's workbench on folder in a browser (scripts/editor/code-launcher.js). */
export function openEditor(o: { folder: string; extensionsDir: string; settings?: Record<string, unknown>; viewport?: { width: number; height: number } }): Promise<Editor> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const launcher = require(LAUNCHER) as Launcher;
  return launcher.openEditor(o);
}

/**
 * Runs a palette command. The palette lists an extension's commands once the extension
 * host has scanned the installed extensions (before activation), which can lag a few
 * seconds behind the workbench: retry until the deadline.
 */
export async function runCommand(page: Page, title: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').first().waitFor({ timeout: 30_000 });
    await page.keyboard.type(title);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** A check's onFailure: saves what the window showed when it went wrong, next to screenshot. */
export function failureScreenshot(page: Page, screenshot: string): () => Promise<void> {
  return async () => {
    const failure = screenshot.replace(/(\.png)?$/, '.failure.png');
    mkdirSync(dirname(failure), { recursive: true });
    await page.screenshot({ path: failure }).catch(() => undefined);
    console.log(`     failure screenshot: ${failure}`);
  };
}
