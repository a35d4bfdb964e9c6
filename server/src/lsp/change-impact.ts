/**
 * Change impact in the editor: what the pending edits of the open documents open and
 * close, against their baseline, recomputed after every analysis.
 *
 * Baseline of an open file: its content at git HEAD (`git show`, once per commit and
 * file; HEAD is read from .git without a process) or, for a file outside git (or not in
 * HEAD), its last saved text (the disk as the server last read it). No baseline (a new,
 * unsaved file) means the file did not exist.
 *
 * Fast path, the common case (the edited files change policies only, their workloads,
 * namespaces, Services and Ingresses are the same): the baseline is a variant of the
 * current reachability (Reachability.withPolicies) with the edited files' policies as in
 * the baseline (a policy that says the same is the current object), and the diff visits
 * only the pods the changed policies select. Slow path (the edit changed the world): a
 * WorkspaceState of its own for the baseline and the full connection lists; on large
 * workspaces it runs when typing pauses, not on each keystroke.
 */
import { GitBaselines, type BaselineSource } from '../node/git-baselines';
import type { CodeLens, Connection } from 'vscode-languageserver/node';
import type { Analysis, AnalyzeOptions } from '../core/analysis/analyze';
import { diffEntryStrings } from '../core/impact/diff';
import { changeImpact, NO_CHANGE } from '../core/impact/impact';
import { isYamlError, loadFile, type LoadedFile, type ManifestObject } from '../core/manifest/load';
import { buildModel } from '../core/model/build';
import { isWorkloadKind } from '../core/model/extract/workload';
import type { NetworkPolicy } from '../core/model/types';
import { Reachability } from '../core/reach/engine';
import { anchorOf, runChangeRules } from '../core/impact/rules/run';
import { ParseCache } from '../core/yaml/parse';
import type { Span } from '../core/base/span';
import { analysisOf, SpanLocator, type ReachFeatureDeps } from './hover';
import { filePathOf } from './uri';
import {
  CHANGE_IMPACT_CHANGED_NOTIFICATION,
  SHOW_CHANGE_IMPACT_COMMAND,
  type ChangedPolicy,
  type ChangeImpactEntry,
  type ChangeImpactResult,
  type ChangeResponsible,
} from '../protocol';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from '../core/yaml/limits';
import type { Finding } from '../core/lint/rule';
import type { ImpactReport, Responsible } from '../core/impact/types';
import { policyFingerprint, policyKey } from '../core/impact/changes';

export { CHANGE_IMPACT_CHANGED_NOTIFICATION, CHANGE_IMPACT_REQUEST } from '../protocol';
export type { BaselineSource } from '../node/git-baselines';

export const NO_IMPACT: ChangeImpactResult = { files: [], baseline: '', opened: 0, closed: 0, added: 0, removed: 0, changed: 0, breaking: 0, entries: [], truncated: 0, policies: [] };

/** Entries sent to the client (the counts cover all). */
const MAX_ENTRIES = 300;
/**
 * A change of the world needs the baseline's own reachability (built once per baseline,
 * then reused while one types). Beyond this many workloads + policies, building it
 * waits for a pause in typing.
 */
const SLOW_PATH_SYNC_LIMIT = 3000;
/** Also when the last one took longer than this (ms): it would eat the keystroke's budget. */
const SLOW_PATH_SYNC_MS = 15;

type BaselineKind = 'git HEAD' | 'last saved';


/** What the impact is computed from and what it found. */
interface ImpactState {
  readonly report: ImpactReport;
  /** Changed open files and what each is compared with. */
  readonly files: readonly { readonly uri: string; readonly kind: BaselineKind }[];
}

const EMPTY: ImpactState = { report: NO_CHANGE, files: [] };

export class ChangeImpact {
  private readonly git: BaselineSource;
  /** Baseline documents parse here: the editor's documents (and their anchors) are never shared. */
  private readonly cache = new ParseCache();
  private readonly baselineFiles = new Map<string, { text: string; maxLength: number; file: LoadedFile }>();
  /** The baseline of a change of the world: its files (the current ones, the edited ones swapped) and reachability. */
  private lastWorld: { files: readonly LoadedFile[]; options: string; reach: Reachability } | undefined;
  private last: { key: readonly unknown[]; state: ImpactState } | undefined;
  private lastVariant: { current: Reachability; policies: readonly NetworkPolicy[]; reach: Reachability } | undefined;
  private lastSent = JSON.stringify(NO_IMPACT);
  private lastSentState: ImpactState | undefined;
  private readonly locator: SpanLocator;
  /** True when the last compute() skipped a slow baseline: run computeDeferred() when typing pauses. */
  pending = false;
  /** How long the last baseline reachability of a changed world took to build (ms). */
  private slowMs = 0;
  /** uri -> the baseline text the last computation used, for baselineMoved(). */
  private readonly usedBaselines = new Map<string, string | undefined>();

  private readonly syncLimit: number;

  constructor(
    private readonly deps: ReachFeatureDeps,
    git: BaselineSource = new GitBaselines(),
    options: { readonly slowPathSyncLimit?: number } = {},
  ) {
    this.git = git;
    this.syncLimit = options.slowPathSyncLimit ?? SLOW_PATH_SYNC_LIMIT;
    this.locator = new SpanLocator((uri) => deps.state.text(uri));
  }

  /** The impact now; a slow baseline on a large workspace is left for computeDeferred(). */
  compute(): ImpactState {
    return this.run(false);
  }

  /** The impact now, whatever it costs. */
  computeDeferred(): ImpactState {
    return this.run(true);
  }

  /**
   * Reads an open file's baseline and what the fast path needs of it (its policies and
   * their fingerprints) ahead of the first edit: called when a document opens, so the
   * first keystroke does not pay for it.
   */
  prepare(uri: string): void {
    return this.guard('prepare', undefined, () => this.prepareNow(uri));
  }

  private prepareNow(uri: string): void {
    const settings = this.deps.settings();
    if (!settings.changeImpact) return;
    const base = this.baselineOf(uri);
    if (base.text === undefined) return;
    const options: AnalyzeOptions = { defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController };
    for (const p of baselinePolicies(this.loadBaseline(uri, base.text, settings.maxFileSizeKB * 1024), options)) policyFingerprint(p);
    const current = analysisOf(this.deps);
    const objects = new Set(filesByPath(current).get(uri)?.objects);
    for (const p of current.model.policies) if (p.source && objects.has(p.source)) policyFingerprint(p);
  }

  /**
   * True when an open file's baseline is no longer the one the last impact used (a commit,
   * a checkout): the impact must be recomputed although no document changed.
   */
  baselineMoved(): boolean {
    return this.guard('baselineMoved', false, () => this.baselineMovedNow());
  }

  private baselineMovedNow(): boolean {
    if (!this.deps.settings().changeImpact) return false;
    const { state } = this.deps;
    for (const uri of state.openUris()) if (this.baselineOf(uri).text !== this.usedBaselines.get(uri)) return true;
    return false;
  }

  /** Findings of the change rules, for the diagnostics of the edited files. */
  findings(): Finding[] {
    return this.guard('findings', [], () => this.findingsNow());
  }

  private findingsNow(): Finding[] {
    const state = this.compute();
    if (state.report.entries.length === 0) return [];
    const settings = this.deps.settings();
    return runChangeRules(state.report, { severities: settings.rules, fileStart: (file) => this.firstLine(file) });
  }

  /** The result for the client (request and notification). */
  result(state: ImpactState = this.compute()): ChangeImpactResult {
    if (state.files.length === 0) return NO_IMPACT;
    const { entries, policies } = state.report;
    let opened = 0;
    let closed = 0;
    let breaking = 0;
    const counts = { added: 0, removed: 0, changed: 0 };
    for (const e of entries) {
      counts[e.kind]++;
      if (!e.gained.isEmpty()) opened++;
      if (!e.lost.isEmpty()) closed++;
      if (e.breaking) breaking++;
    }
    const out: ChangeImpactEntry[] = entries.slice(0, MAX_ENTRIES).map((e) => ({
      ...diffEntryStrings(e),
      breaking: e.breaking,
      external: e.external,
      responsible: e.responsible.map((r) => this.responsible(r)),
    }));
    const changedPolicies: ChangedPolicy[] = policies.map((p) => ({
      policy: p.key,
      status: p.status,
      ...(p.after?.span ? { location: this.locator.location(p.after.span) } : {}),
      opened: p.opened,
      closed: p.closed,
    }));
    return {
      files: state.files.map((f) => f.uri),
      baseline: [...new Set(state.files.map((f) => f.kind))].join(' / '),
      opened,
      closed,
      ...counts,
      breaking,
      entries: out,
      truncated: entries.length - out.length,
      policies: changedPolicies,
    };
  }

  /** Lenses above the changed policies of one document. */
  codeLenses(uri: string): CodeLens[] {
    return this.guard('codeLenses', [], () => this.codeLensesNow(uri));
  }

  private codeLensesNow(uri: string): CodeLens[] {
    const state = this.compute();
    const kind = state.files.find((f) => f.uri === uri)?.kind;
    if (!kind) return [];
    const out: CodeLens[] = [];
    for (const p of state.report.policies) {
      const span = p.after?.span;
      if (!span || span.file !== uri) continue;
      const range = this.locator.range({ file: uri, start: span.start, end: span.start });
      const effect = p.opened + p.closed === 0 ? 'no connectivity change' : `+${flows(p.opened)} · \u2212${flows(p.closed)}`;
      out.push({ range, command: { title: `$(git-compare) ${p.status === 'added' ? 'new' : 'changed'} vs ${kind}: ${effect}`, command: SHOW_CHANGE_IMPACT_COMMAND, arguments: [] } });
    }
    return out;
  }

  /** Sends `netpol/changeImpactChanged` when the result differs from the last one sent. */
  notifyIfChanged(connection: Pick<Connection, 'sendNotification'>): void {
    return this.guard('notifyIfChanged', undefined, () => this.notifyIfChangedNow(connection));
  }

  private notifyIfChangedNow(connection: Pick<Connection, 'sendNotification'>): void {
    // The same state (same analysis and baselines, so the same texts) gives the same result.
    const state = this.compute();
    if (state === this.lastSentState) return;
    this.lastSentState = state;
    const result = this.result(state);
    const json = JSON.stringify(result);
    if (json === this.lastSent) return;
    this.lastSent = json;
    void connection.sendNotification(CHANGE_IMPACT_CHANGED_NOTIFICATION, result).catch(() => undefined);
  }

  /** The `netpol/changeImpact` request handler. */
  async request(): Promise<ChangeImpactResult> {
    await this.deps.ready;
    try {
      return this.result(this.computeDeferred());
    } catch (e) {
      this.deps.log?.(`NetPol: change impact failed: ${(e as Error).stack ?? e}`);
      return NO_IMPACT;
    }
  }

  /**
   * Runs a feature's work; a failure is logged and answered with `fallback`: the change
   * impact must never cost the user the diagnostics it is published with, nor the server.
   */
  private guard<T>(what: string, fallback: T, work: () => T): T {
    try {
      return work();
    } catch (e) {
      this.deps.log?.(`NetPol: change impact (${what}) failed: ${(e as Error).stack ?? String(e)}`);
      return fallback;
    }
  }

  private run(allowSlow: boolean): ImpactState {
    const settings = this.deps.settings();
    if (!settings.changeImpact) return this.remember([], EMPTY);
    const current = analysisOf(this.deps);
    const options: AnalyzeOptions = { defaultNamespace: settings.defaultNamespace, ingressController: settings.ingressController };
    const maxLength = settings.maxFileSizeKB * 1024;
    const { state } = this.deps;
    const changed: { uri: string; text: string | undefined; kind: BaselineKind }[] = [];
    this.usedBaselines.clear();
    for (const uri of state.openUris()) {
      const base = this.baselineOf(uri);
      this.usedBaselines.set(uri, base.text);
      if (base.text !== state.text(uri)) changed.push({ uri, ...base });
    }
    if (changed.length === 0) {
      this.pending = false;
      this.lastWorld = undefined;
      this.lastVariant = undefined;
      return this.remember([], EMPTY);
    }
    const key = [current, JSON.stringify([options, maxLength]), ...changed.flatMap((c) => [c.uri, c.text])];
    // Same analysis and baselines: the same answer (also "still deferred" until allowed).
    if (this.last && sameKey(this.last.key, key) && (!this.pending || !allowSlow)) return this.last.state;

    // Half-typed YAML: kubectl would apply nothing of the file, and the impact of the
    // keystroke before is what the user is looking at: keep it until the file parses.
    const files = filesByPath(current);
    if (this.last && changed.some((c) => hasYamlErrors(files.get(c.uri)) && !hasYamlErrors(c.text === undefined ? undefined : this.loadBaseline(c.uri, c.text, maxLength)))) {
      return this.remember(key, this.last.state);
    }

    let before = this.variantBaseline(current, changed, options, maxLength);
    if (!before) {
      const files = this.worldBaselineFiles(current, changed, maxLength);
      const optionsKey = JSON.stringify(options);
      const last = this.lastWorld;
      if (last && last.options === optionsKey && sameList(last.files, files)) before = last.reach;
      else {
        const size = current.model.workloads.length + current.model.policies.length;
        if (!allowSlow && (size > this.syncLimit || this.slowMs > SLOW_PATH_SYNC_MS)) {
          this.pending = true;
          // The last impact stays on show until the deferred computation replaces it.
          return this.remember(key, this.last?.state ?? EMPTY);
        }
        const t0 = performance.now();
        before = new Reachability(buildModel(files, options), options);
        this.slowMs = performance.now() - t0;
        this.lastWorld = { files, options: optionsKey, reach: before };
      }
    }
    this.pending = false;
    const report = changeImpact(before, current);
    return this.remember(key, { report, files: changed.map((c) => ({ uri: c.uri, kind: c.kind })) });
  }

  private remember(key: readonly unknown[], state: ImpactState): ImpactState {
    this.last = { key, state };
    return state;
  }

  /**
   * The baseline as a variant of the current reachability, or undefined when an edited
   * file's workloads, namespaces, Services or Ingresses differ from its baseline's.
   */
  private variantBaseline(current: Analysis, changed: readonly { uri: string; text: string | undefined }[], options: AnalyzeOptions, maxLength: number): Reachability | undefined {
    const files = filesByPath(current);
    // The edited files' objects, to tell their policies from the others' (10,000 policies: one set lookup each).
    const objectFile = new Map<ManifestObject, string>();
    for (const c of changed) for (const o of files.get(c.uri)?.objects ?? []) objectFile.set(o, c.uri);
    const policies: NetworkPolicy[] = [];
    const currentOfFile = new Map<string, NetworkPolicy[]>();
    /** uri -> where its policies stood among the others (the baseline's go there: the compiled forms stay aligned). */
    const insertAt = new Map<string, number>();
    for (const p of current.model.policies) {
      const file = p.source ? objectFile.get(p.source) : undefined;
      if (file !== undefined) {
        const list = currentOfFile.get(file);
        if (list) list.push(p);
        else {
          currentOfFile.set(file, [p]);
          insertAt.set(file, policies.length);
        }
      } else policies.push(p);
    }
    const inserts: { at: number; list: NetworkPolicy[] }[] = [];
    for (const c of changed) {
      const base = c.text === undefined ? undefined : this.loadBaseline(c.uri, c.text, maxLength);
      const now = files.get(c.uri);
      if (!sameWorld(base, c.text ?? '', now, this.deps.state.text(c.uri) ?? '')) return undefined;
      if (!base) continue;
      // A policy that says the same in both is the current object: it is not a change.
      // Nor is one the API server would reject now (the cluster would keep the baseline's):
      // the current object stands for it on both sides.
      const unused = new Map<string, NetworkPolicy[]>();
      const rejected = new Map<string, NetworkPolicy>();
      for (const p of currentOfFile.get(c.uri) ?? []) {
        if (p.rejected.length > 0) rejected.set(policyKey(p), p);
        const f = policyFingerprint(p);
        const list = unused.get(f);
        if (list) list.push(p);
        else unused.set(f, [p]);
      }
      const list = baselinePolicies(base, options).map((p) => {
        const same = unused.get(policyFingerprint(p))?.shift();
        if (same) return same;
        const invalid = rejected.get(policyKey(p));
        if (invalid) rejected.delete(policyKey(p));
        return invalid ?? p;
      });
      inserts.push({ at: insertAt.get(c.uri) ?? Number.MAX_SAFE_INTEGER, list });
    }
    // Last position first, so the earlier positions still hold.
    for (const { at, list } of inserts.sort((x, y) => y.at - x.at)) policies.splice(Math.min(at, policies.length), 0, ...list);
    const last = this.lastVariant;
    if (last && last.current === current.reach && sameList(last.policies, policies)) return last.reach;
    const reach = current.reach.withPolicies(policies);
    this.lastVariant = { current: current.reach, policies, reach };
    return reach;
  }

  /**
   * The baseline's files for a change of the world: the current ones (the same loaded
   * files, so their objects are shared and compare by identity), the edited ones as in
   * their baseline (left out when they have none).
   */
  private worldBaselineFiles(current: Analysis, changed: readonly { uri: string; text: string | undefined }[], maxLength: number): LoadedFile[] {
    const byUri = new Map(changed.map((c) => [c.uri, c.text]));
    const out: LoadedFile[] = [];
    for (const f of current.files) {
      if (!byUri.has(f.path)) out.push(f);
      else {
        const text = byUri.get(f.path);
        if (text !== undefined) out.push(this.loadBaseline(f.path, text, maxLength));
      }
    }
    return out;
  }

  private loadBaseline(uri: string, text: string, maxLength: number): LoadedFile {
    const hit = this.baselineFiles.get(uri);
    if (hit && hit.text === text && hit.maxLength === maxLength) return hit.file;
    const file = loadFile({ path: uri, text }, this.cache, { maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH });
    this.baselineFiles.set(uri, { text, maxLength, file });
    for (const u of this.baselineFiles.keys()) if (!this.deps.state.isOpen(u)) this.baselineFiles.delete(u);
    return file;
  }

  /** An open file's baseline: git HEAD, else the last saved text, else none. */
  private baselineOf(uri: string): { text: string | undefined; kind: BaselineKind } {
    const path = filePathOf(uri);
    if (path !== undefined) {
      const head = this.git.gitHead(path);
      if (head !== undefined) return { text: head, kind: 'git HEAD' };
    }
    return { text: this.deps.state.diskText(uri), kind: 'last saved' };
  }

  private responsible(r: Responsible): ChangeResponsible {
    const rule = r.rule ? `${r.rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${r.rule.index}]` : undefined;
    const name = policyKey(r.policy);
    const text = {
      allows: `${rule} of ${name} admits it`,
      'no-longer-allows': `${rule} of ${name} admitted it before the edit`,
      isolates: `${name} now isolates it and admits it nowhere`,
      'no-longer-isolates': `${name} isolated it before the edit`,
    }[r.role];
    const anchor = anchorOf(r);
    return {
      policy: name,
      ...(rule ? { rule } : {}),
      role: r.role,
      ...(anchor ? { location: this.locator.location(anchor.span) } : {}),
      text,
    };
  }

  private firstLine(file: string): Span | undefined {
    const text = this.deps.state.text(file);
    if (text === undefined) return undefined;
    const nl = text.indexOf('\n');
    return { file, start: 0, end: nl < 0 ? text.length : nl };
  }
}

/** The file has documents that do not parse (a YAML error, not one of its findings about Kubernetes). */
function hasYamlErrors(file: LoadedFile | undefined): boolean {
  return file !== undefined && file.notes.some(isYamlError);
}

function flows(n: number): string {
  return `${n} ${n === 1 ? 'flow' : 'flows'}`;
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const filesOfAnalysis = new WeakMap<Analysis, Map<string, LoadedFile>>();

function filesByPath(a: Analysis): Map<string, LoadedFile> {
  let map = filesOfAnalysis.get(a);
  if (!map) filesOfAnalysis.set(a, (map = new Map(a.files.map((f) => [f.path, f]))));
  return map;
}

const policiesOfBaseline = new WeakMap<LoadedFile, { key: string; policies: readonly NetworkPolicy[] }>();

/** A baseline file's policies, read once per file and options (the baseline does not change while one types). */
function baselinePolicies(file: LoadedFile, options: AnalyzeOptions): readonly NetworkPolicy[] {
  const key = options.defaultNamespace ?? '';
  const hit = policiesOfBaseline.get(file);
  if (hit && hit.key === key) return hit.policies;
  const policies = buildModel([file], options).policies;
  policiesOfBaseline.set(file, { key, policies });
  return policies;
}


/** Kinds that make up the world the policies apply to. */
function isWorldObject(obj: ManifestObject): boolean {
  return obj.kind === 'Namespace' || obj.kind === 'Service' || obj.kind === 'Ingress' || obj.kind === 'Route' || isWorkloadKind(obj.kind);
}

/**
 * The two versions of a file hold the same world objects, written the same way (both
 * absent counts as the same). Compared as text: a string comparison per object, where
 * comparing them as data would first have to turn each into data.
 */
function sameWorld(a: LoadedFile | undefined, aText: string, b: LoadedFile | undefined, bText: string): boolean {
  const wa = (a?.objects ?? []).filter(isWorldObject);
  const wb = (b?.objects ?? []).filter(isWorldObject);
  if (wa.length !== wb.length) return false;
  for (let i = 0; i < wa.length; i++) {
    const x = wa[i].span;
    const y = wb[i].span;
    if (x.end - x.start !== y.end - y.start || aText.slice(x.start, x.end) !== bText.slice(y.start, y.end)) return false;
  }
  return true;
}
