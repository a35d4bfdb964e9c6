import type { Analysis } from '../analysis/analyze';
import { DEFAULTS } from '../analysis/config';
import { filesAt, objectAt } from '../analysis/object-at';
import { composeEdits, conflict, isCreateFile, type TextEdit } from '../base/edits';
import type { Fix, FixProposal } from '../lint/fix';
import type { LoadedFile } from '../manifest/types';
import type { Finding } from '../lint/rule';
import { policyOfObject, workloadOfObject } from '../reach/lookups';
import { ruleById, WORKSPACE_RULES } from '../rules/catalog';
import { ruleOptionsOf, type RuleOptions, type WorkspaceRule, type WorldFixContext } from '../rules/types';
import { blocksFix, raisedBy, type FixCheckBase } from './check';
import { detectStyle } from '../yaml/style';
import { YamlEditor } from '../yaml/editor';
import type { NodeReader } from '../yaml/nodes';

/**
 * The fix engine: a finding's fixes come from its rule (rule.fix, with the data its check
 * reported); here they get a context, their safety (the rule's meta.fix) and a check that
 * their edits fit the text. No rule's fixes are listed anywhere else.
 */

/** What the caller hands in: the analysis the finding comes from, and the file texts it read. */
export interface FixInput {
  readonly analysis: Analysis;
  /** The text of a workspace file (the one the analysis read). */
  readonly text: (file: string) => string | undefined;
  readonly options?: Partial<RuleOptions>;
  /** When given, each fix is applied and re-analysed against this base before it is offered (check.ts). */
  readonly check?: FixCheckBase;
}

/** Rule ids whose findings may have fixes. */
export function fixableRules(): string[] {
  return WORKSPACE_RULES.filter((r) => r.fix && r.meta.fix).map((r) => r.meta.id);
}

/** What the rule's fix sees: the finding's object and file, an editor, and the workspace; undefined when the analysis no longer holds them. */
function fixContext(finding: Finding, input: FixInput): WorldFixContext | undefined {
  const file = finding.span.file;
  const text = input.text(file);
  if (text === undefined) return undefined;
  const { analysis } = input;
  const object = objectAt(analysis, finding.span);
  // A text that no longer holds the object (the analysis is older than the text) gets no fix.
  if (!object || object.span.end > text.length) return undefined;
  const loaded = filesAt(analysis, file)[0];
  const style = detectStyle(text, object.reader, loaded ? readersOf(loaded) : []);
  return {
    object,
    file,
    text,
    textOf: input.text,
    files: pathsOf(analysis),
    editor: new YamlEditor(file, text, object.reader, style),
    analysis,
    options: { ...ruleOptionsOf(DEFAULTS), ...input.options },
    policy: () => policyOfObject(analysis.reach, object),
    workload: () => workloadOfObject(analysis.model, object),
  };
}

/** The readers of a file's documents, one list per loaded file (detectStyle keeps its sums per list). */
const fileReaders = new WeakMap<LoadedFile, readonly NodeReader[]>();

function readersOf(file: LoadedFile): readonly NodeReader[] {
  let list = fileReaders.get(file);
  if (!list) fileReaders.set(file, (list = file.objects.map((o) => o.reader)));
  return list;
}

/** The workspace's file paths, one list per analysis (not one per finding: a workspace of thousands of files). */
const filePaths = new WeakMap<readonly LoadedFile[], readonly string[]>();

function pathsOf(analysis: Analysis): readonly string[] {
  let paths = filePaths.get(analysis.files);
  if (!paths) filePaths.set(analysis.files, (paths = analysis.files.map((f) => f.path)));
  return paths;
}

/** A proposal as offered: safe only when the rule's fixes are, and the proposal does not say otherwise. */
function toFix(rule: WorkspaceRule, p: FixProposal): Fix {
  // A prompt is never applied unasked: the value is the user's.
  const fix: Fix = { title: p.title, kind: 'quickfix', safe: rule.meta.fix === 'safe' && !p.unsafe && !p.prompt, edits: p.edits, ...(p.prompt ? { prompt: p.prompt } : {}) };
  return p.preferred ? { ...fix, isPreferred: true } : fix;
}

/** At most this many fixes are offered per finding: the rule lists its proposals best first. */
export const MAX_FIXES = 3;

/**
 * At most this many proposals of one finding are applied and re-analysed (check.ts). A
 * what-if re-loads the edited file and re-checks the policies the fix changed, about what a
 * keystroke costs; the editor asks for code actions whenever the cursor moves onto a
 * diagnostic, so a finding's fixes must cost a handful of keystrokes, not one per namespace
 * or label set of the workspace. The rules rank their proposals by what the workspace shows,
 * so the first ones are the ones worth checking; the rest are not offered unchecked.
 */
export const MAX_CHECKED = 6;

/**
 * The fixes for one finding, from its rule's fix and the data its check reported (none
 * when nothing fits): at most MAX_FIXES, and with `input.check`, only those whose result
 * raises no new warning or error of ours.
 */
export function fixesFor(finding: Finding, input: FixInput): Fix[] {
  const rule = ruleById(finding.rule);
  if (!rule?.fix || !rule.meta.fix || finding.data === undefined) return [];
  const ctx = fixContext(finding, input);
  if (!ctx) return [];
  let fixes: Fix[];
  try {
    fixes = rule
      .fix(finding.data, ctx)
      .map((p) => toFix(rule, p))
      .filter((f) => wellFormed(f, input));
  } catch {
    // A fix that trips over unexpected YAML offers nothing; the diagnostic stays.
    return [];
  }
  if (!input.check) return fixes.slice(0, MAX_FIXES);
  const budget = { checks: MAX_CHECKED };
  const out: Fix[] = [];
  for (const fix of fixes) {
    if (out.length === MAX_FIXES || budget.checks <= 0) break;
    // A prompt writes what the user gives (where a generic policy goes): what follows from
    // that value is reported once it is typed; checking the placeholder would judge a guess.
    const checked = fix.prompt ? fix : checkedFix(input.check, fix, finding, input, budget);
    if (checked) out.push(checked);
  }
  return out;
}

/**
 * The fix as offered after its re-check: itself when its result raises nothing that counts
 * (check.ts, blocksFix); else, when what it raises has safe fixes of its own in the same
 * file (renaming `protocl: tcp` to `protocol` leaves the value to fix), the fix composed
 * with them, if that result is clean; else undefined. A what-if that fails counts as
 * raising. Each what-if spends one check of the budget.
 */
function checkedFix(base: FixCheckBase, fix: Fix, finding: Finding, input: FixInput, budget: { checks: number }): Fix | undefined {
  try {
    budget.checks--;
    const raised = raisedBy(base, fix.edits, finding);
    if (!blocksFix(raised, finding)) return fix;
    const file = singleFile(fix);
    if (file === undefined || budget.checks <= 0 || raised.yamlErrors.length > 0) return undefined;
    const text = base.text(file);
    const afterText = raised.changed.get(file);
    if (text === undefined || afterText === undefined) return undefined;
    // One round of repair: the safe fixes of what the fix raised, on the fixed text.
    const repairs: TextEdit[] = [];
    const after: FixInput = { analysis: raised.after, text: (f) => (f === file ? afterText : base.text(f)), options: input.options };
    for (const f of raised.findings) {
      if (f.span.file !== file) return undefined;
      const safe = fixesFor(f, after).find((x) => x.safe && singleFile(x) === file);
      if (!safe) return undefined;
      const own = safe.edits as TextEdit[];
      if (own.some((e) => repairs.some((r) => conflict(e, r)))) return undefined;
      repairs.push(...own);
    }
    const composed: Fix = { ...fix, edits: composeEdits(text, fix.edits as TextEdit[], repairs) };
    budget.checks--;
    return blocksFix(raisedBy(base, composed.edits, finding), finding) ? undefined : composed;
  } catch {
    return undefined;
  }
}

/** The one file a fix edits (no file created), or undefined. */
function singleFile(fix: Fix): string | undefined {
  const files = new Set(fix.edits.map((e) => (isCreateFile(e) ? '' : e.file)));
  return files.size === 1 && !files.has('') ? [...files][0] : undefined;
}

/** Edits inside their file's text, not overlapping each other. */
function wellFormed(fix: Fix, input: FixInput): boolean {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    if (isCreateFile(e)) continue;
    const text = input.text(e.file);
    if (text === undefined || e.start < 0 || e.end < e.start || e.end > text.length) return false;
    byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  }
  for (const edits of byFile.values()) if (overlapping(edits)) return false;
  return true;
}

function overlapping(edits: readonly TextEdit[]): boolean {
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (conflict(edits[i], edits[j])) return true;
  return false;
}
