import { relative, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { classifyNamed, isInside, readInto, readRegularFile, ReadBudget, sizeText, walkFiles, type FileLimits, type ReadFilesResult, type Skipped } from './safe-read';

/** Folders never scanned: dependencies and VCS metadata hold no manifests of the user's. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);
// (`Kustomization`, without an extension, is one of kustomize's three kustomization file names.)
const YAML_NAME = /(\.ya?ml|(^|[\\/])Kustomization)$/i;

export interface ScanOptions {
  /** Glob patterns relative to the root (`files.exclude` style: `**\/charts/**`). */
  readonly exclude: readonly string[];
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  /** All files of the workspace together (setting netpol.maxTotalMB). */
  readonly maxTotalBytes: number;
}

export interface ScanResult {
  readonly files: { path: string; text: string }[];
  /** Messages for the user: caps hit, files too large. */
  readonly messages: string[];
  /** Files passed over for what they are (a FIFO, a link out of the folder, unreadable): for the log. */
  readonly notes: string[];
}

/** One budget for a whole workspace (all its folders): its files and bytes. */
export function workspaceBudget(options: ScanOptions): ReadBudget {
  return new ReadBudget(limitsOf(options));
}

/**
 * Finds the workspace folder's YAML files (`*.yaml`, `*.yml`) under `root` through the
 * safe reader (regular files only, links only inside the folder, each directory once),
 * within the caps of `budget` (shared by the folders of one workspace).
 */
export function scanYamlFiles(root: string, options: ScanOptions, budget: ReadBudget = workspaceBudget(options)): ScanResult {
  const steps = scanYamlFileSteps(root, options, budget);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * scanYamlFiles one file at a time: yields the number of files read so far after each
 * file read, and returns the same result. The language server reads this way, to report
 * its progress and to let messages through while it reads.
 */
export function* scanYamlFileSteps(root: string, options: ScanOptions, budget: ReadBudget = workspaceBudget(options)): Generator<number, ScanResult, undefined> {
  const out: ReadFilesResult = { files: [], skipped: [] };
  const excluded = excludedIn(root, options.exclude);
  const walk = { skipDir: (name: string, path: string) => ALWAYS_SKIPPED.has(name) || excluded(path), accept: (name: string, path: string) => YAML_NAME.test(name) && !excluded(path) };
  for (const f of walkFiles(root, walk, budget, out)) {
    readInto(f.path, f.open, budget, out);
    yield out.files.length;
  }
  const messages: string[] = [];
  const notes: string[] = [];
  for (const s of out.skipped) {
    // Binary files are passed over silently; a file too large is worth telling the user.
    if (s.kind === 'binary') continue;
    (s.kind === 'too-large' ? messages : notes).push(skipMessage(s));
  }
  if (budget.stopped === 'files') {
    messages.push(`NetPol: more than ${options.maxFiles} YAML files under ${root}; only the first ${options.maxFiles} are analysed (setting netpol.maxFiles).`);
  } else if (budget.stopped === 'bytes') {
    messages.push(`NetPol: more than ${sizeText(options.maxTotalBytes)} of YAML files under ${root}; only the first ${budget.files} files (${sizeText(budget.bytes)}) are analysed (setting netpol.maxTotalMB).`);
  }
  return { files: out.files, messages, notes };
}

export type WatchedRead = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'ignored' } | { readonly kind: 'gone' } | { readonly kind: 'skipped'; readonly message: string };

/**
 * A file the editor reports as created or changed: read only when the scan would have
 * read it (a YAML file of a workspace folder, not excluded, not under node_modules or
 * .git) and it is a regular file whose real path is inside that folder. 'gone' when it is
 * not there (any more), 'ignored' when it is none of the workspace's files.
 */
export function readWatchedFile(path: string, roots: readonly string[], options: ScanOptions): WatchedRead {
  const root = roots.find((r) => isInside(r, path));
  if (root === undefined || !YAML_NAME.test(path)) return { kind: 'ignored' };
  const rel = relative(root, path);
  if (rel.split(sep).some((part) => ALWAYS_SKIPPED.has(part)) || excludedIn(root, options.exclude)(path)) return { kind: 'ignored' };
  const e = classifyNamed(path, root);
  if (e.kind === 'none') return { kind: 'gone' };
  if (e.kind === 'dir') return { kind: 'ignored' };
  if (e.kind === 'skip') return { kind: 'skipped', message: skipMessage({ path, ...e.skip }) };
  const r = readRegularFile(e.path, options.maxFileBytes);
  if (r.ok) return { kind: 'text', text: r.text };
  return r.kind === 'binary' ? { kind: 'gone' } : { kind: 'skipped', message: skipMessage({ path, kind: r.kind, reason: r.reason }) };
}

function limitsOf(options: ScanOptions): FileLimits {
  return { maxFileBytes: options.maxFileBytes, maxFiles: options.maxFiles, maxTotalBytes: options.maxTotalBytes };
}

function excludedIn(root: string, exclude: readonly string[]): (path: string) => boolean {
  return (path) => {
    const rel = relative(root, path).split(sep).join('/');
    return exclude.some((g) => minimatch(rel, g, { dot: true }) || minimatch(`${rel}/`, g, { dot: true }));
  };
}

function skipMessage(s: Skipped): string {
  const setting = s.kind === 'too-large' ? ' (setting netpol.maxFileSizeKB)' : '';
  return `NetPol: ${s.path}: ${s.reason}${setting}; not analysed.`;
}
