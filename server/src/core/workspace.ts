/**
 * The host: one object owns the workspace's files, the configuration and every cache
 * that follows them, takes changes, and hands out snapshots (rust-analyzer's
 * AnalysisHost and Analysis). The language server keeps one for the editor's workspace;
 * the CLI takes one snapshot of the files it is given (analyzeOnce). Both reach the core
 * only through core/index.ts.
 */
import { analyze, type Analysis } from './analysis/analyze';
import { analyzeOptionsOf, DEFAULTS, type NetpolConfig } from './analysis/config';
import type { TextEdit } from './base/edits';
import { fixAllInFile, type FixAllResult } from './fixes/fix-all';
import { fixesFor } from './fixes/fixes';
import { defaultDenyEdit } from './ide/default-deny';
import { complete, type CompleteOptions } from './ide/complete/complete';
import { hoverAt, type HoverResult, type Locate } from './ide/hover/hover';
import { codeLenses, type CodeLensInfo } from './ide/lenses';
import { ImpactTracker, type ImpactState } from './impact/baselines';
import type { Fix } from './lint/fix';
import type { Finding } from './lint/rule';
import { loadFile } from './manifest/load';
import { chartTemplates } from './manifest/detect';
import { buildModel, ModelMemory } from './model/build';
import { Reachability } from './reach/engine';
import { runRules } from './rules/run';
import { ruleOptionsOf } from './rules/types';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from './yaml/limits';
import { ParseCache } from './yaml/parse';
import type { CompletionItem } from './ide/complete/item';
import type { LoadedFile, SourceFile } from './manifest/types';

/** One change of the workspace's files. */
export type FileChange =
  /** A file as read from disk; `text: undefined` when it was deleted. */
  | { readonly kind: 'disk'; readonly uri: string; readonly text: string | undefined }
  /** An editor buffer, opened or edited: it wins over the disk. */
  | { readonly kind: 'open'; readonly uri: string; readonly text: string }
  | { readonly kind: 'close'; readonly uri: string };

export interface WorkspaceOptions {
  /**
   * A file's text at git HEAD, by URI, for the change impact (node/git-baselines.ts in
   * the server); without it, each file's last saved text is its baseline.
   */
  readonly gitHead?: (uri: string) => string | undefined;
  /** Workloads + policies beyond which a change of the world waits for a pause in typing (impact/baselines.ts). */
  readonly slowPathSyncLimit?: number;
}

/**
 * The editor's workspace: syntax trees and the last analysis are kept, so an edit
 * re-parses only the documents it touched and recompiles only the policies it changed;
 * files past config.maxFileSizeKB are not analysed, and documents that need the full YAML
 * parser have the editor's bound.
 */
export class Workspace {
  private currentConfig: NetpolConfig;
  private readonly disk = new Map<string, string>();
  private readonly open = new Map<string, string>();
  /** Per file: the LoadedFile of its current text (an unchanged file keeps it, and with it every cache keyed by it). */
  private readonly loaded = new Map<string, { text: string; file: LoadedFile; maxLength: number; chartTemplate: boolean }>();
  /** Per YAML document: its parse (an edit re-parses the documents it touched). */
  private readonly cache = new ParseCache();
  /** The what-if analyses of "fix all" (the workspace with a file's text after a round). */
  private readonly whatIfCache = new ParseCache(5_000);
  /** What the model builds share (merged workloads keep their identity across them). */
  private readonly memory = new ModelMemory();
  private current: Snapshot | undefined;
  private last: { readonly key: string; readonly analysis: Analysis; readonly texts: ReadonlyMap<string, string> } | undefined;
  /** What pending edits open and close, against git HEAD or the last saved text. */
  private readonly impact: ImpactTracker;

  constructor(config: NetpolConfig = DEFAULTS, private readonly options: WorkspaceOptions = {}) {
    this.currentConfig = config;
    this.impact = new ImpactTracker(
      {
        config: () => this.config,
        analysis: () => this.snapshot().analysis,
        openUris: () => this.openUris(),
        text: (uri) => this.text(uri),
        diskText: (uri) => this.disk.get(uri),
        isOpen: (uri) => this.open.has(uri),
        gitHead: (uri) => this.options.gitHead?.(uri),
        memory: this.memory,
      },
      options.slowPathSyncLimit,
    );
  }

  /** The configuration the next snapshot is taken with. */
  get config(): NetpolConfig {
    return this.currentConfig;
  }

  setConfig(config: NetpolConfig): void {
    this.currentConfig = config;
    this.current = undefined;
  }

  applyChange(changes: FileChange | readonly FileChange[]): void {
    for (const c of Array.isArray(changes) ? changes : [changes as FileChange]) {
      if (c.kind === 'disk') {
        if (c.text === undefined) this.disk.delete(c.uri);
        else this.disk.set(c.uri, c.text);
      } else if (c.kind === 'open') this.open.set(c.uri, c.text);
      else this.open.delete(c.uri);
    }
    this.current = undefined;
  }

  /** The text the analysis uses: the open buffer wins over the disk. */
  text(uri: string): string | undefined {
    return this.open.get(uri) ?? this.disk.get(uri);
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  /** The open documents, sorted. */
  openUris(): string[] {
    return [...this.open.keys()].sort();
  }

  /** Every file, sorted. */
  uris(): string[] {
    return [...new Set([...this.disk.keys(), ...this.open.keys()])].sort();
  }

  /** The workspace as it is now: the same object until the next change. */
  snapshot(): Snapshot {
    if (!this.current) {
      const { analysis, texts } = this.analyze();
      this.current = new Snapshot(analysis, texts, this.config, this);
    }
    return this.current;
  }

  /** The change impact now; with `allowSlow` false, a slow baseline on a large workspace is left for later (impactPending). */
  impactState(allowSlow = false): ImpactState {
    return this.impact.compute(allowSlow);
  }

  /** The last impactState() left a slow baseline for later: call impactState(true) when typing pauses. */
  get impactPending(): boolean {
    return this.impact.pending;
  }

  /** Reads an opened file's baseline ahead of its first edit. */
  prepareImpact(uri: string): void {
    this.impact.prepare(uri);
  }

  /** An open file's baseline moved (a commit, a checkout) since the last impact. */
  baselineMoved(): boolean {
    return this.impact.baselineMoved();
  }

  /** The change rules' findings on the current impact. */
  changeFindings(): Finding[] {
    return this.impact.findings();
  }

  /** The analysis of the files as they are (reused while neither they nor what it reads of the configuration changed). */
  private analyze(): { analysis: Analysis; texts: ReadonlyMap<string, string> } {
    const options = analyzeOptionsOf(this.config);
    const maxLength = this.config.maxFileSizeKB * 1024;
    const key = JSON.stringify([options, maxLength]);
    const uris = this.uris();
    if (this.last && this.last.key === key && sameTexts(this.last.texts, uris, (u) => this.text(u))) return this.last;
    const texts = new Map<string, string>();
    for (const uri of uris) texts.set(uri, this.text(uri) ?? '');
    const files: LoadedFile[] = [];
    const charts = chartTemplates(texts.keys());
    for (const [uri, text] of texts) {
      const hit = this.loaded.get(uri);
      const chartTemplate = charts.has(uri);
      if (hit && hit.text === text && hit.maxLength === maxLength && hit.chartTemplate === chartTemplate) {
        files.push(hit.file);
        continue;
      }
      // The editor reparses an edited document on every keystroke: its own bound for the full YAML parser.
      const file = loadFile({ path: uri, text }, this.cache, { maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH, chartTemplate });
      this.loaded.set(uri, { text, file, maxLength, chartTemplate });
      files.push(file);
    }
    for (const uri of this.loaded.keys()) if (!texts.has(uri)) this.loaded.delete(uri);
    const previous = this.last?.analysis.reach;
    const model = buildModel(files, options, previous?.model, this.memory);
    // The previous reachability lends its class table and compiled policies when the
    // edit did not touch pods or namespaces.
    const analysis: Analysis = { files, model, reach: new Reachability(model, options, previous) };
    this.last = { key, analysis, texts };
    return this.last;
  }

  /** "Fix all" of one file: safe fixes applied round after round on what-if analyses of the workspace. */
  fixAll(snapshot: Snapshot, uri: string): FixAllResult | undefined {
    const text = snapshot.text(uri);
    if (text === undefined) return undefined;
    const { analysis } = snapshot;
    const findings = snapshot.findings();
    const options = { ...analyzeOptionsOf(snapshot.config), maxLength: snapshot.config.maxFileSizeKB * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH };
    const ruleOptions = ruleOptionsOf(snapshot.config);
    const runOptions = { severities: snapshot.config.rules, options: ruleOptions };
    return fixAllInFile({
      file: uri,
      text,
      options: ruleOptions,
      evaluate: (t) => {
        if (t === text) return { analysis, findings, text: (file) => snapshot.text(file) };
        const files = snapshot.uris().map((u) => ({ path: u, text: u === uri ? t : (snapshot.text(u) ?? '') }));
        const next = analyze(files, options, this.whatIfCache, this.memory);
        return { analysis: next, findings: runRules(next, runOptions), text: (file) => (file === uri ? t : snapshot.text(file)) };
      },
    });
  }
}

/**
 * One analysis of files as given (the CLI's): in their order, no syntax tree kept once
 * the model has read it, no bound of the editor's. A file given twice is analysed twice;
 * its text is the last one given.
 */
export function analyzeOnce(files: readonly SourceFile[], config: NetpolConfig = DEFAULTS): Snapshot {
  return new Snapshot(analyze(files, analyzeOptionsOf(config)), new Map(files.map((f) => [f.path, f.text])), config);
}

/**
 * One state of the workspace: its analysis (files, model, reachability), the texts it
 * was made from and the configuration, and every question the surfaces ask of it.
 * Answers are computed on demand and kept for the snapshot's life.
 */
export class Snapshot {
  private findingsCache: Finding[] | undefined;

  constructor(
    readonly analysis: Analysis,
    private readonly texts: ReadonlyMap<string, string>,
    readonly config: NetpolConfig,
    /** The editor's host, for what needs more than this state (what-if analyses, baselines). */
    private readonly host?: Workspace,
  ) {}

  text(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  uris(): string[] {
    return [...this.texts.keys()];
  }

  /** The findings of the workspace rules (the change rules judge edits: Workspace.changeFindings). */
  findings(): Finding[] {
    this.findingsCache ??= runRules(this.analysis, { severities: this.config.rules, options: ruleOptionsOf(this.config) });
    return this.findingsCache;
  }

  /** The fixes of one finding of this snapshot. */
  fixes(finding: Finding): Fix[] {
    return fixesFor(finding, { analysis: this.analysis, text: (file) => this.text(file), options: ruleOptionsOf(this.config) });
  }

  /** "Fix all safe problems" in one file (the editor's host only). */
  fixAll(uri: string): FixAllResult | undefined {
    return this.host?.fixAll(this, uri);
  }

  /** What the cursor is on, in Markdown; `locate` turns spans into the caller's locations. */
  hover(uri: string, offset: number, locate: Locate): HoverResult | undefined {
    const text = this.text(uri);
    if (text === undefined) return undefined;
    return hoverAt({ analysis: this.analysis, file: uri, text, offset, locate });
  }

  /** Completion at an offset of a file. */
  complete(uri: string, offset: number, options: CompleteOptions = {}): CompletionItem[] {
    const text = this.text(uri);
    if (text === undefined) return [];
    return complete(text, offset, this.analysis.model, options);
  }

  /** The reachability lenses of a file (off with config.codeLens false). */
  lenses(uri: string): CodeLensInfo[] {
    if (!this.config.codeLens || this.text(uri) === undefined) return [];
    return codeLenses(this.analysis, uri);
  }

  /** The edits that add a default-deny policy for a namespace, or why there are none. */
  defaultDenyEdit(namespace: string, egress: boolean): { readonly edits: readonly TextEdit[] } | { readonly error: string } {
    return defaultDenyEdit(this.analysis, (file) => this.text(file), ruleOptionsOf(this.config), namespace, egress);
  }
}

function sameTexts(texts: ReadonlyMap<string, string>, uris: readonly string[], text: (uri: string) => string | undefined): boolean {
  if (texts.size !== uris.length) return false;
  let i = 0;
  for (const [uri, t] of texts) {
    if (uri !== uris[i++] || t !== (text(uri) ?? '')) return false;
  }
  return true;
}
