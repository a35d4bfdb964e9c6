/**
 * Change impact: what the edits in the open documents change in connectivity, compared
 * with a baseline. The baseline of an open file is its content at git HEAD (read once per
 * file and HEAD commit with `git show HEAD:<path>` from the repository holding the file)
 * or, for a file outside git (or not in HEAD), its disk text when the server first saw it
 * open. The baseline workspace is the current one with those files replaced; it lives in
 * a WorkspaceState of its own (own ParseCache: the editor's document anchors never move).
 * The diff is `netpol diff`'s (diffConnections over allConnections), entries marked
 * `breaking` when they lose ports a Service/Ingress of the current workspace routes to.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../core/analyze';
import { isBreaking, routedPorts } from '../core/diff/breaking';
import { diffConnections, type DiffEntry, type DiffKind } from '../core/diff/diff';
import type { ConnSet } from '../core/net/ports';
import { allConnections, endpointName } from '../core/reach/connections';
import { analysisOf, type ReachFeatureDeps } from './hover';
import { WorkspaceState } from './workspace';

export const CHANGE_IMPACT_REQUEST = 'netpol/changeImpact';
/** Server → client, a ChangeImpactResult: sent after an analysis when the impact changed. */
export const CHANGE_IMPACT_CHANGED_NOTIFICATION = 'netpol/changeImpactChanged';

export interface ChangeImpactEntry {
  readonly kind: DiffKind;
  readonly src: string;
  readonly dst: string;
  /** `TCP 80,UDP 53`, `All Connections`, `No Connections`. */
  readonly before: string;
  readonly after: string;
  /** Loses ports a Service or Ingress routes to (or the ingress controller loses any). */
  readonly breaking: boolean;
}

export interface ChangeImpactResult {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly entries: ChangeImpactEntry[];
}

export const NO_IMPACT: ChangeImpactResult = { added: 0, removed: 0, changed: 0, entries: [] };

/** How an open file's baseline text is found (replaceable in tests). */
export interface BaselineSource {
  /** The file's text at HEAD, or undefined when the file is not in a git repository's HEAD. */
  gitHead(path: string): string | undefined;
  /** The file's text on disk, or undefined when unreadable. */
  disk(path: string): string | undefined;
}

/** How long a repository's HEAD commit is trusted before `git rev-parse HEAD` again. */
const HEAD_RECHECK_MS = 2000;

/** Baselines from git (child processes, synchronous, short) and the disk. */
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

  disk(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  private head(top: string): string | undefined {
    const now = this.now();
    const hit = this.heads.get(top);
    if (hit && now - hit.checked < HEAD_RECHECK_MS) return hit.commit || undefined;
    const commit = run(['rev-parse', '--verify', '--quiet', 'HEAD'], top)?.trim() ?? '';
    this.heads.set(top, { commit, checked: now });
    return commit || undefined;
  }
}

function run(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return undefined;
  }
}

/**
 * The change impact of the open documents, recomputed only when the workspace analysis
 * changed and some open document differs from its baseline.
 */
export class ChangeImpact {
  /** uri -> baseline text (undefined: the file does not exist in the baseline). */
  private readonly baselines = new Map<string, string | undefined>();
  private readonly baselineState = new WorkspaceState();
  /** What baselineState holds: uri -> text. */
  private readonly baselineTexts = new Map<string, string>();
  private lastAnalysis: Analysis | undefined;
  private lastOptions = '';
  private result: ChangeImpactResult = NO_IMPACT;
  private lastSent = JSON.stringify(NO_IMPACT);

  constructor(
    private readonly deps: ReachFeatureDeps,
    private readonly source: BaselineSource = new GitBaselines(),
  ) {}

  /** The impact of the current workspace (cached while the analysis is the same). */
  compute(): ChangeImpactResult {
    const current = analysisOf(this.deps);
    const settings = this.deps.settings();
    const options = { defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController };
    const maxLength = settings.maxFileSizeKB * 1024;
    const optionsKey = JSON.stringify([options, maxLength]);
    if (current === this.lastAnalysis && optionsKey === this.lastOptions) return this.result;
    this.lastAnalysis = current;
    this.lastOptions = optionsKey;

    const { state } = this.deps;
    const uris = state.uris();
    const open = uris.filter((u) => state.isOpen(u));
    for (const uri of [...this.baselines.keys()]) if (!state.isOpen(uri)) this.baselines.delete(uri);
    const differs = open.filter((uri) => this.baselineOf(uri) !== state.text(uri));
    if (differs.length === 0) return (this.result = NO_IMPACT);

    // The baseline workspace: every file as the analysis sees it, changed open files as
    // their baseline (absent when they have none). Unchanged texts keep their loaded files.
    const wanted = new Map<string, string>();
    for (const uri of uris) {
      const text = differs.includes(uri) ? this.baselines.get(uri) : state.text(uri);
      if (text !== undefined) wanted.set(uri, text);
    }
    for (const uri of [...this.baselineTexts.keys()]) {
      if (!wanted.has(uri)) {
        this.baselineState.deleteDisk(uri);
        this.baselineTexts.delete(uri);
      }
    }
    for (const [uri, text] of wanted) {
      if (this.baselineTexts.get(uri) === text) continue;
      this.baselineState.setDisk(uri, text);
      this.baselineTexts.set(uri, text);
    }
    const baseline = this.baselineState.analysis(options, maxLength);

    const entries = diffConnections(allConnections(baseline.reach), allConnections(current.reach), {
      workloads: { before: baseline.reach.index.endpoints.map(endpointName), after: current.reach.index.endpoints.map(endpointName) },
    });
    const routed = routedPorts(current);
    this.result = toResult(entries, routed);
    return this.result;
  }

  /** Sends `netpol/changeImpactChanged` when the impact differs from the last one sent. */
  notifyIfChanged(connection: Pick<Connection, 'sendNotification'>): void {
    const result = this.compute();
    const json = JSON.stringify(result);
    if (json === this.lastSent) return;
    this.lastSent = json;
    void connection.sendNotification(CHANGE_IMPACT_CHANGED_NOTIFICATION, result).catch(() => undefined);
  }

  /** The `netpol/changeImpact` request handler. */
  async request(): Promise<ChangeImpactResult> {
    await this.deps.ready;
    try {
      return this.compute();
    } catch (e) {
      this.deps.log?.(`NetPol: change impact failed: ${(e as Error).stack ?? e}`);
      return NO_IMPACT;
    }
  }

  /** An open file's baseline, found once per open (git HEAD, else the disk text now). */
  private baselineOf(uri: string): string | undefined {
    if (this.baselines.has(uri)) return this.baselines.get(uri);
    let text: string | undefined;
    if (uri.startsWith('file:')) {
      const path = fileURLToPath(uri);
      text = this.source.gitHead(path) ?? this.source.disk(path);
    }
    this.baselines.set(uri, text);
    return text;
  }
}

function toResult(entries: readonly DiffEntry[], routed: Map<string, ConnSet>): ChangeImpactResult {
  const counts = { added: 0, removed: 0, changed: 0 };
  const out: ChangeImpactEntry[] = entries.map((e) => {
    counts[e.kind]++;
    return { kind: e.kind, src: e.src, dst: e.dst, before: e.before.toString(), after: e.after.toString(), breaking: isBreaking(e, routed) };
  });
  return { ...counts, entries: out };
}
