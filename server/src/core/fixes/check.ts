/**
 * The re-check of a fix before it is offered: the fix is applied to the workspace's
 * texts, the result is analysed again (incrementally: unchanged files keep their loaded
 * objects, so the model, the compiled policies and the per-policy findings of everything
 * the fix did not touch are reused) and compared with the analysis it came from. A fix
 * whose result has a warning or error of ours that was not there before, a YAML error,
 * or a flow that a Service or Ingress routes to and that the fix closes
 * (change-removes-routed-flow on the fix as a pending edit), is not offered.
 *
 * Findings are compared by rule id, object and YAML path, not by offsets (an edit moves
 * everything after it); the object is its file and its position among the file's objects,
 * so a fix that renames an object (invalid-name) keeps its other findings the same.
 */
import type { Analysis, AnalyzeOptions } from '../analysis/analyze';
import { applyEdits, isCreateFile, type FileEdit, type TextEdit } from '../base/edits';
import { changeImpact } from '../impact/impact';
import { runChangeRules } from '../impact/rules/run';
import type { Finding, Severity } from '../lint/rule';
import { applyKustomizations, sourceFileOf, type KustomizeState } from '../manifest/kustomized';
import { loadFile } from '../manifest/load';
import { identityOf } from '../model/bundles';
import type { LoadedFile, SourceFile } from '../manifest/types';
import { buildModel, type ModelMemory } from '../model/build';
import { Reachability } from '../reach/engine';
import { runRules, type RunOptions } from '../rules/run';
import { ParseCache } from '../yaml/parse';

/** What a fix is checked against: the analysis it was made from and how to analyse again. */
export interface FixCheckBase {
  readonly analysis: Analysis;
  /** The findings of `analysis` (with the configured severities). */
  readonly findings: readonly Finding[];
  readonly text: (file: string) => string | undefined;
  readonly analyzeOptions?: AnalyzeOptions;
  readonly run?: RunOptions;
  /** Per-rule severities of the change rules (the settings' netpol.rules). */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
  /** The parse cache of what-if texts (kept apart from the workspace's: loading a text there replaces the file's documents). */
  readonly cache?: ParseCache;
  readonly memory?: ModelMemory;
  /** The what-if kustomize state (kept apart from the workspace's, as the parse cache is). */
  readonly kustomize?: KustomizeState;
}

/** What the result of a fix raises that the workspace did not have. */
export interface Raised {
  /** New findings of ours at warning or error (the change rules' included). */
  readonly findings: readonly Finding[];
  /** YAML errors in the files the fix wrote. */
  readonly yamlErrors: readonly string[];
  /** The workspace after the fix: its analysis and the texts the fix changed. */
  readonly after: Analysis;
  readonly changed: ReadonlyMap<string, string>;
}

const SERIOUS: ReadonlySet<Severity> = new Set(['warning', 'error']);

/** The texts after a fix: edited files and created ones (the rest unchanged). */
export function textsAfter(base: Pick<FixCheckBase, 'text'>, edits: readonly FileEdit[]): Map<string, string> {
  const out = new Map<string, string>();
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    if (isCreateFile(e)) out.set(e.file, e.text);
    else byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  }
  for (const [file, list] of byFile) {
    const text = base.text(file);
    if (text !== undefined) out.set(file, applyEdits(text, list));
  }
  return out;
}

/**
 * The workspace with `changed` files replaced (or added): the other files keep their
 * loaded objects, the model and the reachability are built on the base's.
 */
export function analyzeWhatIf(base: FixCheckBase, changed: ReadonlyMap<string, string>): Analysis {
  const options = base.analyzeOptions ?? {};
  const cache = base.cache ?? new ParseCache(2_000);
  const files: LoadedFile[] = [];
  const seen = new Set<string>();
  // The files as written: the kustomizations are applied again below, to the fixed texts too
  // (a fix in a base is judged in the namespace its overlay gives it).
  for (const f of base.analysis.files.map(sourceFileOf)) {
    const text = changed.get(f.path);
    seen.add(f.path);
    files.push(text === undefined ? f : loadFile({ path: f.path, text } satisfies SourceFile, cache, options));
  }
  for (const [path, text] of changed) if (!seen.has(path)) files.push(loadFile({ path, text }, cache, options));
  const kustomized = applyKustomizations(files, (path) => changed.get(path) ?? base.text(path), base.kustomize);
  const previous = base.analysis.reach;
  const model = buildModel(kustomized, options, previous.model, base.memory);
  return { files: kustomized, model, reach: new Reachability(model, options, previous) };
}

/**
 * The keys a finding keeps across an edit: rule, file, YAML path, and its object named two
 * ways: by kind and name as written (a fix that inserts a document before it moves its
 * position) and by its position in the file (a fix that renames it keeps that). A finding is
 * the same as before when either key was there before.
 */
export function findingKeys(analysis: Analysis, findings: readonly Finding[]): (readonly [string, string])[] {
  const objects = new Map(analysis.files.map((f) => [f.path, f.objects]));
  const out: (readonly [string, string])[] = [];
  for (const f of findings) {
    const list = objects.get(f.span.file) ?? [];
    let best = -1;
    for (let i = 0; i < list.length; i++) {
      const o = list[i].span;
      if (o.start <= f.span.start && f.span.start <= o.end && (best < 0 || o.end - o.start < list[best].span.end - list[best].span.start)) best = i;
    }
    const o = best < 0 ? undefined : list[best];
    const id = o ? identityOf(o) : undefined;
    const named = o && id?.name ? `${o.kind}/${id.namespace ?? ''}/${id.name}` : `#${best}`;
    const prefix = `${f.rule}\u0000${f.span.file}\u0000`;
    out.push([`${prefix}${named}\u0000${f.path}`, `${prefix}${best}\u0000${f.path}`]);
  }
  return out;
}

const beforeKeys = new WeakMap<readonly Finding[], readonly (readonly [string, string])[]>();

/** A finding's rule, file and object (its named key without the YAML path). */
function groupOf(namedKey: string): string {
  return namedKey.slice(0, namedKey.lastIndexOf('\u0000'));
}

/**
 * Which findings of a result (by their keys, findingKeys) are new against a base's: those
 * that match no key of the base. Checking the fix of one finding (`fixing`, its keys), a
 * finding that matches no key may have moved instead: a fix that writes `ingress:` into a
 * policy that had none moves another finding of that policy from its policyTypes entry to
 * the new key, a rule removed shifts the index of the rules after it. It takes the place of
 * a finding of the base with the same rule and object that the result has under neither
 * key, other than the finding fixed (which is meant to go), one for one.
 */
export function newFindings(before: readonly (readonly [string, string])[], after: readonly (readonly [string, string])[], fixing?: readonly [string, string]): boolean[] {
  const old = new Set(before.flat());
  const isNew = after.map((k) => !k.some((x) => old.has(x)));
  if (!fixing || !isNew.some(Boolean)) return isNew;
  const present = new Set(after.flat());
  const vanished = new Map<string, number>();
  // The finding fixed is left out once (others may share its keys: two flows reported on one policyTypes entry).
  let fixed = false;
  for (const [named, at] of before) {
    if (present.has(named) || present.has(at)) continue;
    if (!fixed && named === fixing[0] && at === fixing[1]) {
      fixed = true;
      continue;
    }
    vanished.set(groupOf(named), (vanished.get(groupOf(named)) ?? 0) + 1);
  }
  return isNew.map((n, i) => {
    if (!n) return false;
    const group = groupOf(after[i][0]);
    const moved = vanished.get(group) ?? 0;
    if (moved === 0) return true;
    vanished.set(group, moved - 1);
    return false;
  });
}

/** What applying `edits` raises; empty lists when the result is as clean as the base. `fixing`: the finding the edits fix. */
export function raisedBy(base: FixCheckBase, edits: readonly FileEdit[], fixing?: Finding): Raised {
  const changed = textsAfter(base, edits);
  const after = analyzeWhatIf(base, changed);
  const yamlErrors = after.files
    .filter((f) => changed.has(f.path))
    .flatMap((f) => f.notes.filter((n) => n.severity === 'error').map((n) => `${f.path}: ${n.message}`));
  let before = beforeKeys.get(base.findings);
  if (!before) beforeKeys.set(base.findings, (before = findingKeys(base.analysis, base.findings)));
  const findings = runRules(after, base.run ?? {}).filter((f) => SERIOUS.has(f.severity));
  const isNew = newFindings(before, findingKeys(after, findings), fixing ? findingKeys(base.analysis, [fixing])[0] : undefined);
  const raised = findings.filter((_, i) => isNew[i]);
  // The fix as a pending edit: does it close a flow a Service or Ingress routes to?
  const impact = changeImpact(base.analysis.reach, after);
  for (const f of runChangeRules(impact, { severities: base.severities })) if (SERIOUS.has(f.severity)) raised.push(f);
  return { findings: raised, yamlErrors, after, changed };
}

/**
 * Whether what a fix raises keeps it from being offered. Every new error and YAML error
 * does. New warnings do, except for the fix of an error (what the API server rejects): a
 * rejected policy reaches no cluster and is not analysed, so the warnings that appear
 * once it is accepted (it blocks DNS, it isolates routed pods) were there all along,
 * hidden by the error, not made by its fix; they are reported as usual once it is fixed.
 */
export function blocksFix(raised: Raised, fixing: Pick<Finding, 'severity'>): boolean {
  if (raised.yamlErrors.length > 0) return true;
  return raised.findings.some((f) => f.severity === 'error' || fixing.severity !== 'error');
}

/** A one-shot base for an analysis made by `analyze` (tests, the CLI, benchmarks). */
export function checkBaseOf(files: readonly SourceFile[], analysis: Analysis, findings: readonly Finding[], options: Omit<FixCheckBase, 'analysis' | 'findings' | 'text'> = {}): FixCheckBase {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  return { analysis, findings, text: (p) => texts.get(p), ...options };
}
