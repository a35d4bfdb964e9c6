import { extname } from 'node:path';
import type { SourceFile } from '../core';
import { classifyNamed, readInto, ReadBudget, sizeText, walkDirectory, type FileLimits, type ReadFilesResult } from './safe-read';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Directories never worth scanning for manifests. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * What one CLI run reads at most. Past the file or total bound the run stops with a
 * message (exit 2) rather than analyse part of what it was asked to.
 */
export const CLI_LIMITS: FileLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxFiles: 100_000,
  maxTotalBytes: 512 * 1024 * 1024,
};

export class InputError extends Error {}

export type ReadOptions = Partial<FileLimits>;

export interface ReadResult {
  readonly files: SourceFile[];
  /** Files that could not be read (reported, not fatal). */
  readonly problems: { path: string; message: string }[];
}

/**
 * Reads the given files, and recursively the manifests (*.yaml, *.yml, *.json) of the
 * given directories, in a stable (sorted) order, through the safe reader: regular files
 * only, links followed only inside the directory argument they were found in (a file
 * argument that is a link is read when it ends at a regular file). A missing path, or a
 * named path that is not a regular file or directory, is an InputError; so is a run past
 * its bounds.
 */
export function readManifestFiles(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  const budget = new ReadBudget({ ...CLI_LIMITS, ...options });
  const out: ReadFilesResult = { files: [], skipped: [] };
  const walk = {
    skipDir: (name: string) => SKIP_DIRS.has(name),
    // (`Kustomization`, without an extension, is one of kustomize's kustomization file names.)
    accept: (name: string) => MANIFEST_EXTENSIONS.includes(extname(name).toLowerCase()) || name === 'Kustomization',
  };
  for (const path of paths) {
    const e = classifyNamed(path);
    if (e.kind === 'none') throw new InputError(`${path}: no such file or directory`);
    if (e.kind === 'skip') throw new InputError(`${path}: ${e.skip.reason}; give a regular file or a directory`);
    if (e.kind === 'dir') walkDirectory(path, walk, budget, out);
    else readInto(path, e.path, budget, out);
    if (budget.stopped) throw new InputError(limitMessage(budget));
  }
  return {
    files: out.files,
    // (The CLI's flags that raise the bounds: cli/config.ts, readBounds.)
    problems: out.skipped.map((s) => ({ path: s.path, message: s.kind === 'too-large' ? `${s.reason} (--max-file-mb): skipped` : `${s.reason}: skipped` })),
  };
}

function limitMessage(budget: ReadBudget): string {
  const { maxFiles, maxTotalBytes } = budget.limits;
  return budget.stopped === 'files'
    ? `more than ${maxFiles} manifest files under the given paths (the most one run reads): give narrower paths`
    : `more than ${sizeText(maxTotalBytes)} of manifests under the given paths (the most one run reads; --max-total-mb raises it): give narrower paths`;
}
