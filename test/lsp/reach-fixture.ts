/**
 * The hover/code-lens/custom-request LSP tests' workspace (test/core/ide/hover/fixture.ts)
 * on disk, positions in it, and the real `netpol` CLI to compare with.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKSPACE } from '../core/ide/hover/fixture';
import { CLI } from '../helpers/paths';

export { CLI };

/** Writes the workspace into a new temporary directory. */
export function writeWorkspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(WORKSPACE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export const uriOf = (dir: string, path: string): string => pathToFileURL(join(dir, path)).toString();

/** The 0-based line and UTF-16 character of the `nth` `needle` in `text`, plus `delta`. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - (before.lastIndexOf('\n') + 1) };
}

/** Runs `netpol ARGS…` and returns its stdout (fails the test on a non-zero exit). */
export function netpol(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`netpol ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
