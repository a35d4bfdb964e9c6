import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { SourceFile } from '../core/manifest/load';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Directories never worth scanning for manifests. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export class InputError extends Error {}

export interface ReadOptions {
  /** Files larger than this are refused with a message instead of being parsed. */
  readonly maxFileBytes?: number;
}

export interface ReadResult {
  readonly files: SourceFile[];
  /** Files that could not be read (reported, not fatal). */
  readonly problems: { path: string; message: string }[];
}

/**
 * Reads the given files, and recursively the manifests (*.yaml, *.yml, *.json) of the
 * given directories, in a stable (sorted) order. A missing path is an InputError.
 */
export function readManifestFiles(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  const maxBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  const files: SourceFile[] = [];
  const problems: { path: string; message: string }[] = [];
  const visit = (path: string, explicit: boolean) => {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      if (explicit) throw new InputError(`${path}: no such file or directory`);
      problems.push({ path, message: errorText(e) });
      return;
    }
    if (st.isDirectory()) {
      let entries: string[];
      try {
        entries = readdirSync(path).sort();
      } catch (e) {
        problems.push({ path, message: errorText(e) });
        return;
      }
      for (const name of entries) {
        if (SKIP_DIRS.has(name)) continue;
        const child = join(path, name);
        const isDir = safeIsDir(child);
        if (isDir || MANIFEST_EXTENSIONS.includes(extname(name).toLowerCase())) visit(child, false);
      }
      return;
    }
    if (st.size > maxBytes) {
      problems.push({ path, message: `file is ${Math.round(st.size / 1048576)} MB, larger than the ${Math.round(maxBytes / 1048576)} MB limit: skipped` });
      return;
    }
    try {
      const buf = readFileSync(path);
      if (looksBinary(buf)) {
        problems.push({ path, message: 'binary file: skipped' });
        return;
      }
      files.push({ path, text: buf.toString('utf8') });
    } catch (e) {
      problems.push({ path, message: errorText(e) });
    }
  };
  for (const p of paths) visit(p, true);
  return { files, problems };
}

function safeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A NUL byte in the first 8 KB: no YAML or JSON text has one. */
function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'ENOENT') return 'no such file or directory';
  return err.message ?? String(e);
}
