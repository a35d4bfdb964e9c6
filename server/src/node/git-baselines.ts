/**
 * An open file's content at git HEAD, the change impact's baseline, read through the
 * hardened git runner (safe-git.ts). The repository is found and HEAD resolved by reading
 * .git (no process per keystroke); git runs once per commit and file (ls-tree, then
 * cat-file of a regular blob), and its checks (a git outside the workspace, not a
 * partial clone it would fetch into) once per repository. Nothing runs while the
 * workspace is not trusted.
 */
import { dirname, relative } from 'node:path';
import { findRepository, GitError, gitFailure, isRegularBlob, openRepository, readBlobs, readHead, resolveCommit, treeEntries, type GitRunner, type Repository } from './safe-git';
import { looksBinary } from './safe-read';

/** How an open file's git baseline is found (replaceable in tests). */
export interface BaselineSource {
  /** The file's text at HEAD, or undefined when the file is not in a git repository's HEAD. */
  gitHead(path: string): string | undefined;
}

export interface GitBaselineOptions {
  /** False while the workspace is not trusted: no git then, no baseline from it. */
  readonly trusted?: () => boolean;
  /** Folders whose programs must never run: the workspace folders. */
  readonly untrusted?: () => readonly string[];
  /** Blobs larger than this are no baseline. */
  readonly maxBytes?: () => number;
  /** Why a repository is not read: said once per repository. */
  readonly log?: (message: string) => void;
  readonly now?: () => number;
}

/** How long a repository's HEAD is trusted before it is read again (a commit or checkout moves it). */
const HEAD_RECHECK_MS = 1000;
/** A baseline read never holds up the server longer than this. */
const GIT_TIMEOUT_MS = 5000;

/** Baselines from git. */
export class GitBaselines implements BaselineSource {
  /** directory -> its repository (null: none). */
  private readonly repos = new Map<string, Repository | null>();
  /** repository top -> its runner, or null when it is refused (said once). */
  private readonly runners = new Map<string, GitRunner | null>();
  private readonly heads = new Map<string, { commit: string; checked: number }>();
  /** `top\0commit\0path` -> text at that commit (undefined: not a regular file in it). */
  private readonly texts = new Map<string, string | undefined>();
  private readonly now: () => number;

  constructor(private readonly options: GitBaselineOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  gitHead(path: string): string | undefined {
    if (this.options.trusted && !this.options.trusted()) return undefined;
    const dir = dirname(path);
    let repo = this.repos.get(dir);
    if (repo === undefined) {
      repo = findRepository(dir) ?? null;
      this.repos.set(dir, repo);
    }
    if (!repo) return undefined;
    const rel = relative(repo.top, path).split('\\').join('/');
    if (rel === '' || rel.startsWith('../') || /[\n\r\0]/.test(rel)) return undefined;
    const runner = this.runner(repo);
    if (!runner) return undefined;
    const commit = this.head(runner);
    if (commit === undefined) return undefined;
    const key = `${repo.top}\u0000${commit}\u0000${rel}`;
    if (!this.texts.has(key)) this.texts.set(key, this.read(runner, commit, rel));
    return this.texts.get(key);
  }

  private runner(repo: Repository): GitRunner | undefined {
    let runner = this.runners.get(repo.top);
    if (runner === undefined) {
      try {
        runner = openRepository(repo.top, { untrusted: this.options.untrusted?.() ?? [], timeoutMs: GIT_TIMEOUT_MS });
      } catch (e) {
        this.options.log?.(`NetPol: git HEAD of ${repo.top} is not read: ${e instanceof GitError ? e.message : gitFailure(e)}. The change impact compares with the last saved text.`);
        runner = null;
      }
      this.runners.set(repo.top, runner);
    }
    return runner ?? undefined;
  }

  private head(runner: GitRunner): string | undefined {
    const now = this.now();
    const top = runner.repo.top;
    const hit = this.heads.get(top);
    if (hit && now - hit.checked < HEAD_RECHECK_MS) return hit.commit || undefined;
    let commit = readHead(runner.repo);
    if (commit === undefined) {
      try {
        commit = resolveCommit(runner, 'HEAD') ?? '';
      } catch {
        commit = '';
      }
    }
    this.heads.set(top, { commit, checked: now });
    return commit || undefined;
  }

  private read(runner: GitRunner, commit: string, rel: string): string | undefined {
    try {
      const entry = treeEntries(runner, commit, [rel], false).find((e) => e.path === rel);
      if (!entry || !isRegularBlob(entry) || entry.size === undefined) return undefined;
      if (entry.size > (this.options.maxBytes?.() ?? Infinity)) return undefined;
      const blob = readBlobs(runner, [{ oid: entry.oid, size: entry.size }]).get(entry.oid);
      return blob && !looksBinary(blob) ? blob.toString('utf8') : undefined;
    } catch {
      return undefined;
    }
  }
}
