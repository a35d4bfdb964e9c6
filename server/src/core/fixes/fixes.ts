import type { Analysis } from '../analysis/analyze';
import { DEFAULTS } from '../analysis/config';
import { filesAt, objectAt } from '../analysis/object-at';
import { conflict, isCreateFile, type TextEdit } from '../base/edits';
import type { Fix, FixProposal } from '../lint/fix';
import type { LoadedFile } from '../manifest/types';
import type { Finding } from '../lint/rule';
import { policyOfObject, workloadOfObject } from '../reach/lookups';
import { ruleById, WORKSPACE_RULES } from '../rules/catalog';
import { ruleOptionsOf, type RuleOptions, type WorkspaceRule, type WorldFixContext } from '../rules/types';
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
  const fix: Fix = { title: p.title, kind: 'quickfix', safe: rule.meta.fix === 'safe' && !p.unsafe, edits: p.edits };
  return p.preferred ? { ...fix, isPreferred: true } : fix;
}

/** The fixes for one finding, from its rule's fix and the data its check reported (none when nothing fits). */
export function fixesFor(finding: Finding, input: FixInput): Fix[] {
  const rule = ruleById(finding.rule);
  if (!rule?.fix || !rule.meta.fix || finding.data === undefined) return [];
  const ctx = fixContext(finding, input);
  if (!ctx) return [];
  try {
    return rule
      .fix(finding.data, ctx)
      .map((p) => toFix(rule, p))
      .filter((f) => wellFormed(f, input));
  } catch {
    // A fix that trips over unexpected YAML offers nothing; the diagnostic stays.
    return [];
  }
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
