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
import { dirname, join, relative, sep } from 'node:path';

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

// Not opened through a link, never blocking (a FIFO), never becoming a controlling terminal.
// These flags are undefined on Windows: the lstat and fstat checks remain.
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
    if (length > maxBytes) return { ok: false, kind: 'too-large', reason: `larger than the ${sizeText(maxBytes)} limit` };
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

/** Windows and macOS file systems ignore case by default. */
const foldCase = (p: string) => (process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p);

/** True when the real path `path` is `root` or below it (both canonical). */
export function isInside(root: string, path: string): boolean {
  const prefix = root.endsWith(sep) ? root : root + sep;
  return samePath(path, root) || foldCase(path).startsWith(foldCase(prefix));
}

function samePath(a: string, b: string): boolean {
  return foldCase(a) === foldCase(b);
}

/** What an entry is, links resolved within the root. */
export type Entry =
  | { readonly kind: 'dir' | 'file'; readonly path: string; readonly stats: Stats }
  | { readonly kind: 'skip'; readonly skip: Omit<Skipped, 'path'> }
  /** Nothing to read there: gone, or a link to a directory inside the root (walked as itself). */
  | { readonly kind: 'none' };

/**
 * Looks at an entry of a directory under `rootReal` without following a link out of it:
 * a directory, a regular file (with the path to open: the target for a link), or why
 * neither. A link to a directory is not followed: what it leads to inside the root is
 * walked where it really is (so each file is read once, under its real path), and what
 * is outside is not read.
 */
function classify(path: string, rootReal: string): Entry {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return { kind: 'none' };
  }
  if (st.isDirectory()) return { kind: 'dir', path, stats: st };
  if (st.isFile()) return { kind: 'file', path, stats: st };
  if (!st.isSymbolicLink()) return notRegular(st);
  return classifyTarget(path, rootReal, false);
}

/** Where a path (a link, or a path with links on the way) ends, if inside `rootReal`. */
function classifyTarget(path: string, rootReal: string | undefined, followDirs: boolean): Entry {
  let st: Stats;
  let link: boolean;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return { kind: 'none' };
  }
  try {
    st = statSync(path);
  } catch {
    return { kind: 'skip', skip: { kind: 'unreadable', reason: 'a broken or looping link' } };
  }
  const prefix = link ? 'a link to ' : '';
  const target = realPath(path);
  // /dev/stdin and /proc/self/fd/N end at pipes and sockets that have no real path.
  if (target === undefined) return st.isFile() || st.isDirectory() ? { kind: 'skip', skip: { kind: 'unreadable', reason: 'a link that does not resolve' } } : notRegular(st, prefix);
  if (rootReal !== undefined && !isInside(rootReal, target)) return { kind: 'skip', skip: { kind: 'outside-root', reason: `a link to ${target}, outside ${rootReal}` } };
  if (st.isDirectory()) return followDirs ? { kind: 'dir', path: target, stats: st } : { kind: 'none' };
  if (st.isFile()) return { kind: 'file', path: target, stats: st };
  return notRegular(st, prefix);
}

function notRegular(st: Stats, prefix = ''): Entry {
  return { kind: 'skip', skip: { kind: 'not-regular', reason: `${prefix}${typeName(st)}, not a regular file` } };
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
 * when the budget is spent (`budget.stopped`). Paths keep the spelling of `root` (which
 * may itself be a link: the user named it).
 */
export function walkDirectory(root: string, options: WalkOptions, budget: ReadBudget, out: ReadFilesResult): void {
  for (const f of walkFiles(root, options, budget, out)) readInto(f.path, f.open, budget, out);
}

/**
 * The walk of walkDirectory, one file at a time: each regular file found (`path` as
 * found, `open` the path to open), for the caller to read (readInto) before it asks for
 * the next one. The walk stops where the budget says it is stopped, so reading between
 * the steps reads exactly what walkDirectory reads (the language server reads so, to
 * report progress and let messages through while it reads).
 */
export function* walkFiles(root: string, options: WalkOptions, budget: ReadBudget, out: ReadFilesResult): Generator<{ readonly path: string; readonly open: string }, void, undefined> {
  const rootReal = realPath(root);
  let rootStats: Stats;
  try {
    if (rootReal === undefined) throw Object.assign(new Error('no such directory'), { code: 'ENOENT' });
    rootStats = statSync(rootReal);
  } catch (e) {
    out.skipped.push({ path: root, kind: 'unreadable', reason: errorText(e) });
    return;
  }
  // Real directories only, so a loop needs a bind mount or a strange file system: still, each once.
  const visited = new Set<string>();
  const walk = function* (dir: string, stats: Stats): Generator<{ readonly path: string; readonly open: string }, void, undefined> {
    const id = `${stats.dev}:${stats.ino}`;
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
      if (d.isDirectory()) {
        if (options.skipDir(d.name, path)) continue;
      } else if (!options.accept(d.name, path)) {
        // Not a manifest's name: never opened, never resolved (a link to a directory is not followed anyway).
        continue;
      }
      const e = classify(path, rootReal);
      if (e.kind === 'none') continue;
      if (e.kind === 'dir') {
        if (!options.skipDir(d.name, path)) yield* walk(path, e.stats);
      } else if (e.kind === 'skip') out.skipped.push({ path, ...e.skip });
      else yield { path, open: e.path };
    }
  };
  if (rootStats.isDirectory()) yield* walk(root, rootStats);
}

/** Reads one regular file at `open` (no link), reported as `path`, within the budget. */
export function readInto(path: string, open: string, budget: ReadBudget, out: ReadFilesResult): void {
  const r = readRegularFile(open, budget.limits.maxFileBytes);
  if (!r.ok) {
    out.skipped.push({ path, kind: r.kind, reason: r.reason });
    return;
  }
  if (budget.take(r.bytes)) out.files.push({ path, text: r.text });
}

/**
 * A path named by the user (a CLI argument: followed wherever it leads, the user named
 * it) or reported by the editor (with `root`, its workspace folder: read only when its
 * real path is inside the folder and no link to a directory is on the way, so it is the
 * file the scan reads under the same name). 'dir' for a directory to walk.
 */
export function classifyNamed(path: string, root?: string): Entry {
  if (root === undefined) return classifyTarget(path, undefined, true);
  const rootReal = realPath(root);
  const parentReal = realPath(dirname(path));
  if (rootReal === undefined || parentReal === undefined) return { kind: 'none' };
  const lexical = relative(root, dirname(path));
  if (!samePath(parentReal, lexical === '' ? rootReal : join(rootReal, lexical))) return { kind: 'skip', skip: { kind: 'outside-root', reason: `reached through a link to a directory (${parentReal})` } };
  return classify(path, rootReal);
}

function typeName(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a link';
  return 'not a file';
}

function tooLarge(size: number, max: number): string {
  return `${sizeText(size)}, over the ${sizeText(max)} limit`;
}

/** `3 MB`, `12 KB`, `100 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes >= 1 << 20) return `${Math.round(bytes / (1 << 20))} MB`;
  if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} KB`;
  return `${bytes} bytes`;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'ELOOP') return 'a link (not followed)';
  if (err.code === 'EISDIR') return 'a directory';
  return err.message ?? String(e);
}
