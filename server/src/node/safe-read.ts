/**
 * The one way NetPol reads files from disk: the CLI's paths, the server's first scan and
 * its watched files all come through here. A workspace is input like any other, so:
 *
 * - only regular files are opened: a FIFO named `x.yaml` would block the read for good, a
 *   device (`/dev/zero`) never ends, `/dev/stdin` is the server's own protocol input;
 * - a symbolic link is followed only when its target stays inside the root being read
 *   (the workspace folder, or the path the CLI was given): a link never takes the
 *   analysis out of the folder the user opened;
 * - each directory is entered once (by device and inode): two links to `.` would
 *   otherwise make the walk exponential;
 * - a file is opened without following a link and without blocking, checked again on the
 *   open descriptor (the path may have been swapped since it was listed), and read up to
 *   the size limit only: the size the file system reports is never trusted on its own;
 * - the number of files and the total bytes of one run are bounded.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, sep } from 'node:path';

export interface FileLimits {
  /** A file larger than this is skipped (with a note). */
  readonly maxFileBytes: number;
  /** At most this many files are read in one run. */
  readonly maxFiles: number;
  /** At most this many bytes in all, in one run. */
  readonly maxTotalBytes: number;
}

/** Why a file was not read. */
export type SkipKind = 'not-regular' | 'outside-root' | 'too-large' | 'binary' | 'unreadable';

export interface Skipped {
  readonly path: string;
  readonly kind: SkipKind;
  /** For the user: `a FIFO, not a regular file`, `4 MB, over the 1 MB limit`, … */
  readonly reason: string;
}

export type ReadOutcome = { readonly ok: true; readonly text: string; readonly bytes: number } | { readonly ok: false; readonly kind: SkipKind; readonly reason: string };

/** What one run has used of its limits; shared by the roots of one run. */
export class ReadBudget {
  files = 0;
  bytes = 0;
  /** Set when a limit stopped the run: which one. */
  stopped: 'files' | 'bytes' | undefined;
  constructor(readonly limits: FileLimits) {}

  /** Counts a file of `bytes`; false (and `stopped` set) when it does not fit any more. */
  take(bytes: number): boolean {
    if (this.files + 1 > this.limits.maxFiles) this.stopped = 'files';
    else if (this.bytes + bytes > this.limits.maxTotalBytes) this.stopped = 'bytes';
    if (this.stopped) return false;
    this.files++;
    this.bytes += bytes;
    return true;
  }
}

// Absent on Windows: there a name never opens a FIFO or a device by accident of a link.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0) | (constants.O_NOCTTY ?? 0);
const BINARY_PROBE = 8192;

/** A NUL byte in the first 8 KB: no YAML or JSON text has one. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, BINARY_PROBE).includes(0);
}

/**
 * Reads a regular file of at most `maxBytes`. `path` must not be a link (it is opened with
 * O_NOFOLLOW): resolve links first and pass their target. The descriptor is checked with
 * fstat (a regular file, not too large) and read with a cap, whatever size it claims.
 */
export function readRegularFile(path: string, maxBytes: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    return { ok: false, kind: 'unreadable', reason: errorText(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, kind: 'not-regular', reason: `${typeName(st)}, not a regular file` };
    if (st.size > maxBytes) return { ok: false, kind: 'too-large', reason: tooLarge(st.size, maxBytes) };
    // One byte more than allowed tells a file that grew (or lied about its size) from one that fits.
    let buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        if (length > maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return { ok: false, kind: 'too-large', reason: tooLarge(length, maxBytes, true) };
    const content = buf.subarray(0, length);
    if (looksBinary(content)) return { ok: false, kind: 'binary', reason: 'binary file' };
    return { ok: true, text: content.toString('utf8'), bytes: length };
  } catch (e) {
    return { ok: false, kind: 'unreadable', reason: errorText(e) };
  } finally {
    closeSync(fd);
  }
}

/** The canonical path (links resolved), or undefined when it does not resolve. */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** True when the real path `path` is `root` or below it (both canonical). */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return process.platform === 'win32' ? path.toLowerCase().startsWith(prefix.toLowerCase()) : path.startsWith(prefix);
}

/** What an entry is, links resolved within the root. */
type Entry = { kind: 'dir' | 'file'; path: string; stats: Stats } | { kind: 'skip'; skip: Omit<Skipped, 'path'> } | { kind: 'gone' };

/**
 * Looks at `path` without following a link out of `rootReal`: a directory, a regular file
 * (with the path to open: the link's target for a link), or why neither.
 */
function classify(path: string, rootReal: string): Entry {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return { kind: 'gone' };
  }
  if (st.isDirectory()) return { kind: 'dir', path, stats: st };
  if (st.isFile()) return { kind: 'file', path, stats: st };
  if (!st.isSymbolicLink()) return { kind: 'skip', skip: { kind: 'not-regular', reason: `${typeName(st)}, not a regular file` } };
  const target = realPath(path);
  if (target === undefined) return { kind: 'skip', skip: { kind: 'unreadable', reason: 'a broken or looping link' } };
  if (!isInside(rootReal, target)) return { kind: 'skip', skip: { kind: 'outside-root', reason: `a link to ${target}, outside ${rootReal}` } };
  let tst: Stats;
  try {
    tst = statSync(target);
  } catch (e) {
    return { kind: 'skip', skip: { kind: 'unreadable', reason: errorText(e) } };
  }
  if (tst.isDirectory()) return { kind: 'dir', path: target, stats: tst };
  if (tst.isFile()) return { kind: 'file', path: target, stats: tst };
  return { kind: 'skip', skip: { kind: 'not-regular', reason: `a link to ${typeName(tst)}, not a regular file` } };
}

export interface WalkOptions {
  /** Directories not entered (by name and path; e.g. `node_modules`, excluded globs). */
  readonly skipDir: (name: string, path: string) => boolean;
  /** Files worth reading (by name and path; e.g. `*.yaml`). Others are never opened. */
  readonly accept: (name: string, path: string) => boolean;
}

export interface ReadFilesResult {
  readonly files: { path: string; text: string }[];
  readonly skipped: Skipped[];
}

/**
 * Reads the accepted files under the directory `root`, in sorted order, into `out`; stops
 * when the budget is spent (`budget.stopped`). Paths keep the spelling of `root` (links
 * inside the root are reported at the link's path, as an editor names them).
 */
export function walkDirectory(root: string, options: WalkOptions, budget: ReadBudget, out: ReadFilesResult): void {
  const rootReal = realPath(root);
  if (rootReal === undefined) return;
  const visited = new Set<string>();
  const walk = (dir: string, real: Stats) => {
    const id = `${real.dev}:${real.ino}`;
    if (visited.has(id)) return;
    visited.add(id);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      out.skipped.push({ path: dir, kind: 'unreadable', reason: errorText(e) });
      return;
    }
    for (const d of entries) {
      if (budget.stopped) return;
      const path = join(dir, d.name);
      // Neither a directory nor a link (that may lead to one) nor an accepted name: never looked at.
      if (!d.isDirectory() && !d.isSymbolicLink() && !options.accept(d.name, path)) continue;
      if (d.isDirectory() && options.skipDir(d.name, path)) continue;
      const e = classify(path, rootReal);
      if (e.kind === 'gone') continue;
      if (e.kind === 'dir') {
        if (!options.skipDir(d.name, path)) walk(path, e.stats);
        continue;
      }
      if (!options.accept(d.name, path)) continue;
      if (e.kind === 'skip') out.skipped.push({ path, ...e.skip });
      else readInto(path, e.path, budget, out);
    }
  };
  let st: Stats;
  try {
    st = statSync(rootReal);
  } catch (e) {
    out.skipped.push({ path: root, kind: 'unreadable', reason: errorText(e) });
    return;
  }
  if (st.isDirectory()) walk(root, st);
}

/** Reads one file (already classified as regular) at `open`, reported as `path`. */
export function readInto(path: string, open: string, budget: ReadBudget, out: ReadFilesResult): void {
  const r = readRegularFile(open, budget.limits.maxFileBytes);
  if (!r.ok) {
    out.skipped.push({ path, kind: r.kind, reason: r.reason });
    return;
  }
  if (budget.take(r.bytes)) out.files.push({ path, text: r.text });
}

/**
 * A file named by the user (a CLI argument) or reported by the editor: a link is followed
 * when it ends at a regular file inside `root` (or anywhere, without a root: the user named
 * it). 'dir' for a directory (walk it), undefined when nothing is there.
 */
export function classifyNamed(path: string, root?: string): Entry {
  if (root === undefined) {
    const target = realPath(path);
    if (target === undefined) return lstatOk(path) ? { kind: 'skip', skip: { kind: 'unreadable', reason: 'a broken or looping link' } } : { kind: 'gone' };
    return classify(path, target);
  }
  const rootReal = realPath(root);
  if (rootReal === undefined) return { kind: 'gone' };
  const target = realPath(path);
  if (target === undefined) return lstatOk(path) ? { kind: 'skip', skip: { kind: 'unreadable', reason: 'a broken or looping link' } } : { kind: 'gone' };
  // A link anywhere on the way (a linked directory of the workspace) counts: where it ends is what is read.
  if (!isInside(rootReal, target)) return { kind: 'skip', skip: { kind: 'outside-root', reason: `resolves to ${target}, outside ${rootReal}` } };
  return classify(target, rootReal);
}

function lstatOk(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function typeName(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a link';
  return 'not a file';
}

function tooLarge(size: number, max: number, atLeast = false): string {
  return `${atLeast ? 'more than ' : ''}${sizeText(size)}, over the ${sizeText(max)} limit`;
}

/** `3 MB`, `12 KB`, `100 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes >= 1 << 20) return `${Math.round(bytes / (1 << 20))} MB`;
  if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} KB`;
  return `${bytes} bytes`;
}

export function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'ELOOP') return 'a link (not followed)';
  if (err.code === 'EISDIR') return 'a directory';
  return err.message ?? String(e);
}
