/**
 * Change impact in the editor: what the pending edits of the open documents open and
 * close, against their baseline, recomputed after every analysis.
 *
 * Baseline of an open file: its content at git HEAD (the host is handed a reader of
 * it: node/git-baselines.ts in the server) or, for a file outside git (or not in HEAD),
 * its last saved text (the disk as the host last read it). No baseline (a new, unsaved
 * file) means the file did not exist.
 *
 * Fast path, the common case (the edited files change policies only, their workloads,
 * namespaces, Services and Ingresses are the same): the baseline is a variant of the
 * current reachability (Reachability.withPolicies) with the edited files' policies as in
 * the baseline (a policy that says the same is the current object), and the diff visits
 * only the pods the changed policies select. Slow path (the edit changed the world): the
 * baseline's own model and reachability, and the full connection lists; on large
 * workspaces the host's user runs it when typing pauses (`pending`), not on each keystroke.
 */
import { sameItems } from '../base/arrays';
import type { Analysis } from '../analysis/analyze';
import { analyzeOptionsOf, type NetpolConfig } from '../analysis/config';
import { evidenceOf, evidenceOptionsOf } from '../analysis/evidence';
import type { Span } from '../base/span';
import type { Finding } from '../lint/rule';
import { loadFile } from '../manifest/load';
import { buildModel, type ModelMemory } from '../model/build';
import { makesPods } from '../model/extract/workload';
import { clusterKindOf } from '../k8s/cluster-schema';
import type { NetworkPolicy } from '../model/types';
import { Reachability } from '../reach/engine';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from '../yaml/limits';
import { ParseCache } from '../yaml/parse';
import { policyFingerprint, policyKey } from './changes';
import { changeImpact, NO_CHANGE } from './impact';
import { runChangeRules } from './rules/run';
import type { ImpactReport } from './types';
import type { LoadedFile, ManifestObject } from '../manifest/types';
import { isYamlError } from '../manifest/notes';
import { isKustomizationFile, sourceFileOf } from '../manifest/kustomized';

/**
 * A change of the world needs the baseline's own reachability (built once per baseline,
 * then reused while one types). Beyond this many workloads + policies, building it
 * waits for a pause in typing.
 */
const SLOW_PATH_SYNC_LIMIT = 3000;
/** Also when the last one took longer than this (ms): it would eat the keystroke's budget. */
const SLOW_PATH_SYNC_MS = 15;

export type BaselineKind = 'git HEAD' | 'last saved';

/** What the impact is computed from and what it found. */
export interface ImpactState {
  readonly report: ImpactReport;
  /** Changed open files and what each is compared with. */
  readonly files: readonly { readonly uri: string; readonly kind: BaselineKind }[];
}

export const NO_IMPACT_STATE: ImpactState = { report: NO_CHANGE, files: [] };

/** What the tracker reads of its host (core/workspace.ts). */
export interface ImpactHost {
  config(): NetpolConfig;
  /** The current analysis (the host's cached one). */
  analysis(): Analysis;
  openUris(): readonly string[];
  text(uri: string): string | undefined;
  /** The file's text on disk as last read (its last saved version). */
  diskText(uri: string): string | undefined;
  isOpen(uri: string): boolean;
  /** The file's text at git HEAD, when there is one (and git may be asked). */
  gitHead(uri: string): string | undefined;
  /** What the host's model builds share (the baseline's merged workloads are the current ones when the same manifests make them up). */
  readonly memory: ModelMemory;
  /** A baseline file as the workspace's kustomizations render it. */
  kustomizeBaseline?(uri: string, text: string, file: LoadedFile): LoadedFile;
  /** Files as written (not kustomized) rendered by the kustomizations `text` gives (a baseline's, when one of them was edited). */
  kustomizeWorld?(files: readonly LoadedFile[], text: (uri: string) => string | undefined): readonly LoadedFile[];
}

export class ImpactTracker {
  /** Baseline documents parse here: the editor's documents (and their anchors) are never shared. */
  private readonly cache = new ParseCache();
  private readonly baselineFiles = new Map<string, { text: string; maxLength: number; file: LoadedFile; chartTemplate: boolean }>();
  /** Baseline files as written, for a baseline rendered by its own kustomizations. */
  private readonly writtenFiles = new Map<string, { text: string; maxLength: number; file: LoadedFile; chartTemplate: boolean }>();
  private lastKustomized: { written: readonly LoadedFile[]; texts: readonly (string | undefined)[]; files: readonly LoadedFile[] } | undefined;
  /** The baseline of a change of the world: its files (the current ones, the edited ones swapped) and reachability. */
  private lastWorld: { files: readonly LoadedFile[]; options: string; reach: Reachability } | undefined;
  private last: { key: readonly unknown[]; state: ImpactState } | undefined;
  private lastVariant: { current: Reachability; policies: readonly NetworkPolicy[]; reach: Reachability } | undefined;
  /** True when the last compute() skipped a slow baseline: run compute(true) when typing pauses. */
  pending = false;
  /** How long the last baseline reachability of a changed world took to build (ms). */
  private slowMs = 0;
  /** uri -> the baseline text the last computation used, for baselineMoved(). */
  private readonly usedBaselines = new Map<string, string | undefined>();
  /** The policies read from each baseline file, once per file and default namespace. */
  private readonly policiesOfBaseline = new WeakMap<LoadedFile, { key: string; policies: readonly NetworkPolicy[] }>();

  constructor(
    private readonly host: ImpactHost,
    private readonly syncLimit = SLOW_PATH_SYNC_LIMIT,
  ) {}

  /**
   * Reads an open file's baseline and what the fast path needs of it (its policies and
   * their fingerprints) ahead of the first edit: called when a document opens, so the
   * first keystroke does not pay for it.
   */
  prepare(uri: string): void {
    const config = this.host.config();
    if (!config.changeImpact) return;
    const base = this.baselineOf(uri);
    if (base.text === undefined) return;
    for (const p of this.baselinePolicies(this.loadBaseline(uri, base.text, config.maxFileSizeKB * 1024), config)) policyFingerprint(p);
    const current = this.host.analysis();
    const objects = new Set(filesByPath(current).get(uri)?.objects);
    for (const p of current.model.policies) if (p.source && objects.has(p.source)) policyFingerprint(p);
  }

  /**
   * True when an open file's baseline is no longer the one the last impact used (a commit,
   * a checkout): the impact must be recomputed although no document changed.
   */
  baselineMoved(): boolean {
    if (!this.host.config().changeImpact) return false;
    for (const uri of this.host.openUris()) if (this.baselineOf(uri).text !== this.usedBaselines.get(uri)) return true;
    return false;
  }

  /** Findings of the change rules, for the diagnostics of the edited files. */
  findings(): Finding[] {
    const state = this.compute();
    if (state.report.entries.length === 0) return [];
    return runChangeRules(state.report, { severities: this.host.config().rules, fileStart: (file) => this.firstLine(file) });
  }

  /** The impact now; with `allowSlow` false, a slow baseline on a large workspace is left for later (`pending`). */
  compute(allowSlow = false): ImpactState {
    const config = this.host.config();
    if (!config.changeImpact) return this.remember([], NO_IMPACT_STATE);
    const current = this.host.analysis();
    const options = analyzeOptionsOf(config);
    const maxLength = config.maxFileSizeKB * 1024;
    const host = this.host;
    const changed: { uri: string; text: string | undefined; kind: BaselineKind }[] = [];
    this.usedBaselines.clear();
    for (const uri of host.openUris()) {
      const base = this.baselineOf(uri);
      this.usedBaselines.set(uri, base.text);
      if (base.text !== host.text(uri)) changed.push({ uri, ...base });
    }
    if (changed.length === 0) {
      this.pending = false;
      this.lastWorld = undefined;
      this.lastVariant = undefined;
      return this.remember([], NO_IMPACT_STATE);
    }
    const key = [current, JSON.stringify([options, maxLength]), ...changed.flatMap((c) => [c.uri, c.text])];
    // Same analysis and baselines: the same answer (also "still deferred" until allowed).
    if (this.last && sameItems(this.last.key, key) && (!this.pending || !allowSlow)) return this.last.state;

    // Half-typed YAML: kubectl would apply nothing of the file, and the impact of the
    // keystroke before is what the user is looking at: keep it until the file parses.
    const files = filesByPath(current);
    if (this.last && changed.some((c) => hasYamlErrors(files.get(c.uri)) && !hasYamlErrors(c.text === undefined ? undefined : this.loadBaseline(c.uri, c.text, maxLength)))) {
      return this.remember(key, this.last.state);
    }

    // An edited kustomization moves, renames or relabels what it renders: the world changed.
    const kustomizationEdited = changed.some((c) => isKustomizationFile(c.uri));
    let before = kustomizationEdited ? undefined : this.variantBaseline(current, changed, config, maxLength);
    if (!before) {
      const files = kustomizationEdited && this.host.kustomizeWorld ? this.kustomizedBaselineFiles(current, changed, maxLength) : this.worldBaselineFiles(current, changed, maxLength);
      const optionsKey = JSON.stringify(options);
      const last = this.lastWorld;
      if (last && last.options === optionsKey && sameItems(last.files, files)) before = last.reach;
      else {
        const size = current.model.workloads.length + current.model.policies.length;
        if (!allowSlow && (size > this.syncLimit || this.slowMs > SLOW_PATH_SYNC_MS)) {
          this.pending = true;
          // The last impact stays on show until the deferred computation replaces it.
          return this.remember(key, this.last?.state ?? NO_IMPACT_STATE);
        }
        const t0 = performance.now();
        before = new Reachability(buildModel(files, options, undefined, this.host.memory), options);
        this.slowMs = performance.now() - t0;
        this.lastWorld = { files, options: optionsKey, reach: before };
      }
    }
    this.pending = false;
    // Closed flows the edited workspace's evidence shows are needed say so (the DNS baseline is egress-blocks-dns's).
    const report = changeImpact(before, current, { evidence: evidenceOf(current, evidenceOptionsOf(config, { dns: false })) });
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
  private variantBaseline(current: Analysis, changed: readonly { uri: string; text: string | undefined }[], config: NetpolConfig, maxLength: number): Reachability | undefined {
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
      if (!sameWorld(base, c.text ?? '', now, this.host.text(c.uri) ?? '')) return undefined;
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
      const list = this.baselinePolicies(base, config).map((p) => {
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
    if (last && last.current === current.reach && sameItems(last.policies, policies)) return last.reach;
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
        // A file skipped as a Helm template now is one in its baseline too (the chart layout is the same).
        if (text !== undefined) out.push(this.loadBaseline(f.path, text, maxLength, f.notes.some((n) => n.code === 'helm-template-skipped')));
      }
    }
    return out;
  }

  /**
   * The baseline's files when a kustomization was edited: every file as written (the
   * edited ones as in their baseline), rendered by the kustomizations as they stood in
   * the baseline, so the policies and workloads an edit of `namespace:`, `namePrefix` or
   * `labels` moves are compared where they were. The same list while the inputs are the same.
   */
  private kustomizedBaselineFiles(current: Analysis, changed: readonly { uri: string; text: string | undefined }[], maxLength: number): readonly LoadedFile[] {
    const byUri = new Map(changed.map((c) => [c.uri, c.text]));
    const written: LoadedFile[] = [];
    for (const f of current.files) {
      if (!byUri.has(f.path)) written.push(sourceFileOf(f));
      else {
        const text = byUri.get(f.path);
        // (A file new since the baseline has no baseline text: it is left out.)
        if (text !== undefined) written.push(this.loadWritten(f.path, text, maxLength, f.notes.some((n) => n.code === 'helm-template-skipped')));
      }
    }
    const texts = changed.map((c) => c.text);
    const last = this.lastKustomized;
    if (last && sameItems(last.written, written) && sameItems(last.texts, texts)) return last.files;
    const files = this.host.kustomizeWorld!(written, (uri) => (byUri.has(uri) ? byUri.get(uri) : this.host.text(uri)));
    this.lastKustomized = { written, texts, files };
    return files;
  }

  /** A baseline file as written (not kustomized), once per text. */
  private loadWritten(uri: string, text: string, maxLength: number, chartTemplate: boolean): LoadedFile {
    const hit = this.writtenFiles.get(uri);
    if (hit && hit.text === text && hit.maxLength === maxLength && hit.chartTemplate === chartTemplate) return hit.file;
    const file = loadFile({ path: uri, text }, this.cache, { maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH, chartTemplate });
    this.writtenFiles.set(uri, { text, maxLength, file, chartTemplate });
    for (const u of this.writtenFiles.keys()) if (!this.host.isOpen(u)) this.writtenFiles.delete(u);
    return file;
  }

  private loadBaseline(uri: string, text: string, maxLength: number, chartTemplate = false): LoadedFile {
    const hit = this.baselineFiles.get(uri);
    if (hit && hit.text === text && hit.maxLength === maxLength && hit.chartTemplate === chartTemplate) return hit.file;
    const loaded = loadFile({ path: uri, text }, this.cache, { maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH, chartTemplate });
    const file = this.host.kustomizeBaseline?.(uri, text, loaded) ?? loaded;
    this.baselineFiles.set(uri, { text, maxLength, file, chartTemplate });
    for (const u of this.baselineFiles.keys()) if (!this.host.isOpen(u)) this.baselineFiles.delete(u);
    return file;
  }

  /** A baseline file's policies, read once per file and options (the baseline does not change while one types). */
  private baselinePolicies(file: LoadedFile, config: NetpolConfig): readonly NetworkPolicy[] {
    const key = config.defaultNamespace;
    const hit = this.policiesOfBaseline.get(file);
    if (hit && hit.key === key) return hit.policies;
    const policies = buildModel([file], analyzeOptionsOf(config), undefined, this.host.memory).policies;
    this.policiesOfBaseline.set(file, { key, policies });
    return policies;
  }

  /** An open file's baseline: git HEAD, else the last saved text, else none. */
  baselineOf(uri: string): { text: string | undefined; kind: BaselineKind } {
    const head = this.host.gitHead(uri);
    if (head !== undefined) return { text: head, kind: 'git HEAD' };
    return { text: this.host.diskText(uri), kind: 'last saved' };
  }

  private firstLine(file: string): Span | undefined {
    const text = this.host.text(file);
    if (text === undefined) return undefined;
    const nl = text.indexOf('\n');
    return { file, start: 0, end: nl < 0 ? text.length : nl };
  }
}

/** The file has documents that do not parse (a YAML error, not one of its findings about Kubernetes). */
function hasYamlErrors(file: LoadedFile | undefined): boolean {
  return file !== undefined && file.notes.some(isYamlError);
}

const filesOfAnalysis = new WeakMap<Analysis, Map<string, LoadedFile>>();

/** An analysis' files by path. */
function filesByPath(a: Analysis): Map<string, LoadedFile> {
  let map = filesOfAnalysis.get(a);
  if (!map) filesOfAnalysis.set(a, (map = new Map(a.files.map((f) => [f.path, f]))));
  return map;
}

/** Kinds that make up the world the policies apply to. */
/**
 * Objects a variant baseline cannot swap in: the world, and the cluster-level policies
 * (a variant swaps NetworkPolicies only; an edit of a cluster policy takes the path
 * that builds the baseline's own reachability).
 */
function isWorldObject(obj: ManifestObject): boolean {
  return obj.kind === 'Namespace' || obj.kind === 'Service' || obj.kind === 'Ingress' || obj.kind === 'Route' || makesPods(obj) || clusterKindOf(obj.apiVersion, obj.kind) !== undefined;
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
