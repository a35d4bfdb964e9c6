/**
 * An open file's content at git HEAD, the change impact's baseline. HEAD is resolved by
 * reading .git (no process per keystroke); `git show` runs once per commit and file,
 * `git rev-parse --show-toplevel` once per directory.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** How an open file's git baseline is found (replaceable in tests). */
export interface BaselineSource {
  /** The file's text at HEAD, or undefined when the file is not in a git repository's HEAD. */
  gitHead(path: string): string | undefined;
}

/** How long a repository's HEAD is trusted before it is read again (a commit or checkout moves it). */
const HEAD_RECHECK_MS = 1000;

/** Baselines from git. */
export class GitBaselines implements BaselineSource {
  /** directory -> repository top level ('' = not in a repository). */
  private readonly tops = new Map<string, string>();
  private readonly heads = new Map<string, { commit: string; checked: number }>();
  /** `commit\0path` -> text at that commit (undefined: not in it). */
  private readonly texts = new Map<string, string | undefined>();

  constructor(private readonly now: () => number = Date.now) {}

  gitHead(path: string): string | undefined {
    const dir = dirname(path);
    let top = this.tops.get(dir);
    if (top === undefined) {
      top = run(['rev-parse', '--show-toplevel'], dir)?.trim() ?? '';
      this.tops.set(dir, top);
    }
    if (top === '') return undefined;
    const commit = this.head(top);
    if (commit === undefined) return undefined;
    const rel = relative(top, path).split('\\').join('/');
    const key = `${commit}\u0000${rel}`;
    if (!this.texts.has(key)) this.texts.set(key, run(['show', `${commit}:${rel}`], top));
    return this.texts.get(key);
  }

  private head(top: string): string | undefined {
    const now = this.now();
    const hit = this.heads.get(top);
    if (hit && now - hit.checked < HEAD_RECHECK_MS) return hit.commit || undefined;
    const commit = readHead(top) ?? run(['rev-parse', '--verify', '--quiet', 'HEAD'], top)?.trim() ?? '';
    this.heads.set(top, { commit, checked: now });
    return commit || undefined;
  }
}

/** HEAD's commit read from `.git` (a directory): a detached id, a loose ref or a packed one; undefined when unsure. */
function readHead(top: string): string | undefined {
  const gitDir = join(top, '.git');
  try {
    if (!statSync(gitDir).isDirectory()) return undefined;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    try {
      const loose = readFileSync(join(gitDir, ref), 'utf8').trim();
      if (/^[0-9a-f]{40,64}$/.test(loose)) return loose;
    } catch {
      // Not a loose ref: look in packed-refs.
    }
    const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
    for (const line of packed.split('\n')) {
      const [id, name] = line.split(' ');
      if (name === ref && /^[0-9a-f]{40,64}$/.test(id)) return id;
    }
    // A branch without commits yet: no HEAD commit.
    return '';
  } catch {
    return undefined;
  }
}

function run(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return undefined;
  }
}
