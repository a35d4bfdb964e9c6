/**
 * The host: one object owns the workspace's files, the configuration and every cache
 * that follows them, takes changes, and hands out snapshots (rust-analyzer's
 * AnalysisHost and Analysis). The language server keeps one for the editor's workspace;
 * the CLI takes one snapshot of the files it is given (analyzeOnce). Both reach the core
 * only through core/index.ts.
 */
import { analyze, prepare, type Analysis } from './analysis/analyze';
import { analyzeOptionsOf, DEFAULTS, type NetpolConfig } from './analysis/config';
import { invalidConfigMeta, mergeConfig, parseConfigFile, type ConfigFile } from './analysis/config-file';
import { evidenceOf, evidenceOptionsOf } from './analysis/evidence';
import { expectationFindings } from './analysis/expect-findings';
import { LineIndex } from './base/span';
import type { Evidence } from './evidence/types';
import { generatePolicies, type GenerateOptions, type GenerateResult } from './generate/generate';
import type { TextEdit } from './base/edits';
import { fixAllInFile, type FixAllResult } from './fixes/fix-all';
import type { FixCheckBase } from './fixes/check';
import { fixesFor } from './fixes/fixes';
import { defaultDenyEdit } from './ide/default-deny';
import { complete, type CompleteOptions } from './ide/complete/complete';
import { hoverAt, type HoverResult, type Locate } from './ide/hover/hover';
import { codeLenses, type CodeLensInfo } from './ide/lenses';
import { ImpactTracker, type ImpactState } from './impact/baselines';
import { changeImpact } from './impact/impact';
import type { ImpactEntry } from './impact/types';
import type { Fix } from './lint/fix';
import type { Finding } from './lint/rule';
import { letGoOfTree, loadFile } from './manifest/load';
import { applyKustomizations, KustomizeState } from './manifest/kustomized';
import { chartTemplates } from './manifest/detect';
import { buildModel, ModelMemory } from './model/build';
import { Reachability } from './reach/engine';
import { runRules, type CheckResult } from './rules/run';
import { WORKSPACE_RULES } from './rules/catalog';
import { RULES } from './catalog';
import { applySuppressions, suppressionEdit, type SuppressedFinding, type SuppressResult } from './lint/suppressions';
import { parseDocument } from 'yaml';
import { splitDocuments } from './yaml/split';
import { ruleOptionsOf, type WorkspaceRule } from './rules/types';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from './yaml/limits';
import { ParseCache } from './yaml/parse';
import type { CompletionItem } from './ide/complete/item';
import type { LoadedFile, ManifestObject, SourceFile } from './manifest/types';

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
  /** False: keep the syntax trees of every file, open or not (default true: only open files keep theirs). For tests. */
  readonly releaseTrees?: boolean;
}

/**
 * The editor's workspace: the last analysis is kept, so an edit re-parses only the
 * documents it touched and recompiles only the policies it changed; files past
 * config.maxFileSizeKB are not analysed, and documents that need the full YAML parser
 * have the editor's bound.
 *
 * Syntax trees are kept for the open files (they are edited on every keystroke), and of
 * the other files for the policies and the Ingresses and Routes (keepsTree) only. The
 * other documents of a file the editor does not have open keep their loaded objects (and
 * every cache keyed by them) and their text, not their trees: each tree is let go once the
 * model has read it (LoadOptions.keepTree), and one asked for again (a hover, a fix, the
 * change impact, a rule's finding) is parsed again from the text, identically, and let go
 * after the next run of the rules (releaseTrees). On a workspace of 10,000 workloads
 * these trees were half the heap, and most of the collector's work while indexing.
 * While the workspace is indexed (preload), the policies', Ingresses' and Routes' trees
 * are let go too, and kept once the rules have parsed them again.
 */
export class Workspace {
  private currentConfig: NetpolConfig;
  private configFileUri: string | undefined;
  private expectFileUri: string | undefined;
  private effectiveCache: { settings: NetpolConfig; uri: string | undefined; text: string | undefined; value: { config: NetpolConfig; file: { uri: string; parsed: ConfigFile } | undefined } } | undefined;
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
  /** The kustomizations' resolution (parsed files, roots' results) between analyses, for the analysis, the what-ifs and the baselines. */
  private readonly kustomize = new KustomizeState();
  private readonly whatIfKustomize = new KustomizeState();
  private readonly baselineKustomize = new KustomizeState();
  private current: Snapshot | undefined;
  /** The Helm chart templates among the files, for preload (kept until the next change). */
  private preloadCharts: Set<string> | undefined;
  private last: { readonly key: string; readonly analysis: Analysis; readonly texts: ReadonlyMap<string, string> } | undefined;
  /** What pending edits open and close, against git HEAD or the last saved text. */
  private readonly impact: ImpactTracker;
  /** Files whose trees may be held again (parsed again since let go, or just closed): let go by releaseTrees unless open. */
  private readonly treesHeld = new Set<string>();
  /** Documents parsed again after their trees were let go (for tests and benchmarks). */
  reparses = 0;
  /** False: every file keeps its trees, as open files do (the tests compare results with and without letting go). */
  private readonly releasing: boolean;

  constructor(config: NetpolConfig = DEFAULTS, private readonly options: WorkspaceOptions = {}) {
    this.currentConfig = config;
    this.releasing = options.releaseTrees !== false;
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
        kustomizeBaseline: (uri, text, file) => this.kustomizeBaseline(uri, text, file),
        kustomizeWorld: (files, text) => applyKustomizations(files, text, this.baselineKustomize),
      },
      options.slowPathSyncLimit,
    );
  }

  /**
   * The configuration the next snapshot is taken with: the settings (setConfig) over the
   * repository's configuration file (setConfigFile), read from the workspace's own text of
   * it (an open buffer wins, so an edit applies as it is typed).
   */
  get config(): NetpolConfig {
    return this.effective().config;
  }

  setConfig(config: NetpolConfig): void {
    this.currentConfig = config;
    this.current = undefined;
  }

  /** The URI of the repository's .netpol.yaml (undefined: none). */
  setConfigFile(uri: string | undefined): void {
    this.configFileUri = uri;
    this.current = undefined;
  }

  /** The URI of the repository's .netpol-expect.yaml (undefined: none): its expectations are checked on every analysis. */
  setExpectationsFile(uri: string | undefined): void {
    this.expectFileUri = uri;
    this.current = undefined;
  }

  private effective(): { config: NetpolConfig; file: { uri: string; parsed: ConfigFile } | undefined } {
    const uri = this.configFileUri;
    const text = uri === undefined ? undefined : this.text(uri);
    const hit = this.effectiveCache;
    if (hit && hit.settings === this.currentConfig && hit.uri === uri && hit.text === text) return hit.value;
    const parsed = uri !== undefined && text !== undefined ? parseConfigFile(text, knownRule) : undefined;
    const value = { config: parsed ? mergeConfig(parsed.config, this.currentConfig) : this.currentConfig, file: parsed && uri !== undefined ? { uri, parsed } : undefined };
    this.effectiveCache = { settings: this.currentConfig, uri, text, value };
    return value;
  }

  applyChange(changes: FileChange | readonly FileChange[]): void {
    for (const c of Array.isArray(changes) ? changes : [changes as FileChange]) {
      if (c.kind === 'disk') {
        if (c.text === undefined) this.disk.delete(c.uri);
        else this.disk.set(c.uri, c.text);
      } else if (c.kind === 'open') this.open.set(c.uri, c.text);
      else if (this.open.delete(c.uri)) this.closed(c.uri);
    }
    this.current = undefined;
    this.preloadCharts = undefined;
  }

  /**
   * A file was closed: its trees are let go at the next releaseTrees, and its documents'
   * parses leave the cache (it kept them for the edits).
   */
  private closed(uri: string): void {
    if (!this.releasing) return;
    this.treesHeld.add(uri);
    const hit = this.loaded.get(uri);
    if (hit) for (const chunk of splitDocuments(hit.text)) this.cache.forget(chunk.text);
  }

  /**
   * Lets go of the syntax trees held of files that are not open: those parsed again since
   * the last time (by the rules, a hover, a fix, the change impact) and those just closed.
   * Called once the rules have run on a snapshot; changes no result (a tree asked for
   * later is parsed again).
   */
  releaseTrees(): void {
    if (this.treesHeld.size === 0) return;
    for (const uri of this.treesHeld) {
      if (this.open.has(uri)) continue;
      // (A kustomized object's tree is its source's: the objects as loaded.)
      const hit = this.loaded.get(uri);
      if (hit) for (const o of hit.file.objects) if (!keepsTree(o)) letGoOfTree(o);
    }
    this.treesHeld.clear();
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
      const { config, file } = this.effective();
      this.current = new Snapshot(analysis, texts, config, this, file && { path: file.uri, ...file.parsed }, this.expectFileUri);
    }
    return this.current;
  }

  /** Whether `snapshot` is still the workspace as it is (no change since it was taken). */
  isCurrent(snapshot: Snapshot): boolean {
    return this.current === snapshot;
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

  /** The change rules' findings on the current impact, less those the manifests suppress. */
  changeFindings(): Finding[] {
    const found = this.impact.findings();
    if (found.length === 0) return found;
    const snapshot = this.snapshot();
    return applySuppressions(found, snapshot.analysis.files, (f) => snapshot.text(f), suppressOptions(snapshot.config), false).findings;
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
    for (const [uri, text] of texts) files.push(this.load(uri, text, maxLength, charts.has(uri)));
    for (const uri of this.loaded.keys()) if (!texts.has(uri)) this.loaded.delete(uri);
    const previous = this.last?.analysis.reach;
    const kustomized = applyKustomizations(files, (uri) => texts.get(uri), this.kustomize);
    const model = buildModel(kustomized, options, previous?.model, this.memory);
    // The previous reachability lends its class table and compiled policies when the
    // edit did not touch pods or namespaces.
    const analysis: Analysis = { files: kustomized, model, reach: new Reachability(model, options, previous) };
    this.last = { key, analysis, texts };
    return this.last;
  }

  /**
   * A file's LoadedFile for its text (the last one while the text and what it was loaded with are the same).
   * `indexing`: a file not open keeps no tree at all, its policies' neither (see preload).
   */
  private load(uri: string, text: string, maxLength: number, chartTemplate: boolean, indexing = false): LoadedFile {
    const hit = this.loaded.get(uri);
    if (hit && hit.text === text && hit.maxLength === maxLength && hit.chartTemplate === chartTemplate) return hit.file;
    // The editor reparses an edited document on every keystroke: its own bound for the full YAML parser.
    // A file not open keeps no trees (see the class comment); one parsed again is let go by releaseTrees.
    const onReparse = () => {
      this.reparses++;
      this.treesHeld.add(uri);
    };
    const keepTree = this.releasing && !this.open.has(uri) ? (indexing ? keepsNoTree : keepsTree) : undefined;
    const file = loadFile({ path: uri, text }, this.cache, { maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH, chartTemplate, prepare, keepTree, onReparse });
    this.loaded.set(uri, { text, file, maxLength, chartTemplate });
    return file;
  }

  /**
   * Loads (parses) these files of the workspace ahead of the next analysis, which then
   * finds them loaded: the language server indexes a workspace in steps this way, with
   * its progress shown between them. Changes nothing the analysis computes.
   *
   * The files not open keep no trees from here, their policies', Ingresses' and Routes'
   * neither: the rules parse those again as they come to them, and keep them from then on
   * (releaseTrees keeps what keepsTree says). Held from the load, 10,200 policies' trees
   * (~70 MB) were copied by the young-generation collector while the workspace loaded,
   * before any diagnostic; parsed again by the rules, a file's policies come when the
   * rules check that file (the server publishes its first analysis file by file), and the
   * collector's work saved pays for the second parse.
   */
  preload(uris: Iterable<string>): void {
    const maxLength = this.config.maxFileSizeKB * 1024;
    const charts = (this.preloadCharts ??= chartTemplates(this.uris()));
    for (const uri of uris) {
      const text = this.text(uri);
      if (text !== undefined) this.load(uri, text, maxLength, charts.has(uri), true);
    }
  }

  /**
   * A baseline file as the workspace's kustomizations render it (the other files as they
   * are now): an edited base is compared with its own baseline in the same namespace.
   */
  private kustomizeBaseline(uri: string, text: string, file: LoadedFile): LoadedFile {
    const files = [...this.loaded].map(([u, e]) => (u === uri ? file : e.file));
    if (!this.loaded.has(uri)) files.push(file);
    const out = applyKustomizations(files, (u) => (u === uri ? text : this.text(u)), this.baselineKustomize);
    return out.find((f) => f.path === uri) ?? file;
  }

  /** The caches of what-if analyses (fix checks and "fix all"). */
  whatIf(): { readonly cache: ParseCache; readonly memory: ModelMemory; readonly kustomize: KustomizeState } {
    return { cache: this.whatIfCache, memory: this.memory, kustomize: this.whatIfKustomize };
  }

  /** "Fix all" of one file: safe fixes applied round after round on what-if analyses of the workspace. */
  fixAll(snapshot: Snapshot, uri: string): FixAllResult | undefined {
    const text = snapshot.text(uri);
    if (text === undefined) return undefined;
    const { analysis } = snapshot;
    // Fix-all compares rule results round after round: the rules' own findings, before suppressions.
    const findings = snapshot.ruleFindings();
    const options = { ...analyzeOptionsOf(snapshot.config), maxLength: snapshot.config.maxFileSizeKB * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH };
    const ruleOptions = ruleOptionsOf(snapshot.config);
    const runOptions = { severities: snapshot.config.rules, options: ruleOptions };
    return fixAllInFile({
      file: uri,
      text,
      options: ruleOptions,
      check: (round) => ({ ...round, analyzeOptions: options, run: runOptions, severities: snapshot.config.rules, cache: this.whatIfCache, memory: this.memory, kustomize: this.whatIfKustomize }),
      evaluate: (t) => {
        if (t === text) return { analysis, findings, text: (file) => snapshot.text(file) };
        const files = snapshot.uris().map((u) => ({ path: u, text: u === uri ? t : (snapshot.text(u) ?? '') }));
        const next = analyze(files, options, this.whatIfCache, this.memory, this.whatIfKustomize);
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
/** Where closedBy puts the generated policies (no file of the workspace is named so). */
const GENERATED_PREVIEW = 'untitled:netpol-generated-preview.yaml';

export function analyzeOnce(files: readonly SourceFile[], config: NetpolConfig = DEFAULTS, configFile?: SourceFile & ConfigFile): Snapshot {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  // The configuration file's text, for locating what is wrong in it (it is no manifest).
  if (configFile && !texts.has(configFile.path)) texts.set(configFile.path, configFile.text);
  return new Snapshot(analyze(files, analyzeOptionsOf(config)), texts, config, undefined, configFile);
}

/**
 * The objects whose trees a file that is not open keeps: those the rules read again on
 * every run or after any change of the world (a policy's PolicyAst, the locations of
 * policy findings, an Ingress's or a Route's backends). Letting them go would parse them
 * again on a keystroke elsewhere (a workload rename re-checks thousands of policies).
 */
function keepsTree(obj: ManifestObject): boolean {
  return obj.kind.endsWith('NetworkPolicy') || obj.kind === 'Ingress' || obj.kind === 'Route';
}

/** What a file not open keeps while the workspace is indexed (preload): nothing. */
const keepsNoTree = (): boolean => false;

/** Whether the catalog knows a rule id (for the configuration file's `rules`). */
function knownRule(id: string): boolean {
  return RULES.some((r) => r.meta.id === id);
}

/**
 * One state of the workspace: its analysis (files, model, reachability), the texts it
 * was made from and the configuration, and every question the surfaces ask of it.
 * Answers are computed on demand and kept for the snapshot's life.
 */
export class Snapshot {
  private findingsCache: Finding[] | undefined;
  /** The workspace checks' findings, shared by findingsIn() and the whole run. */
  private readonly checksCache = new Map<WorkspaceRule, CheckResult>();
  private expectCache: Finding[] | undefined;
  private readonly fixesCache = new WeakMap<Finding, Fix[]>();
  private checkBaseCache: FixCheckBase | undefined;
  private suppressionCache: SuppressResult | undefined;

  constructor(
    readonly analysis: Analysis,
    private readonly texts: ReadonlyMap<string, string>,
    readonly config: NetpolConfig,
    /** The editor's host, for what needs more than this state (what-if analyses, baselines). */
    private readonly host?: Workspace,
    /** The repository's configuration file, when there is one: what is wrong in it is reported there. */
    private readonly configFile?: { readonly path: string; readonly problems: ConfigFile['problems'] },
    /** The repository's expectations file, when there is one: what is wrong in it and what fails is reported there. */
    private readonly expectFile?: string,
  ) {}

  text(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  uris(): string[] {
    return [...this.texts.keys()];
  }

  /**
   * The findings of the workspace rules (the change rules judge edits:
   * Workspace.changeFindings), less those a suppression in the manifests accepts, with the
   * reports about the suppressions themselves.
   */
  findings(): Finding[] {
    return this.suppression().findings;
  }

  /** The findings a suppression accepts, with its reason (`--show-suppressed`, SARIF). */
  suppressed(): readonly SuppressedFinding[] {
    return this.suppression().suppressed;
  }

  /**
   * findings() of these files only, the same findings in the same order, at the cost of
   * their files' policies (and of the workspace checks, once): a large workspace's first
   * analysis is published a few files at a time, the files open in the editor first. What
   * one call computes, the next and findings() reuse.
   */
  findingsIn(uris: ReadonlySet<string>): Finding[] {
    if (this.suppressionCache) return this.suppressionCache.findings.filter((f) => uris.has(f.span.file));
    const rules = runRules(this.analysis, { severities: this.config.rules, options: ruleOptionsOf(this.config), only: uris, checks: this.checksCache });
    this.host?.releaseTrees();
    const files = this.analysis.files.filter((f) => uris.has(f.path));
    const result = applySuppressions(rules, files, (f) => this.text(f), suppressOptions(this.config)).findings;
    this.addFileFindings(result);
    return result.filter((f) => uris.has(f.span.file));
  }

  /** The rules' findings before suppressions. */
  ruleFindings(): Finding[] {
    if (!this.findingsCache) {
      // Without an editor behind it (the CLI's one snapshot) no later run asks: policy trees are let go as the rules finish with them.
      this.findingsCache = runRules(this.analysis, { severities: this.config.rules, options: ruleOptionsOf(this.config), once: this.host === undefined, checks: this.checksCache });
      // The trees the rules parsed again (of files not open) are let go.
      this.host?.releaseTrees();
    }
    return this.findingsCache;
  }

  private suppression(): SuppressResult {
    if (!this.suppressionCache) {
      const result = applySuppressions(this.ruleFindings(), this.analysis.files, (f) => this.text(f), suppressOptions(this.config));
      this.addFileFindings(result.findings);
      this.suppressionCache = result;
    }
    return this.suppressionCache;
  }

  /** What is wrong in the configuration file, and the expectations file's findings, after the rules'. */
  private addFileFindings(findings: Finding[]): void {
    const severity = this.config.rules[invalidConfigMeta.id] ?? invalidConfigMeta.defaultSeverity;
    const file = this.configFile;
    if (file && severity !== 'off') {
      for (const p of file.problems) findings.push({ rule: invalidConfigMeta.id, severity, message: p.message, span: { file: file.path, start: p.start, end: p.end }, path: '' });
    }
    findings.push(...this.expectations());
  }

  /** The expectations file's findings (what is wrong in it, what fails), kept for the snapshot's life. */
  private expectations(): Finding[] {
    if (this.expectCache) return this.expectCache;
    const expectText = this.expectFile === undefined ? undefined : this.text(this.expectFile);
    if (this.expectFile === undefined || expectText === undefined) return (this.expectCache = []);
    const indexes = new Map<string, LineIndex>();
    const location = (span: { file: string; start: number }) => {
      let idx = indexes.get(span.file);
      if (!idx) indexes.set(span.file, (idx = new LineIndex(this.text(span.file) ?? '')));
      return `${span.file.replace(/^.*\//, '')}:${idx.positionAt(span.start).line + 1}`;
    };
    return (this.expectCache = expectationFindings(this.analysis, { path: this.expectFile, text: expectText }, this.config.rules, location));
  }

  /**
   * "Suppress here": a `# netpol-disable-next-line` comment above the finding's line, and a
   * `# netpol-disable` comment at the top of its document. An edit is offered only when the
   * document reads the same with the comment (not inside a block scalar, say).
   */
  suppressions(finding: Finding): { readonly title: string; readonly kind: 'next-line' | 'document'; readonly edit: TextEdit; readonly snippet: string }[] {
    const text = this.text(finding.span.file);
    // What the API server rejects (errors) is no finding to accept; nor is what a suppression says of itself.
    if (text === undefined || finding.severity === 'error' || !RULES.some((r) => r.meta.id === finding.rule) || finding.rule.endsWith('-suppression')) return [];
    const out: { title: string; kind: 'next-line' | 'document'; edit: TextEdit; snippet: string }[] = [];
    for (const kind of ['next-line', 'document'] as const) {
      const e = suppressionEdit(text, finding, kind);
      if (!e || !sameDocument(text, e.at, e.text)) continue;
      const title = kind === 'next-line' ? `Suppress ${finding.rule} here (with a reason)` : `Suppress ${finding.rule} in this document (with a reason)`;
      out.push({ title, kind, edit: { file: finding.span.file, start: e.at, end: e.at, newText: e.text }, snippet: e.snippet });
    }
    return out;
  }

  /**
   * The fixes of one finding of this snapshot: each applied and re-analysed first (only
   * those that raise no new warning of ours are offered; fixes/check.ts), kept for the
   * snapshot's life (the editor asks again whenever the cursor moves).
   */
  fixes(finding: Finding): Fix[] {
    let fixes = this.fixesCache.get(finding);
    if (!fixes) {
      fixes = fixesFor(finding, { analysis: this.analysis, text: (file) => this.text(file), options: ruleOptionsOf(this.config), check: this.checkBase() });
      this.fixesCache.set(finding, fixes);
    }
    return fixes;
  }

  /** What fixes are checked against: this state, analysed again incrementally (the host's what-if caches). */
  private checkBase(): FixCheckBase {
    this.checkBaseCache ??= {
      analysis: this.analysis,
      // The rules' own findings (before suppressions), as the re-check's runRules gives them.
      findings: this.ruleFindings(),
      text: (file) => this.text(file),
      analyzeOptions: { ...analyzeOptionsOf(this.config), maxLength: this.config.maxFileSizeKB * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH },
      run: { severities: this.config.rules, options: ruleOptionsOf(this.config) },
      severities: this.config.rules,
      ...(this.host ? this.host.whatIf() : { cache: new ParseCache(2_000) }),
    };
    return this.checkBaseCache;
  }

  /** "Fix all safe problems" in one file (the editor's host only). */
  fixAll(uri: string): FixAllResult | undefined {
    return this.host?.fixAll(this, uri);
  }

  /** What the cursor is on, in Markdown; `locate` turns spans into the caller's locations. */
  hover(uri: string, offset: number, locate: Locate): HoverResult | undefined {
    const text = this.text(uri);
    if (text === undefined) return undefined;
    return hoverAt({ analysis: this.analysis, file: uri, text, offset, locate, evidence: () => this.evidence() });
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

  /** The flows the manifests show the application needs (issue 21), with the DNS and API-server baseline unless switched off. */
  evidence(baseline: { readonly dns: boolean; readonly apiServer?: boolean } = { dns: true, apiServer: true }): Evidence {
    return evidenceOf(this.analysis, evidenceOptionsOf(this.config, baseline));
  }

  /** Least-privilege policies from the evidence (issue 21 §3): files per namespace and notes. */
  generate(options: GenerateOptions = {}): GenerateResult {
    return generatePolicies(this.analysis, this.config, options, (file) => this.text(file) ?? '');
  }

  /** The workload a finding says no policy isolates (workload-not-isolated): what "Generate least-privilege policy" is offered for. */
  /**
   * The flows allowed today that applying generated policies would close (the editor's
   * preview of "Generate Policies for Namespace…"): the workspace analysed again with
   * `text` as one more file, its connectivity compared with today's. Generation never
   * closes an evidenced flow, so these are the flows no manifest shows.
   */
  closedBy(text: string): ImpactEntry[] {
    const files = this.uris().map((u) => ({ path: u, text: this.text(u) ?? '' }));
    files.push({ path: GENERATED_PREVIEW, text });
    const options = { ...analyzeOptionsOf(this.config), maxLength: this.config.maxFileSizeKB * 1024, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH };
    const w = this.host?.whatIf();
    const after = w ? analyze(files, options, w.cache, w.memory, w.kustomize) : analyze(files, options);
    return changeImpact(this.analysis.reach, after, { maxAttributed: 0 }).entries.filter((e) => !e.lost.isEmpty());
  }

  generateTarget(finding: Finding): { readonly namespace: string; readonly workload: string } | undefined {
    if (finding.rule !== 'workload-not-isolated') return undefined;
    const w = (finding.data as { workload?: { namespace: string; name: string } } | undefined)?.workload;
    return w ? { namespace: w.namespace, workload: `${w.namespace}/${w.name}` } : undefined;
  }

  /** The edits that add a default-deny policy for a namespace, or why there are none. */
  defaultDenyEdit(namespace: string, egress: boolean): { readonly edits: readonly TextEdit[] } | { readonly error: string } {
    return defaultDenyEdit(this.analysis, (file) => this.text(file), ruleOptionsOf(this.config), namespace, egress);
  }
}

/** What suppressions know of the catalog and the configuration. */
function suppressOptions(config: NetpolConfig) {
  return {
    known: (id: string) => RULES.some((r) => r.meta.id === id),
    judgeUnused: (id: string) => config.rules[id] !== 'off' && WORKSPACE_RULES.some((r) => r.meta.id === id),
    severities: config.rules,
  };
}

const MAX_SUPPRESS_CHECK = 256 * 1024;

/** The document at `at` reads the same (same value, no new error) with `insert` there. */
function sameDocument(text: string, at: number, insert: string): boolean {
  const chunk = splitDocuments(text).find((c) => c.start <= at && at <= c.end);
  // Asked on every move of the cursor over a finding: a document past this size gets no offer.
  if (!chunk || chunk.text.length > MAX_SUPPRESS_CHECK) return false;
  const rel = at - chunk.start;
  const read = (t: string) => {
    try {
      const doc = parseDocument(t, { uniqueKeys: false, prettyErrors: false });
      return doc.errors.length > 0 ? undefined : JSON.stringify(doc.toJS({ maxAliasCount: 100 }));
    } catch {
      // Past the alias bound: no offer.
      return undefined;
    }
  };
  const before = read(chunk.text);
  return before !== undefined && before === read(chunk.text.slice(0, rel) + insert + chunk.text.slice(rel));
}

function sameTexts(texts: ReadonlyMap<string, string>, uris: readonly string[], text: (uri: string) => string | undefined): boolean {
  if (texts.size !== uris.length) return false;
  let i = 0;
  for (const [uri, t] of texts) {
    if (uri !== uris[i++] || t !== (text(uri) ?? '')) return false;
  }
  return true;
}
