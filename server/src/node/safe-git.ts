/**
 * The one way NetPol runs git: to read file contents of a commit (the change impact's
 * git HEAD baseline, `netpol diff --base`), never anything the repository could turn into
 * a program of its choosing. A repository's config, attributes and objects are input
 * like a manifest: they may name hooks, an fsmonitor, textconv drivers, a GPG program, a
 * pager, or a remote (partial clones fetch missing objects from it: upload-pack, ssh,
 * `ext::` commands, proxies, credential helpers, askpass).
 *
 * So:
 * - the repository is found by NetPol, not by git: the nearest `.git` (a directory, or a
 *   worktree's `.git` file) above the file, passed explicitly (`--git-dir`); a committed
 *   folder that looks like a bare repository is never used, and git's own discovery
 *   (`safe.bareRepository=explicit`) is off too;
 * - only blobs are read: `ls-tree` names the entry, only regular files (mode 100644 or
 *   100755, type blob) are read, with `cat-file --batch`, which prints raw objects (no
 *   textconv, no filters) and whose headers are checked again (type blob); a gitlink
 *   (a commit in the tree) or a symbolic link is skipped;
 * - no object is ever fetched: GIT_NO_LAZY_FETCH=1 (git ≥ 2.44), every transport refused
 *   (GIT_ALLOW_PROTOCOL, protocol.*.allow=never), and a partial clone is refused outright
 *   with older git, which has no way to forbid the lazy fetch;
 * - hooks, fsmonitor, pagers, signatures, external diffs and credential helpers are
 *   switched off on the command line (which wins over the repository's config), the
 *   system config is not read, no prompt can appear;
 * - `git` itself is an absolute path found on the absolute PATH entries that are outside
 *   the workspace and the current directory (a `git` in the workspace would otherwise
 *   win, on Windows even without a PATH entry), with an environment cleared of GIT_*;
 * - every run has a timeout and an output cap.
 */
import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { isInside, readRegularFile, realPath } from './safe-read';

/** Git refused or failed; the message is for the user. */
export class GitError extends Error {}

export interface Repository {
  /** The working tree's top: the folder that holds `.git`. */
  readonly top: string;
  /** The repository's git directory (a worktree's own one for a `.git` file). */
  readonly gitDir: string;
  /** Where refs and objects live: gitDir, or the main repository's for a worktree. */
  readonly commonDir: string;
}

/** Before this version git cannot be told not to fetch missing objects of a partial clone. */
const NO_LAZY_FETCH_SINCE: readonly [number, number] = [2, 44];

/** Command-line config: wins over the repository's (and the user's) config. */
export const HARDENING_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.askPass=',
  'credential.helper=',
  'diff.external=',
  'log.showSignature=false',
  'safe.bareRepository=explicit',
  'submodule.recurse=false',
  'protocol.allow=never',
  ...['file', 'ext', 'ssh', 'git', 'http', 'https', 'ftp', 'ftps'].map((p) => `protocol.${p}.allow=never`),
];

/** What git's environment is set to (everything else GIT_* is removed). */
const HARDENING_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_NO_LAZY_FETCH: '1',
  // No transport at all (this list wins over any protocol.*.allow).
  GIT_ALLOW_PROTOCOL: 'none',
  GIT_PROTOCOL_FROM_USER: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
  GIT_LITERAL_PATHSPECS: '1',
};

/** Variables never passed on: they would change which repository, program or config git uses. */
const DROPPED_ENV = /^(GIT_.*|SSH_ASKPASS|PAGER|PATH)$/i;

const SMALL_FILE = 64 * 1024;

/**
 * The repository of `start` (a directory): the nearest folder above it that holds a
 * `.git` directory, or a `.git` file naming a worktree's git directory. Found by reading
 * the file system only. Undefined when there is none, or when the first `.git` found is
 * not a usable repository (nothing further up is used then: that would be a repository
 * the user did not mean).
 */
export function findRepository(start: string): Repository | undefined {
  let dir = resolve(start);
  for (;;) {
    const dotGit = join(dir, '.git');
    let isDir: boolean | undefined;
    try {
      const st = lstatSync(dotGit);
      // A link named .git (some tools make them) counts when it leads to a directory.
      isDir = st.isDirectory() || (st.isSymbolicLink() && statSync(dotGit).isDirectory());
      if (!isDir && !st.isFile()) return undefined;
    } catch {
      isDir = undefined;
    }
    if (isDir === true) return usable(dir, dotGit);
    if (isDir === false) {
      const file = readSmall(dotGit);
      const target = file && /^gitdir: (.+)$/m.exec(file)?.[1]?.trim();
      return target ? usable(dir, resolve(dir, target)) : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function usable(top: string, gitDir: string): Repository | undefined {
  if (readSmall(join(gitDir, 'HEAD')) === undefined) return undefined;
  const common = readSmall(join(gitDir, 'commondir'))?.trim();
  const commonDir = common ? resolve(gitDir, common) : gitDir;
  try {
    if (!statSync(join(commonDir, 'objects')).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return { top, gitDir, commonDir };
}

/** A small regular file's text (HEAD, a ref, a `.git` file), read through the safe reader. */
export function readSmall(path: string, maxBytes = SMALL_FILE): string | undefined {
  try {
    if (!lstatSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const r = readRegularFile(path, maxBytes);
  return r.ok ? r.text : undefined;
}

/** The PATH entries git may come from: absolute, existing, outside every `untrusted` folder. */
export function safePathDirs(untrusted: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const pathVar = Object.entries(env).find(([k]) => k.toUpperCase() === 'PATH')?.[1] ?? '';
  // A file system root as the current directory (a server started from `/`) fences nothing off: it would fence off everything.
  const fences = [...untrusted, process.cwd()].map((d) => realPath(d)).filter((d): d is string => d !== undefined && dirname(d) !== d);
  const out: string[] = [];
  for (const entry of pathVar.split(delimiter)) {
    if (entry === '' || !isAbsolute(entry)) continue;
    const real = realPath(entry);
    if (real === undefined || fences.some((f) => isInside(f, real))) continue;
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}

/** The absolute path of `git` on those entries, or undefined. */
export function findGit(dirs: readonly string[]): string | undefined {
  const name = process.platform === 'win32' ? 'git.exe' : 'git';
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      if (process.platform !== 'win32') accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** What a run needs: the repository, git's path and environment, the limits. */
export interface GitRunner {
  readonly repo: Repository;
  readonly git: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export interface OpenOptions {
  /** Folders whose programs must never run (the workspace); the current directory always counts. */
  readonly untrusted: readonly string[];
  readonly timeoutMs: number;
}

const versions = new Map<string, readonly [number, number] | undefined>();

/**
 * A runner for the repository of `start`, after checking that reading it can run nothing:
 * throws GitError (with the reason, for the user) when there is no repository, no git
 * outside the workspace, or a partial clone that this git would fetch into.
 */
export function openRepository(start: string, options: OpenOptions): GitRunner {
  const repo = findRepository(start);
  if (!repo) throw new GitError(`${start} is not in a git repository (no .git folder or file above it)`);
  const dirs = safePathDirs([...options.untrusted, repo.top]);
  const git = findGit(dirs);
  if (!git) throw new GitError('git was not found on PATH (only absolute PATH entries outside the workspace are used)');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!DROPPED_ENV.test(k)) env[k] = v;
  Object.assign(env, HARDENING_ENV, { PATH: dirs.join(delimiter) });
  const runner: GitRunner = { repo, git, env, timeoutMs: options.timeoutMs };
  if (!versions.has(git)) versions.set(git, parseGitVersion(run(runner, ['--version'], { bare: true }).toString('utf8')));
  const version = versions.get(git);
  const promisor = partialCloneSetting(runner);
  if (promisor && !(version && atLeast(version, NO_LAZY_FETCH_SINCE))) {
    throw new GitError(
      `${repo.top} is a partial clone (${promisor}): git ${version?.join('.') ?? '(unknown version)'} would fetch its missing objects ` +
        `by running what the repository configures, so it is not read (git ${NO_LAZY_FETCH_SINCE.join('.')} or later can be told not to fetch)`,
    );
  }
  return runner;
}

/** `git version 2.39.5` → [2, 39]. */
export function parseGitVersion(text: string): readonly [number, number] | undefined {
  const m = /git version (\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(v: readonly [number, number], min: readonly [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

/**
 * The setting that makes the repository a partial clone (`extensions.partialclone=origin`,
 * `remote.origin.promisor=true`), as git sees its config (includes and worktree config
 * followed; `git config` runs no program), or undefined.
 */
function partialCloneSetting(runner: GitRunner): string | undefined {
  let out: string;
  try {
    out = run(runner, ['config', '-z', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.(promisor|partialclonefilter))$']).toString('utf8');
  } catch (e) {
    // Exit 1: no such setting.
    if ((e as { status?: number }).status === 1) return undefined;
    throw e;
  }
  for (const record of out.split('\0')) {
    const nl = record.indexOf('\n');
    if (nl < 0) continue;
    const [key, value] = [record.slice(0, nl), record.slice(nl + 1)];
    if (key.endsWith('.promisor') && /^(false|no|off|0|)$/i.test(value)) continue;
    return `${key}=${value}`;
  }
  return undefined;
}

/**
 * Runs git with the hardening in front of `args`; the repository is always explicit.
 * Throws the child's error (with `status` and `stderr`) on failure, a timeout, or output
 * beyond `maxBytes`.
 */
function run(runner: GitRunner, args: readonly string[], opts: { input?: string; maxBytes?: number; bare?: boolean } = {}): Buffer {
  const { repo } = runner;
  const full = opts.bare
    ? [...args]
    : [`--git-dir=${repo.gitDir}`, `--work-tree=${repo.top}`, ...HARDENING_CONFIG.flatMap((c) => ['-c', c]), '--no-replace-objects', '--literal-pathspecs', ...args];
  return execFileSync(runner.git, full, {
    cwd: opts.bare ? dirname(runner.git) : repo.top,
    env: runner.env,
    input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: opts.maxBytes ?? 64 * 1024 * 1024,
    timeout: runner.timeoutMs,
    killSignal: 'SIGKILL',
    windowsHide: true,
  });
}

/** A failed run as one line for the user. */
export function gitFailure(e: unknown): string {
  const err = e as { code?: string; stderr?: Buffer | string; message?: string };
  if (err.code === 'ETIMEDOUT') return 'git took too long and was stopped';
  if (err.code === 'ENOBUFS') return 'git printed more than the size limit and was stopped';
  const stderr = err.stderr?.toString().trim().split('\n')[0];
  return stderr || err.message || String(e);
}

/** A revision named by the user, as a commit id; undefined when it names no commit. */
export function resolveCommit(runner: GitRunner, ref: string): string | undefined {
  if (ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref)) return undefined;
  try {
    const id = run(runner, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString('utf8').trim();
    return /^[0-9a-f]{40,64}$/.test(id) ? id : undefined;
  } catch (e) {
    if ((e as { status?: number }).status === 1 || (e as { status?: number }).status === 128) return undefined;
    throw e;
  }
}

export interface TreeEntry {
  /** Relative to the repository's top, with `/`. */
  readonly path: string;
  readonly mode: string;
  readonly type: string;
  readonly oid: string;
  /** Bytes (blobs only). */
  readonly size: number | undefined;
}

/** True for what NetPol reads: a regular file (not a link, not a gitlink to a commit). */
export function isRegularBlob(e: TreeEntry): boolean {
  return e.type === 'blob' && /^100[0-7]{3}$/.test(e.mode);
}

/** The entries of `commit` under `paths` (relative to the top): `ls-tree`, recursive or not. */
export function treeEntries(runner: GitRunner, commit: string, paths: readonly string[], recursive: boolean): TreeEntry[] {
  const out = run(runner, ['ls-tree', '-z', '-l', ...(recursive ? ['-r'] : []), '--full-tree', commit, '--', ...paths], { maxBytes: 256 * 1024 * 1024 }).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    const m = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(\d+|-)\t([^]*)$/.exec(record);
    if (m) entries.push({ mode: m[1], type: m[2], oid: m[3], size: m[4] === '-' ? undefined : Number(m[4]), path: m[5] });
  }
  return entries;
}

/**
 * The contents of these blobs (one `cat-file --batch` run): raw bytes, no filter or
 * textconv. An object that is not a blob or not there is absent from the result. The
 * caller bounds the sizes (ls-tree's); the output is capped at their sum.
 */
export function readBlobs(runner: GitRunner, blobs: readonly { oid: string; size: number }[]): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  if (blobs.length === 0) return result;
  const cap = blobs.reduce((n, b) => n + b.size + 100, 0);
  const out = run(runner, ['cat-file', '--batch'], { input: blobs.map((b) => b.oid).join('\n') + '\n', maxBytes: cap });
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(10, at);
    if (nl < 0) break;
    const header = out.subarray(at, nl).toString('latin1');
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
    if (!m) {
      // `<name> missing` (or ambiguous): nothing follows.
      at = nl + 1;
      continue;
    }
    const size = Number(m[3]);
    if (m[2] === 'blob') result.set(m[1], out.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return result;
}

/**
 * HEAD's commit read from the git directory without a process (a detached id, a loose
 * or packed ref); undefined when unsure (ask git then), '' for a branch without commits.
 */
export function readHead(repo: Repository): string | undefined {
  // A reftable repository keeps its refs in binary tables: git is asked.
  if (readSmall(join(repo.commonDir, 'reftable', 'tables.list')) !== undefined) return undefined;
  const head = readSmall(join(repo.gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.split('/').some((part) => part === '..' || part === '.' || part === '') || ref.includes('\\')) return undefined;
  const loose = readSmall(join(repo.commonDir, ref))?.trim();
  if (loose !== undefined) return /^[0-9a-f]{40,64}$/.test(loose) ? loose : undefined;
  const packedPath = join(repo.commonDir, 'packed-refs');
  let packed: string | undefined;
  try {
    lstatSync(packedPath);
    packed = readSmall(packedPath, 64 * 1024 * 1024);
    if (packed === undefined) return undefined;
  } catch {
    packed = '';
  }
  for (const line of packed.split('\n')) {
    const [id, name] = line.split(' ');
    if (name === ref && /^[0-9a-f]{40,64}$/.test(id)) return id;
  }
  // A branch without commits yet: no HEAD commit.
  return '';
}
